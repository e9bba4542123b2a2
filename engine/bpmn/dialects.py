"""What other modelers write, brought to what the engine runs, before SpiffWorkflow sees it.

Works on the parsed XML tree of one file, in place: conditions in JUEL/FEEL are translated
(a notice says so), Camunda/Flowable/Activiti attributes are either honoured by rewriting
them into the SpiffArena extension the engine reads (`decisionRef`, a `.json` `formKey`) or
reported as not honoured. Nothing is ever silently ignored; what cannot run is refused with
its element named. The stored BPMN file stays exactly as the manager gave it."""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from engine.bpmn.foreign_conditions import Untranslatable, foreign_body, translate
from engine.errors import Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
VENDOR_NAMESPACES = {
    "camunda": "http://camunda.org/schema/1.0/bpmn",
    "flowable": "http://flowable.org/bpmn",
    "activiti": "http://activiti.org/bpmn",
}
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
PYTHON_SCRIPT_FORMATS = {"", "python", "text/python", "application/python", "py"}
_NOT_HONOURED = {
    "assignee": "user tasks go to the people holding the role of their lane",
    "candidateUsers": "user tasks go to the people holding the role of their lane",
    "candidateGroups": "user tasks go to the people holding the role of their lane",
    "dueDate": "due dates come from timers in the diagram",
    "followUpDate": "this engine does not use it",
    "priority": "this engine does not use it",
    "asyncBefore": "every step is already committed on its own",
    "asyncAfter": "every step is already committed on its own",
    "class": "this engine runs no Java code: use a script task or the HTTP connector",
    "delegateExpression": "this engine runs no Java code: use a script task or the HTTP connector",
    "expression": "this engine runs no Java expressions on tasks: use a script task",
    "resultVariable": "this engine does not use it",
    "initiator": "the initiator is recorded in the instance history",
}


@dataclass
class Adaptation:
    notices: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def adapt(tree: etree._ElementTree, file: str) -> Adaptation:
    """Rewrite `tree` in place; what was translated or not honoured, and what cannot run."""
    result = Adaptation()
    root = tree.getroot()
    for node in root.iter(f"{{{BPMN_NS}}}conditionExpression", f"{{{BPMN_NS}}}completionCondition",
                          f"{{{BPMN_NS}}}timeDuration", f"{{{BPMN_NS}}}timeDate", f"{{{BPMN_NS}}}timeCycle"):
        _translate_condition(node, file, result)
    for task in root.iter(f"{{{BPMN_NS}}}scriptTask"):
        language = (task.get("scriptFormat") or "").strip().lower()
        if language not in PYTHON_SCRIPT_FORMATS:
            result.problems.append(_at(task, file, f"Cannot run: the script of {_named(task)} is written in "
                                                   f"'{task.get('scriptFormat')}', and the engine runs Python "
                                                   "scripts only"))
    for element in root.iter():
        if isinstance(element.tag, str):
            _vendor_attributes(element, file, result)
    return result


def _translate_condition(node, file: str, result: Adaptation) -> None:
    text = node.text or ""
    found = foreign_body(text)
    language = (node.get("language") or "").lower()
    if found is None and language and "python" not in language and text.strip():
        found = (language, text)  # JavaScript/Groovy conditions share JUEL's operators
    if found is None:
        return
    dialect, body = found
    owner = node.getparent()
    if etree.QName(node).localname.startswith("time"):  # a timer: name the event, not its definition
        owner = owner.getparent() if owner.getparent() is not None else owner
    try:
        python = translate(body, "FEEL" if dialect == "FEEL" else "JUEL")
    except Untranslatable as error:
        result.problems.append(_at(owner, file, f"Cannot convert: the {_what_expression(node)} {text.strip()} "
                                                f"on {_named(owner)} into a Python expression: {error}"))
        return
    node.text = python
    result.notices.append(_at(owner, file, f"Converted: the {dialect} {_what_expression(node)} {text.strip()} "
                                           f"on {_named(owner)} into {python}"))


def _vendor_attributes(element, file: str, result: Adaptation) -> None:
    for name, value in list(element.attrib.items()):
        vendor, local = _vendor_name(name)
        if vendor is None:
            continue
        if local == "decisionRef":
            _add_spiff_extension(element, "calledDecisionId", value)
            result.notices.append(_at(element, file, f"Converted: {vendor}:decisionRef '{value}' on "
                                                     f"{_named(element)} into a call of the DMN decision '{value}'"))
        elif local == "formKey" and value.lower().endswith(".json"):
            _add_spiff_property(element, "formJsonSchemaFilename", value.rsplit("/", 1)[-1].split(":")[-1])
            result.notices.append(_at(element, file, f"Converted: {vendor}:formKey '{value}' on {_named(element)} "
                                                     "into the task's form (a JSON-Schema file)"))
        elif local == "formKey":
            result.notices.append(_at(element, file, f"Ignored: {vendor}:formKey '{value}' on {_named(element)}, "
                                                     "because forms here are JSON-Schema files (.json): the task "
                                                     "shows an empty form until you choose one"))
        elif local == "assignee" and _honour_assignee(element, value):
            result.notices.append(_at(element, file, f"Converted: {vendor}:assignee '{value}' on {_named(element)} "
                                                     "into the task's assignee"))
        elif local == "candidateGroups" and _honour_candidate_group(element, value):
            result.notices.append(_at(element, file, f"Converted: {vendor}:candidateGroups '{value}' on "
                                                     f"{_named(element)} into the role '{value.strip()}' "
                                                     "(the task goes to a lane of that name)"))
        elif local in _NOT_HONOURED:
            result.notices.append(_at(element, file, f"Ignored: {vendor}:{local} '{value}' on {_named(element)}, "
                                                     f"because {_NOT_HONOURED[local]}"))


