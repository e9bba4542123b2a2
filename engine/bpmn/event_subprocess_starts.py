"""Event subprocesses started by an error or an escalation.

SpiffWorkflow 3.2's start-event parser reads message, signal, timer and conditional
definitions only. The start event of an event subprocess waiting for an error or an escalation
was therefore read as a plain start, and the library connected the subprocess to the
process's start: the handler ran at every start, whether anything went wrong or not. Here
such a start event keeps its error or escalation definition, so the subprocess is one of the
process's triggers and runs only when that error or escalation is thrown."""
from __future__ import annotations

from SpiffWorkflow.bpmn.parser.event_parsers import (
    CONDITIONAL_EVENT_XPATH, ERROR_EVENT_XPATH, ESCALATION_EVENT_XPATH, MESSAGE_EVENT_XPATH, SIGNAL_EVENT_XPATH,
    TIMER_EVENT_XPATH,
)
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.specs.defaults import StartEvent
from SpiffWorkflow.spiff.parser.event_parsers import SpiffStartEventParser
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.bpmn.data_stores import apply_scopes

_ANY_START = [MESSAGE_EVENT_XPATH, SIGNAL_EVENT_XPATH, TIMER_EVENT_XPATH, CONDITIONAL_EVENT_XPATH]
_EVENT_SUBPROCESS_ONLY = [ERROR_EVENT_XPATH, ESCALATION_EVENT_XPATH]


class _StartEventParser(SpiffStartEventParser):
    def create_task(self):
        in_event_subprocess = self.node.getparent().get("triggeredByEvent") == "true"
        definition = self.get_event_definition(_ANY_START + (_EVENT_SUBPROCESS_ONLY if in_event_subprocess else []))
        task = self._create_task(definition)
        self.spec.start.connect(task)
        return task


class EngineBpmnParser(SpiffBpmnParser):
    OVERRIDE_PARSER_CLASSES = {**SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
                               full_tag("startEvent"): (_StartEventParser, StartEvent)}

    def _add_data_stores(self, bpmn):
        """Data stores, with their scope (engine/bpmn/data_stores.py): one hook for both."""
        super()._add_data_stores(bpmn)
        apply_scopes(self.data_stores, bpmn)
