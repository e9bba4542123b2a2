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
 * The sequence flows leaving `node`, by their sourceRef (as the engine reads them): the
 * <bpmn:outgoing> list is optional in BPMN and other tools leave it out.
 */
function outgoingOf(node) {
  const container = node.$parent;
  return ((container && container.flowElements) || []).filter(e => is(e, 'bpmn:SequenceFlow') && e.sourceRef === node);
}

/** Elements a case may go on from without a sequence flow of its own. */
function endsByDesign(node) {
  return is(node, 'bpmn:EndEvent') || (is(node, 'bpmn:SubProcess') && node.triggeredByEvent)
    || node.isForCompensation || inAdHocSubProcess(node)
    || (is(node, 'bpmn:IntermediateThrowEvent') && hasEventDefinition(node, 'bpmn:LinkEventDefinition'))
    || (is(node, 'bpmn:BoundaryEvent') && hasEventDefinition(node, 'bpmn:CompensateEventDefinition'));
}

/** The flow nodes a case can reach from the start events, as the engine would run it. */
function reachable(process, elements) {
  const boundaries = new Map();
  elements.filter(e => is(e, 'bpmn:BoundaryEvent') && e.attachedToRef).forEach(event => {
    const host = event.attachedToRef.id;
    boundaries.set(host, [ ...(boundaries.get(host) || []), event ]);
  });
  const startsOf = container => {
    const nodes = (container.flowElements || []).filter(e => is(e, 'bpmn:FlowNode'));
    const starts = nodes.filter(e => is(e, 'bpmn:StartEvent'));
    const flows = (container.flowElements || []).filter(e => is(e, 'bpmn:SequenceFlow'));
    return starts.length || is(container, 'bpmn:Process') ? starts : nodes.filter(e => !flows.some(f => f.targetRef === e));
  };
  const seeds = [
    ...startsOf(process),
    // entered by their event or their link, not by a flow
    ...elements.filter(e => is(e, 'bpmn:SubProcess') && e.triggeredByEvent).flatMap(startsOf),
    ...elements.filter(e => is(e, 'bpmn:IntermediateCatchEvent') && hasEventDefinition(e, 'bpmn:LinkEventDefinition')),
  ];
  const reached = new Set();
  const queue = [ ...seeds ];
  while (queue.length) {
    const node = queue.shift();
    if (!node || reached.has(node)) {
      continue;
    }
    reached.add(node);
    outgoingOf(node).forEach(flow => queue.push(flow.targetRef));
    queue.push(...(boundaries.get(node.id) || []));
    if (is(node, 'bpmn:SubProcess') && !node.triggeredByEvent) {
      queue.push(...startsOf(node));
    }
  }
  return reached;
}

function rule(id, check) {
  return () => ({ check: (node, reporter) => check(node, (elementId) => reporter.report(elementId, MESSAGES[id])) });
}

export const RULES = {
  'start-event-required': rule('start-event-required', (node, report) => {
    if (is(node, 'bpmn:Process') && node.isExecutable
        && !(node.flowElements || []).some(e => is(e, 'bpmn:StartEvent'))) {
      report(node.id);
    }
  }),

  'unreachable-element': rule('unreachable-element', (node, report) => {
    if (!is(node, 'bpmn:Process') || !(node.flowElements || []).some(e => is(e, 'bpmn:StartEvent'))) {
      return; // without a start event, start-event-required says it all
    }
    const elements = allFlowElements(node);
    const reached = reachable(node, elements);
    elements.filter(e => is(e, 'bpmn:FlowNode') && !reached.has(e)).forEach(element => {
      const parentReached = element.$parent === node || reached.has(element.$parent);
      const exempt = element.isForCompensation || inAdHocSubProcess(element) || is(element, 'bpmn:BoundaryEvent')
        || element.triggeredByEvent || (element.$parent && element.$parent.triggeredByEvent);
      if (parentReached && !exempt) {
        report(element.id);
      }
    });
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
    if (is(node, 'bpmn:SequenceFlow')
        && (!is(node.targetRef, 'bpmn:FlowNode') || !is(node.sourceRef, 'bpmn:FlowNode'))) {
      report(node.id);
    }
  }),
};
