/*
 * Reading and writing the `spiffworkflow:` extension elements of a BPMN element as
 * undoable commands of the modeler. Each setter returns a list of
 * `{ cmd, context }` for the properties panel's multi-command executor, so one edit in
 * the panel is one step of undo, whatever it had to create.
 */
import { getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';

export const PROPERTIES = 'spiffworkflow:Properties';
export const PROPERTY = 'spiffworkflow:Property';

export function extensionValues(bo) {
  const extensionElements = bo && bo.get('extensionElements');
  return (extensionElements && extensionElements.get('values')) || [];
}

/** The first extension element of `type` on `bo`, or null. */
export function extensionOf(bo, type) {
  return extensionValues(bo).find(value => value.$type === type) || null;
}

/** The text of a body extension (instructions, scripts, message variable...), or ''. */
export function extensionText(bo, type) {
  const found = extensionOf(bo, type);
  return (found && found.get('value')) || '';
}

/** A spiffworkflow:property value (the form file names live there), or ''. */
export function propertyValue(bo, name) {
  const properties = extensionOf(bo, PROPERTIES);
  const found = properties && properties.get('properties').find(p => p.get('name') === name);
  return (found && found.get('value')) || '';
}

function update(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

/**
 * Commands that make `values` the extension values of `bo` (creating bpmn:extensionElements
 * when it has none, removing it when nothing is left).
 */
function replaceValues(element, bo, values, bpmnFactory) {
  const extensionElements = bo.get('extensionElements');
  if (!extensionElements) {
    if (!values.length) {
      return [];
    }
    const created = bpmnFactory.create('bpmn:ExtensionElements', { values });
    created.$parent = bo;
    values.forEach(value => { value.$parent = created; });
    return [ update(element, bo, { extensionElements: created }) ];
  }
  if (!values.length) {
    return [ update(element, bo, { extensionElements: undefined }) ];
  }
  values.forEach(value => { value.$parent = extensionElements; });
  return [ update(element, extensionElements, { values }) ];
}

/** Commands setting a body extension's text; an empty text removes the extension element. */
export function setExtensionText(element, bo, type, text, bpmnFactory) {
  const existing = extensionOf(bo, type);
  const values = extensionValues(bo);
  if (!text) {
    return existing ? replaceValues(element, bo, values.filter(v => v !== existing), bpmnFactory) : [];
  }
  if (existing) {
    return [ update(element, existing, { value: text }) ];
  }
  return replaceValues(element, bo, [ ...values, bpmnFactory.create(type, { value: text }) ], bpmnFactory);
}

/**
 * Commands setting spiffworkflow:property values, `{ name: value }`; an empty value removes
 * the property, and the spiffworkflow:properties element goes when none is left.
 */
export function setPropertyValues(element, bo, changes, bpmnFactory) {
  const properties = extensionOf(bo, PROPERTIES);
  const list = properties ? properties.get('properties') : [];
  let newList = list.slice();
  const commands = [];
  for (const [ name, value ] of Object.entries(changes)) {
    const existing = newList.find(p => p.get('name') === name);
    if (existing && value && list.includes(existing)) {
      commands.push(update(element, existing, { value }));
    } else if (existing && !value) {
      newList = newList.filter(p => p !== existing);
    } else if (!existing && value) {
      newList.push(bpmnFactory.create(PROPERTY, { name, value }));
    }
  }
  if (newList.length === list.length && newList.every((p, i) => p === list[i])) {
    return commands;
  }
  if (properties && newList.length) {
    newList.forEach(p => { p.$parent = properties; });
    return [ ...commands, update(element, properties, { properties: newList }) ];
  }
  const values = extensionValues(bo).filter(v => v !== properties);
  if (newList.length) {
    const created = bpmnFactory.create(PROPERTIES, { properties: newList });
    newList.forEach(p => { p.$parent = created; });
    values.unshift(created);
  }
  return [ ...commands, ...replaceValues(element, bo, values, bpmnFactory) ];
}

/** Run `commands` as one undoable step (nothing when empty). */
export function run(commandStack, commands) {
  if (commands.length === 1) {
    commandStack.execute(commands[0].cmd, commands[0].context);
  } else if (commands.length) {
    commandStack.execute('properties-panel.multi-command-executor', commands);
  }
}

export { getBusinessObject };
