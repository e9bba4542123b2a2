/*
 * The structural rules of engine/bpmn/structure_rules.json as bpmnlint rules, so that the
 * manager sees, as they draw, what the deploy check (engine/bpmn/structure.py) will refuse:
 * same rule ids, same messages (read from that JSON when esbuild bundles this file).
 * `script-syntax` and `condition-syntax` stay on the server: only Python can read Python.
 */
import shared from '../../../engine/bpmn/structure_rules.json';

export const MESSAGES = Object.fromEntries(shared.rules.map(rule => [ rule.id, rule.message ]));

const is = (node, type) => Boolean(node && node.$instanceOf && node.$instanceOf(type));

function hasEventDefinition(node, type) {
  return (node.eventDefinitions || []).some(definition => is(definition, type));
}

function inAdHocSubProcess(node) {
  return is(node.$parent, 'bpmn:AdHocSubProcess');
}

/** Every flow element of a process or subprocess, those of its subprocesses included. */
function allFlowElements(container, found = []) {
  (container.flowElements || []).forEach(element => {
    found.push(element);
    if (is(element, 'bpmn:SubProcess')) {
      allFlowElements(element, found);
    }
  });
  return found;
}

/**
 * The sequence flows leaving `node` for a step of its own scope, by their sourceRef (as the
 * engine reads them): the <bpmn:outgoing> list is optional in BPMN and other tools leave it
 * out. A flow to nothing is no way out (the deploy check skips it too).
 */
function outgoingOf(node) {
  const container = node.$parent;
  return ((container && container.flowElements) || []).filter(e => is(e, 'bpmn:SequenceFlow') && e.sourceRef === node
    && is(e.targetRef, 'bpmn:FlowNode') && e.targetRef.$parent === container);
}

/** Elements a case may go on from without a sequence flow of its own. */
function endsByDesign(node) {
  return is(node, 'bpmn:EndEvent') || (is(node, 'bpmn:SubProcess') && node.triggeredByEvent)
    || node.isForCompensation || inAdHocSubProcess(node)
    || (is(node, 'bpmn:IntermediateThrowEvent') && hasEventDefinition(node, 'bpmn:LinkEventDefinition'))
    || (is(node, 'bpmn:BoundaryEvent') && hasEventDefinition(node, 'bpmn:CompensateEventDefinition'));
}

/**
 * Started by something other than an incoming flow: start events, boundary events, event
 * subprocesses, link catch events and compensation handlers (as engine/bpmn/structure.py).
 */
function beginsTokens(node) {
  return is(node, 'bpmn:StartEvent') || is(node, 'bpmn:BoundaryEvent') || node.isForCompensation
    || (is(node, 'bpmn:SubProcess') && node.triggeredByEvent)
    || (is(node, 'bpmn:IntermediateCatchEvent') && hasEventDefinition(node, 'bpmn:LinkEventDefinition'));
}

/** The flow nodes a case can reach, each scope (process, subprocess) from where its tokens begin. */
function reachable(process, elements) {
  const startsOf = container => {
    const nodes = (container.flowElements || []).filter(e => is(e, 'bpmn:FlowNode'));
    if (nodes.some(e => is(e, 'bpmn:StartEvent'))) {
      return nodes.filter(beginsTokens);
    }
    const flows = (container.flowElements || []).filter(e => is(e, 'bpmn:SequenceFlow'));
    return nodes.filter(e => beginsTokens(e) || !flows.some(f => f.targetRef === e));
  };
  const reached = new Set();
  const queue = [ ...startsOf(process), ...elements.filter(e => is(e, 'bpmn:SubProcess')).flatMap(startsOf) ];
  while (queue.length) {
    const node = queue.shift();
    if (!node || reached.has(node)) {
      continue;
    }
    reached.add(node);
    outgoingOf(node).forEach(flow => queue.push(flow.targetRef));
  }
  return reached;
}

/** Whether no-way-out or gateway-without-way-out marks `node`: then it gets that one finding only. */
function lacksWayOut(node) {
  return is(node, 'bpmn:FlowNode') && !endsByDesign(node) && !outgoingOf(node).length;
}

function rule(id, check) {
  return () => ({ check: (node, reporter) => check(node, (elementId) => reporter.report(elementId, MESSAGES[id])) });
}

export const RULES = {
  'start-event-required': rule('start-event-required', (node, report) => {
    const nodes = is(node, 'bpmn:Process') ? (node.flowElements || []).filter(e => is(e, 'bpmn:FlowNode')) : [];
    if (nodes.length && !nodes.some(e => is(e, 'bpmn:StartEvent'))) {
      report(node.id);
    }
  }),

  // One finding per element, as the deploy check: flow-to-nothing, then no way out, then unreachable.
  'unreachable-element': rule('unreachable-element', (node, report) => {
    if (!is(node, 'bpmn:Process')) {
      return;
    }
    const elements = allFlowElements(node);
    const reached = reachable(node, elements);
    elements.filter(e => is(e, 'bpmn:FlowNode') && !reached.has(e) && !inAdHocSubProcess(e) && !lacksWayOut(e))
      .forEach(element => report(element.id));
  }),

  'no-way-out': rule('no-way-out', (node, report) => {
    if (is(node, 'bpmn:FlowNode') && !is(node, 'bpmn:Gateway') && !endsByDesign(node) && !outgoingOf(node).length) {
      report(node.id);
    }
  }),

  'gateway-without-way-out': rule('gateway-without-way-out', (node, report) => {
    if (is(node, 'bpmn:Gateway') && !outgoingOf(node).length) {
      report(node.id);
    }
  }),

  'flow-to-nothing': rule('flow-to-nothing', (node, report) => {
    const inScope = end => is(end, 'bpmn:FlowNode') && end.$parent === node.$parent; // same process or subprocess
    if (is(node, 'bpmn:SequenceFlow') && (!inScope(node.targetRef) || !inScope(node.sourceRef))) {
      report(node.id);
    }
  }),
};
