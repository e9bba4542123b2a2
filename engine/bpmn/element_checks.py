"""Our own checks of a process's elements, beyond what SpiffWorkflow's parser refuses.

Kept apart from `parsing.py` (which drives the parser and decides what deploys): these are
the element-by-element rules a manager meets, each adding a Problem at a file, line and
element: forms exist and are JSON Schemas, scripts and conditions pass the sandbox's
compiler, gateways that split have conditions or a default, timers have values, service
tasks name a connector the engine has."""
from __future__ import annotations

from engine.bpmn import safe_xml
from engine.bpmn.scripting import refusals
from engine.bpmn.timer_literals import is_iso8601_timer_literal
from engine.bpmn.service_tasks import unknown_operator_problem
from engine.errors import Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
FORM_PROPERTIES = ("formJsonSchemaFilename", "formUiSchemaFilename")


def missing_form_warning(form: str, task: str, **where) -> Problem:
    """A task whose form file is absent can still run (it shows no fields and its submission is
    not checked), so the manager is warned rather than refused."""
    return Problem(f"the form '{form}' is neither in this deployment nor deployed before: '{task}' "
                   "will show no fields (and accept any submission) until a version with the form is deployed",
                   **where)


class ElementChecks:
    """Mixed into ProcessCompiler: uses its `forms`, `problems` and `_warn`."""

    def _check_task_spec(self, task_spec, source, process) -> None:
        where = {"file": source.name, "element_id": getattr(task_spec, "bpmn_id", None)}
        where["line"] = safe_xml.line_of(source.tree, where["element_id"])
        extensions = getattr(task_spec, "extensions", None) or {}
        properties = extensions.get("properties") or {}
        for prop in FORM_PROPERTIES:
            form = properties.get(prop)
            if not form:
                continue
            if form not in self.forms:
                self._warn([missing_form_warning(form, task_spec.bpmn_name or where["element_id"], **where)])
                continue
            process.forms.add(form)
            if prop == "formJsonSchemaFilename" and not self.forms[form]:
                self.problems.append(Problem(f"the form '{form}' is not a valid JSON Schema", **where))
        for script_kind in ("preScript", "postScript"):
            self._check_script(extensions.get(script_kind), where, script_kind)
        self._check_script(getattr(task_spec, "script", None), where, "script")
        if hasattr(task_spec, "operation_name"):
            refusal = unknown_operator_problem(task_spec.operation_name)
            if refusal:
                self.problems.append(Problem(refusal, **where))
        if getattr(task_spec, "dmnEngine", None) is not None and extensions.get("calledDecisionId"):
            process.decisions.add(extensions["calledDecisionId"].strip())

    def _check_script(self, text, where, what) -> None:
        if text and text.strip():
            errors = refusals(text, "exec")
            if errors:
                self.problems.append(Problem(f"{what} refused: {'; '.join(errors)}", **where))

    def _check_xml(self, source, process) -> None:
        """Checks SpiffWorkflow leaves to run time: gateway flows, conditions, timer values."""
        root = source.tree.getroot()
        for node in root.xpath("//bpmn:process[@id=$k]//bpmn:conditionExpression", namespaces=NS, k=process.key):
            flow = node.getparent()
            self._check_expression(node.text, source, flow, "condition")
        for gateway in root.xpath("//bpmn:process[@id=$k]//*[self::bpmn:exclusiveGateway or "
                                  "self::bpmn:inclusiveGateway]", namespaces=NS, k=process.key):
            self._check_gateway(gateway, source)
        for timer in root.xpath("//bpmn:process[@id=$k]//bpmn:timerEventDefinition/*",
                                namespaces=NS, k=process.key):
            text = (timer.text or "").strip()
            event = timer.getparent().getparent()
            if not text:
                self._add_at(source, event, "the timer has no value")
            elif not is_iso8601_timer_literal(text):
                self._check_expression(text, source, event, "timer value (not ISO 8601, so a Python expression)")

    def _check_gateway(self, gateway, source) -> None:
        flows = gateway.xpath("../bpmn:sequenceFlow[@sourceRef=$g]", namespaces=NS, g=gateway.get("id"))
        if len(flows) < 2:
            return
        default = gateway.get("default")
        bare = [f for f in flows if f.get("id") != default and not f.xpath("bpmn:conditionExpression", namespaces=NS)]
        if bare:
            names = ", ".join(f.get("id") for f in bare)
            self._add_at(source, gateway, f"the gateway splits into flows without a condition ({names}) "
                                          "and none of them is the default flow")

    def _check_expression(self, text, source, node, what) -> None:
        if text is None or not text.strip():
            self._add_at(source, node, f"the {what} is empty")
            return
        errors = refusals(text.strip(), "eval")
        if errors:
            self._add_at(source, node, f"the {what} is refused: {'; '.join(errors)}")

    def _add_at(self, source, node, message: str) -> None:
        self.problems.append(Problem(message, file=source.name, line=node.sourceline, element_id=node.get("id")))
