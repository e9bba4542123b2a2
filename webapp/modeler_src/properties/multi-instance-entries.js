/*
 * Panel entries of a multi-instance activity, beside bpmn-js's own loop cardinality and
 * completion condition: the input collection (loopDataInputRef), the output collection
 * (loopDataOutputRef), the names each instance reads and writes (inputDataItem and
 * outputDataItem, whose id SpiffWorkflow uses as the variable name) and
 * spiffworkflow:scriptsOnInstances.
 *
 * A collection is a variable, but BPMN makes it a reference to an element id: we declare
 * it as a bpmn:property of the process (see ../collections.js) so the name survives export.
 */
import { CheckboxEntry, TextFieldEntry, isCheckboxEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { is } from 'bpmn-js/lib/util/ModelUtil';

import { processOf } from '../collections';
import { getBusinessObject, run } from './extensions';

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function loopOf(element) {
  const loop = getBusinessObject(element).get('loopCharacteristics');
  return loop && is(loop, 'bpmn:MultiInstanceLoopCharacteristics') ? loop : null;
}

function update(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

function checkName(value, ids, current) {
  if (!value) {
    return null;
  }
  if (!VARIABLE.test(value)) {
    return 'A variable name: letters, digits and _, not starting with a digit.';
  }
  const owner = ids.assigned(value);
  if (owner && owner !== current && !is(owner, 'bpmn:Property')) {
    return `"${value}" is already the id of another element; choose another name.`;
  }
  return null;
}

/** Whether another multi-instance activity still names `target` as a collection. */
function usedElsewhere(elementRegistry, target, loop, property) {
  return elementRegistry.filter(shape => {
    const other = shape.businessObject && shape.businessObject.get && shape.businessObject.get('loopCharacteristics');
    return other && [ 'loopDataInputRef', 'loopDataOutputRef' ].some(
      name => (other !== loop || name !== property) && other.get(name) === target);
  }).length > 0;
}

function CollectionEntry({ element, id, property, label, description }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const elementRegistry = useService('elementRegistry');
  const moddle = useService('moddle');
  const loop = loopOf(element);
  const getValue = () => {
    const ref = loop.get(property);
    return (ref && ref.id) || '';
  };
  const setValue = (value, error) => {
    const old = loop.get(property);
    if (error || (old && old.id === value)) {
      return;
    }
    const process = processOf(getBusinessObject(element));
    const declared = process.get('properties');
    let properties = declared.slice();
    const commands = [];
    let target = value ? moddle.ids.assigned(value) || null : null;
    if (value && !target) {
      target = bpmnFactory.create('bpmn:Property', { id: value, name: value });
      target.$parent = process;
      properties.push(target);
    }
    if (old && declared.includes(old) && !usedElsewhere(elementRegistry, old, loop, property)) {
      properties = properties.filter(p => p !== old); // the old name's declaration goes with it
      commands.push({ cmd: 'id.updateClaim', context: { id: old.id, element: old, claiming: false } });
    }
    if (properties.length !== declared.length || properties.some((p, i) => p !== declared[i])) {
      commands.unshift(update(element, process, { properties }));
    }
    commands.unshift(update(element, loop, { [property]: target || undefined }));
    run(commandStack, commands);
  };
  return TextFieldEntry({
    element, id, label, description, debounce, getValue, setValue,
    validate: value => checkName(value, moddle.ids, loop.get(property)),
  });
}

function ItemEntry({ element, id, property, type, label, description }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const moddle = useService('moddle');
  const loop = loopOf(element);
  const getValue = () => {
    const item = loop.get(property);
    return (item && item.id) || '';
  };
  const setValue = (value, error) => {
    const old = loop.get(property);
    if (error || (old && old.id === value)) {
      return;
    }
    const commands = [];
    let item;
    if (value) {
      item = bpmnFactory.create(type, { id: value, name: value });
      item.$parent = loop;
    }
    commands.push(update(element, loop, { [property]: item }));
    if (old) {
      commands.push({ cmd: 'id.updateClaim', context: { id: old.id, element: old, claiming: false } });
    }
    run(commandStack, commands);
  };
  return TextFieldEntry({
    element, id, label, description, debounce, getValue, setValue,
    validate: value => checkName(value, moddle.ids, loop.get(property)),
  });
}

function ScriptsOnInstancesEntry({ element }) {
  const commandStack = useService('commandStack');
  const loop = loopOf(element);
  return CheckboxEntry({
    element, id: 'spiff-scripts-on-instances', label: 'Run the pre- and post-scripts in each instance',
    getValue: () => !!loop.get('spiffworkflow:scriptsOnInstances'),
    setValue: checked => run(commandStack, [ update(element, loop, { 'spiffworkflow:scriptsOnInstances': checked || undefined }) ]),
    description: 'Otherwise they run once, before and after all the instances.',
  });
}

export function multiInstanceEntries(element) {
  if (!loopOf(element)) {
    return [];
  }
  const edited = isTextFieldEntryEdited;
  return [
    { id: 'spiff-input-collection', property: 'loopDataInputRef', label: 'Input collection', component: CollectionEntry,
      description: 'The list in the process data: one instance per item.', isEdited: edited },
    { id: 'spiff-input-item', property: 'inputDataItem', type: 'bpmn:DataInput', label: 'Input item',
      description: 'The name each instance gets its item under.', component: ItemEntry, isEdited: edited },
    { id: 'spiff-output-collection', property: 'loopDataOutputRef', label: 'Output collection', component: CollectionEntry,
      description: 'The list the results are collected into.', isEdited: edited },
    { id: 'spiff-output-item', property: 'outputDataItem', type: 'bpmn:DataOutput', label: 'Output item',
      description: 'The variable each instance leaves its result in.', component: ItemEntry, isEdited: edited },
    { id: 'spiff-scripts-on-instances', component: ScriptsOnInstancesEntry, isEdited: isCheckboxEntryEdited },
  ];
}
