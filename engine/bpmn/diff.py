"""Comparing two versions of a BPMN file by what they mean, element by element.

Each element of the process (by id) is reduced to the properties a manager cares about:
its type, name, form, condition, script, lane or assignee, timer, called process or
decision, instructions, documentation, and for a flow where it comes from and goes to. What
a modeler rewrites without meaning anything is left out: attribute and extension order,
diagram coordinates, `incoming`/`outgoing` lists (they follow the flows), whitespace around
text, data objects and input/output declarations. So one added task shows as one added
element plus the flows that were added or re-pointed, and a changed element says what
changed in it."""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from engine.bpmn import safe_xml
from engine.bpmn.element_checks import BPMN_NS, FORM_PROPERTIES, SPIFF_NS

_B, _S = f"{{{BPMN_NS}}}", f"{{{SPIFF_NS}}}"
_VENDOR_NAMESPACES = ("http://camunda.org/schema/1.0/bpmn", "http://flowable.org/bpmn", "http://activiti.org/bpmn")
_SCOPES = {"process", "subProcess", "transaction", "adHocSubProcess"}
# Children of a scope that are declarations or drawing aids, not steps of the process.
_NOT_COMPARED = {"laneSet", "dataObject", "dataObjectReference", "dataStoreReference",
                 "association", "group", "extensionElements", "documentation", "ioSpecification", "property",
                 "dataInputAssociation", "dataOutputAssociation", "incoming", "outgoing", "category"}


@dataclass(frozen=True)
class ElementChanges:
    added: list[str]
    removed: list[str]
    changed: list[str]
    details: dict[str, list[str]] = field(default_factory=dict)  # changed id -> what changed in it ("name"...)


def compare_bpmn(old: bytes, new: bytes) -> ElementChanges:
    before, after = _meaning(old), _meaning(new)
    details = {}
    for element_id in sorted(set(before) & set(after)):
        differing = sorted(k for k in set(before[element_id]) | set(after[element_id])
                           if before[element_id].get(k) != after[element_id].get(k))
        if differing:
            details[element_id] = differing
    return ElementChanges(added=sorted(set(after) - set(before)), removed=sorted(set(before) - set(after)),
                          changed=sorted(details), details=details)


def _meaning(content: bytes) -> dict[str, dict[str, object]]:
    """Element id -> {property: value} for every process, lane and step of the file."""
    root = safe_xml.parse(content, "version").getroot()
    found: dict[str, dict[str, object]] = {}
    for process in root.iter(f"{_B}process"):
        lanes = _lane_of_each_node(process)
        found[process.get("id")] = _common(process)
        for lane in process.iter(f"{_B}lane"):
            found[lane.get("id")] = _common(lane)
        _scope(process, lanes, found)
    return found


def _scope(scope, lanes: dict[str, str], found: dict) -> None:
    for node in scope:
        if not isinstance(node.tag, str) or not node.tag.startswith(_B) or not node.get("id"):
            continue
        kind = etree.QName(node).localname
        if kind in _NOT_COMPARED:
            continue
        found[node.get("id")] = _properties(node, kind, lanes)
        if kind in _SCOPES:
            _scope(node, lanes, found)


def _lane_of_each_node(process) -> dict[str, str]:
    lanes = {}
    for lane in process.iter(f"{_B}lane"):
        for ref in lane.findall(f"{_B}flowNodeRef"):
            lanes[(ref.text or "").strip()] = _text(lane.get("name")) or lane.get("id")
    return lanes


def _common(node) -> dict[str, object]:
    props = {"type": etree.QName(node).localname, "name": _text(node.get("name"))}
    documentation = " ".join(_text(d.text) for d in node.findall(f"{_B}documentation"))
    if documentation:
        props["documentation"] = documentation
    return props


