"""Server-side rendering of a task: its instructions, its JSON-Schema form (drawn as plain
HTML that works without JavaScript), the submitted form read back as typed JSON, and data
shown readably. See docs/web.md for the supported schema and UI-schema keys."""
from webapp.form_rendering.instructions import Instructions, render_instructions
from webapp.form_rendering.parsing import ACTION, UnknownRowAction, apply_row_action, parse_submission
from webapp.form_rendering.readable import Shown, readable
from webapp.form_rendering.schema_form import Field, SchemaForm, build_form, initial_values, problems_by_field
from webapp.form_rendering.widgets import type_of, words

__all__ = [
    "ACTION", "Field", "Instructions", "SchemaForm", "Shown", "UnknownRowAction", "apply_row_action",
    "build_form", "initial_values", "parse_submission", "problems_by_field", "readable", "render_instructions", "type_of", "words",
]