def _honour_assignee(element, value: str) -> bool:
    """The engine's `assignee` property is an expression over the task data naming a user."""
    found = foreign_body(value)
    try:
        expression = translate(found[1]) if found else repr(value.strip())
    except Untranslatable:
        return False
    if not value.strip() or element.xpath("bpmn:extensionElements/spiffworkflow:properties/"
                                          "spiffworkflow:property[@name='assignee']", namespaces=NS):
        return False
    _add_spiff_property(element, "assignee", expression)
    return True


def _honour_candidate_group(element, value: str) -> bool:
    """A single candidate group is what a lane is to the engine: the role that does the task.
    The task joins a lane of that name, unless the diagram already puts it in a lane."""
    group = value.strip()
    process = next((a for a in element.iterancestors() if a.tag == f"{{{BPMN_NS}}}process"), None)
    if not group or "," in group or "$" in group or "#" in group or process is None:
        return False
    task_id = element.get("id")
    if process.xpath(".//bpmn:lane/bpmn:flowNodeRef[normalize-space()=$i]", namespaces=NS, i=task_id):
        return False
    lane_set = process.find(f"{{{BPMN_NS}}}laneSet")
    if lane_set is None:
        lane_set = etree.Element(f"{{{BPMN_NS}}}laneSet", id=f"{process.get('id')}__candidate_groups")
        process.insert(0, lane_set)
    lane = next((l for l in lane_set.findall(f"{{{BPMN_NS}}}lane") if l.get("name") == group), None)
    if lane is None:
        lane = etree.SubElement(lane_set, f"{{{BPMN_NS}}}lane", id=f"{process.get('id')}__group_{len(lane_set)}",
                                name=group)
    etree.SubElement(lane, f"{{{BPMN_NS}}}flowNodeRef").text = task_id
    return True


def _vendor_name(attribute: str) -> tuple[str | None, str]:
    if attribute.startswith("{"):
        namespace, local = attribute[1:].split("}", 1)
        for vendor, uri in VENDOR_NAMESPACES.items():
            if namespace == uri:
                return vendor, local
    return None, attribute


def _extension_elements(element):
    found = element.find(f"{{{BPMN_NS}}}extensionElements")
    if found is None:
        found = etree.Element(f"{{{BPMN_NS}}}extensionElements")
        element.insert(0, found)
    return found


def _add_spiff_extension(element, tag: str, text: str) -> None:
    extensions = _extension_elements(element)
    if extensions.find(f"{{{SPIFF_NS}}}{tag}") is None:
        etree.SubElement(extensions, f"{{{SPIFF_NS}}}{tag}").text = text


def _add_spiff_property(element, name: str, value: str) -> None:
    extensions = _extension_elements(element)
    properties = extensions.find(f"{{{SPIFF_NS}}}properties")
    if properties is None:
        properties = etree.SubElement(extensions, f"{{{SPIFF_NS}}}properties")
    if not properties.xpath("spiffworkflow:property[@name=$n]", namespaces=NS, n=name):
        etree.SubElement(properties, f"{{{SPIFF_NS}}}property", name=name, value=value)


_KINDS = (("sequenceFlow", "flow"), ("Task", "task"), ("task", "task"), ("Event", "event"),
          ("Gateway", "gateway"), ("subProcess", "subprocess"), ("callActivity", "call activity"))


def _named(element) -> str:
    """How a manager finds the element on the diagram: its kind, its name, its id."""
    local = etree.QName(element).localname
    kind = next((word for suffix, word in _KINDS if local.endswith(suffix)), "element")
    name = " ".join((element.get("name") or "").split())
    return f"the {kind} “{name}” ({element.get('id')})" if name else f"the {kind} {element.get('id')}"


def _what_expression(node) -> str:
    local = etree.QName(node).localname
    return {"conditionExpression": "condition", "completionCondition": "completion condition"}.get(
        local, "timer expression")


def _at(node, file: str, message: str) -> Problem:
    return Problem(message, file=file, line=node.sourceline, element_id=node.get("id"))
