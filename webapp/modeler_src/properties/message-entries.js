/*
 * Panel entries of message events and send/receive tasks, beside bpmn-js's own message
 * reference and name: where a caught message's payload goes (spiffworkflow:messageVariable),
 * what a thrown message carries (spiffworkflow:messagePayload), and the correlation: a
 * correlation property, its value in this instance (spiffworkflow:processVariableCorrelation)
 * and in the message (the property's bpmn:correlationPropertyRetrievalExpression).
 */
import { TextAreaEntry, TextFieldEntry, isTextAreaEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { is, isAny } from 'bpmn-js/lib/util/ModelUtil';

import { extensionOf, extensionText, extensionValues, getBusinessObject, run, setExtensionText } from './extensions';

const CORRELATION = 'spiffworkflow:ProcessVariableCorrelation';

/** The element that holds the message and its extensions: the event definition, or the task. */
function messageHolder(element) {
  const bo = getBusinessObject(element);
  if (isAny(bo, [ 'bpmn:SendTask', 'bpmn:ReceiveTask' ])) {
    return bo;
  }
  return (bo.get('eventDefinitions') || []).find(d => is(d, 'bpmn:MessageEventDefinition')) || null;
}

function isCatching(element) {
  return isAny(element, [ 'bpmn:IntermediateCatchEvent', 'bpmn:StartEvent', 'bpmn:BoundaryEvent', 'bpmn:ReceiveTask' ]);
}

function definitionsOf(bo) {
  let node = bo;
  while (node.$parent) {
    node = node.$parent;
  }
  return node;
}

function update(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

function useServices() {
  return {
    bpmnFactory: useService('bpmnFactory'), commandStack: useService('commandStack'),
    debounce: useService('debounceInput'), moddle: useService('moddle'),
  };
}

function TextExtensionEntry({ element, id, type, label, description, area }) {
  const { bpmnFactory, commandStack, debounce } = useServices();
  const holder = messageHolder(element);
  const entry = area ? TextAreaEntry : TextFieldEntry;
  return entry({
    element, id, label, description, debounce, rows: 2, monospace: !!area,
    getValue: () => extensionText(holder, type),
    setValue: value => run(commandStack, setExtensionText(element, holder, type, value || '', bpmnFactory)),
  });
}

function correlationOf(holder) {
  return extensionOf(holder, CORRELATION);
}

function CorrelationEntry({ element, id, field, label, description }) {
  const { bpmnFactory, commandStack, debounce } = useServices();
  const holder = messageHolder(element);
  const getValue = () => {
    const correlation = correlationOf(holder);
    return (correlation && correlation.get(field)) || '';
  };
  const setValue = value => {
    const correlation = correlationOf(holder);
    if (correlation && (value || field === 'expression')) {
      return run(commandStack, [ update(element, correlation, { [field]: value || undefined }) ]);
    }
    const values = extensionValues(holder).filter(v => v !== correlation);
    if (value) {
      values.push(bpmnFactory.create(CORRELATION, { [field]: value }));
    }
    const extensionElements = holder.get('extensionElements') || bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    values.forEach(v => { v.$parent = extensionElements; });
    const commands = [ update(element, extensionElements, { values }) ];
    if (!holder.get('extensionElements')) {
      extensionElements.$parent = holder;
      commands.unshift(update(element, holder, { extensionElements }));
    }
    run(commandStack, commands);
  };
  return TextFieldEntry({ element, id, label, description, debounce, getValue, setValue });
}

/** The message's retrieval expression of the correlation property this element names. */
function MessageValueEntry({ element }) {
  const { bpmnFactory, commandStack, debounce, moddle } = useServices();
  const holder = messageHolder(element);
  const message = holder.get('messageRef');
  const correlation = correlationOf(holder);
  const propertyId = correlation && correlation.get('propertyId');
  const definitions = definitionsOf(holder);
  const findProperty = () => definitions.get('rootElements').find(e => is(e, 'bpmn:CorrelationProperty') && e.id === propertyId);
  const findRetrieval = property => property && (property.get('correlationPropertyRetrievalExpression') || [])
    .find(r => r.get('messageRef') === message);
  const getValue = () => {
    const retrieval = findRetrieval(findProperty());
    const path = retrieval && retrieval.get('messagePath');
    return (path && path.get('body')) || '';
  };
  const setValue = (value, error) => {
    if (error || !value) {
      return;
    }
    const commands = [];
    let property = findProperty();
    if (!property) {
      property = bpmnFactory.create('bpmn:CorrelationProperty', { id: propertyId, name: propertyId });
      property.$parent = definitions;
      commands.push(update(element, definitions, { rootElements: [ ...definitions.get('rootElements'), property ] }));
    }
    const retrieval = findRetrieval(property);
    const path = bpmnFactory.create('bpmn:FormalExpression', { body: value });
    if (retrieval) {
      path.$parent = retrieval;
      commands.push(update(element, retrieval, { messagePath: path }));
    } else {
      const created = bpmnFactory.create('bpmn:CorrelationPropertyRetrievalExpression', { messageRef: message, messagePath: path });
      created.$parent = property;
      path.$parent = created;
      const list = property.get('correlationPropertyRetrievalExpression');
      commands.push(update(element, property, { correlationPropertyRetrievalExpression: [ ...list, created ] }));
    }
    run(commandStack, commands);
  };
  const validate = value => {
    const owner = propertyId && moddle.ids.assigned(propertyId);
    if (value && owner && !is(owner, 'bpmn:CorrelationProperty')) {
      return `"${propertyId}" is already the id of another element; name the correlation property otherwise.`;
    }
    return null;
  };
  return TextFieldEntry({
    element, id: 'spiff-correlation-message', label: 'Its value in the message', debounce, getValue, setValue, validate,
    description: 'A Python expression over the message payload.',
  });
}

export function messageGroups(element) {
  const holder = messageHolder(element);
  if (!holder) {
    return [];
  }
  const edited = isTextFieldEntryEdited;
  const entries = [ isCatching(element)
    ? { id: 'spiff-message-variable', type: 'spiffworkflow:MessageVariable', label: 'Store the payload in',
      description: 'The variable that receives the message payload.', component: TextExtensionEntry, isEdited: edited }
    : { id: 'spiff-message-payload', type: 'spiffworkflow:MessagePayload', label: 'Payload', area: true,
      description: 'A Python expression: what the message carries.', component: TextExtensionEntry, isEdited: isTextAreaEntryEdited } ];
  entries.push({ id: 'spiff-correlation-property', field: 'propertyId', label: 'Correlation property',
    description: 'The id of the bpmn:correlationProperty that matches messages to instances.',
    component: CorrelationEntry, isEdited: edited });
  const correlation = correlationOf(holder);
  if (correlation && correlation.get('propertyId')) {
    entries.push({ id: 'spiff-correlation-expression', field: 'expression', label: 'Its value in this instance',
      description: 'A Python expression over the instance data.', component: CorrelationEntry, isEdited: edited });
    if (holder.get('messageRef')) {
      entries.push({ id: 'spiff-correlation-message', component: MessageValueEntry, isEdited: edited });
    }
  }
  return [ { id: 'spiff-message', label: 'Message data and correlation', entries } ];
}
