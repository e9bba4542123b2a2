"""The editor script's own words, translated on the server (Flask-Babel) and handed to it as
a JSON block in the page: the bundle has no catalogue of its own. `{name}` placeholders are
filled in by the script."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _


def editor_texts() -> dict[str, str]:
    return {
        "off": _("Checks as you draw are off."),
        "none": _("Checks as you draw: no structural problem."),
        "one": _("Checks as you draw: 1 structural problem (marked on the diagram)."),
        "many": _("Checks as you draw: {count} structural problems (marked on the diagram)."),
        "autosaveOn": _("Changes are saved as your draft every {seconds} seconds."),
        "autosaveOff": _("Changes are not saved automatically: save a draft to keep them."),
        "unsaved": _("Unsaved changes."),
        "saved": _("Draft saved at {time}."),
        "autosaved": _("Draft saved automatically at {time}."),
        "autosaveFailed": _("The draft could not be saved automatically: {reason}"),
        "conflictTitle": _("Someone deployed this process meanwhile"),
        "conflictWho": _("{key} version {version} was deployed by {who} at {when}; your changes are based on "
                         "version {based_on}. Nothing was deployed."),
        "conflictCompare": _("Compare version {old} with version {new}"),
        "conflictReopen": _("Open version {version} (the latest)"),
        "conflictHint": _("To keep your changes, save them as a draft first, then open the latest version and "
                          "make them again there."),
        # bpmn-js's own words (its `translate` templates) for the lint toggle and the minimap
        "bpmnjs": {
            "{errors} Errors, {warnings} Warnings": _("{errors} structural problems"),
            "No Issues": _("No structural problem"),
            "Toggle linting overlays": _("Show or hide the checks as you draw"),
            "Open minimap": _("Open minimap"),
            "Close minimap": _("Close minimap"),
        },
    }


def autosave_seconds() -> float:
    """The test configuration may set MODELER_AUTOSAVE_SECONDS; otherwise the setting's value."""
    configured = current_app.config.get("MODELER_AUTOSAVE_SECONDS")
    if configured is not None:
        return float(configured)
    return current_app.extensions["settings"].modeler_autosave_seconds