def _properties(node, kind: str, lanes: dict[str, str]) -> dict[str, object]:
    props = _common(node)
    if kind == "textAnnotation":
        props["text"] = _code(node.findtext(f"{_B}text"))
        return props
    if kind == "sequenceFlow":
        props.update(source=node.get("sourceRef"), target=node.get("targetRef"))
        condition = node.find(f"{_B}conditionExpression")
        if condition is not None:
            props["condition"] = _text(condition.text)
        return props
    if node.get("id") in lanes:
        props["lane"] = lanes[node.get("id")]
    for key, value in (("default flow", node.get("default")), ("called element", node.get("calledElement")),
                       ("attached to", node.get("attachedToRef")), ("interrupting", node.get("cancelActivity"))):
        if value is not None:
            props[key] = value
    script = node.find(f"{_B}script")
    if script is not None:
        props["script"] = _code(script.text)
    props.update(_extensions(node))
    props.update(_vendor_attributes(node))
    events = _event_definitions(node)
    if events:
        props["event"] = events
    timer = _timer(node)
    if timer:
        props["timer"] = timer
    loop = node.find(f"{_B}multiInstanceLoopCharacteristics")
    if loop is not None or node.find(f"{_B}standardLoopCharacteristics") is not None:
        props["loop"] = _canonical(loop if loop is not None else node.find(f"{_B}standardLoopCharacteristics"))
    return props


def _extensions(node) -> dict[str, object]:
    """SpiffArena's extensions, by meaning: form, instructions, scripts, decision, service, other properties."""
    props: dict[str, object] = {}
    extensions = node.find(f"{_B}extensionElements")
    if extensions is None:
        return props
    properties = {p.get("name"): p.get("value") for p in extensions.iter(f"{_S}property")}
    form = tuple(properties.pop(name) for name in FORM_PROPERTIES if name in properties)
    if form:
        props["form"] = form
    if "assignee" in properties:
        props["assignee"] = properties.pop("assignee")
    if properties:
        props["properties"] = tuple(sorted(properties.items()))
    for tag, key in (("instructionsForEndUser", "instructions"), ("preScript", "pre-script"),
                     ("postScript", "post-script"), ("calledDecisionId", "decision"),
                     ("serviceTaskOperator", "service")):
        found = extensions.find(f"{_S}{tag}")
        if found is not None:
            props[key] = _canonical(found) if tag == "serviceTaskOperator" else _code(found.text)
    return props


def _vendor_attributes(node) -> dict[str, object]:
    """Camunda/Flowable attributes count by their meaning: formKey is the form, assignee the assignee..."""
    props: dict[str, object] = {}
    for name, value in node.attrib.items():
        if not name.startswith("{"):
            continue
        namespace, local = name[1:].split("}", 1)
        if namespace in _VENDOR_NAMESPACES:
            key = {"formKey": "form", "assignee": "assignee", "candidateGroups": "lane",
                   "decisionRef": "decision"}.get(local, local)
            props[key] = value.strip()
    return props


def _event_definitions(node) -> tuple:
    found = []
    for child in node:
        if isinstance(child.tag, str) and child.tag.endswith("EventDefinition") \
                and etree.QName(child).localname != "timerEventDefinition":
            refs = tuple(sorted((k, v) for k, v in child.attrib.items() if k != "id"))
            found.append((etree.QName(child).localname, refs))
    return tuple(sorted(found))


def _timer(node) -> tuple:
    definition = node.find(f"{_B}timerEventDefinition")
    if definition is None:
        return ()
    return tuple(sorted((etree.QName(c).localname, _text(c.text)) for c in definition if isinstance(c.tag, str)))


def _canonical(node) -> bytes:
    """An element's meaning without its ids (generated) and with attributes in one order."""
    copy = etree.fromstring(etree.tostring(node))
    for element in copy.iter():
        if isinstance(element.tag, str) and "id" in element.attrib:
            del element.attrib["id"]
        if element.text:
            element.text = element.text.strip()
        if element.tail:
            element.tail = element.tail.strip()
    return etree.tostring(copy, method="c14n")


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _code(value: str | None) -> str:
    """Scripts and instructions: trailing spaces and blank edges are noise, inner lines are not."""
    lines = [line.rstrip() for line in (value or "").strip("\n").splitlines()]
    return "\n".join(lines).strip()
