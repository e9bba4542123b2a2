/*
 * Panel entries of sequence flows leaving a gateway: the condition (a Python expression
 * over the process data, written into bpmn:conditionExpression) and whether the flow is
 * the gateway's default (taken when no condition holds).
 */
import { CheckboxEntry, TextAreaEntry, isCheckboxEntryEdited, isTextAreaEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { is, isAny } from 'bpmn-js/lib/util/ModelUtil';

import { getBusinessObject, run } from './extensions';

const BRANCHING = [ 'bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway' ];

function isDefault(element) {
  const source = element.source && getBusinessObject(element.source);
  return !!source && source.get('default') === getBusinessObject(element);
}

function ConditionEntry({ element }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  const getValue = () => {
    const expression = bo.get('conditionExpression');
    return (expression && expression.get('body')) || '';
  };
  const setValue = value => {
    let expression;
    if (value) {
      expression = bpmnFactory.create('bpmn:FormalExpression', { body: value });
      expression.$parent = bo;
    }
    commandStack.execute('element.updateProperties', { element, properties: { conditionExpression: expression } });
  };
  return TextAreaEntry({
    element, id: 'spiff-condition', label: 'Condition', rows: 2, monospace: true, debounce, getValue, setValue,
    disabled: isDefault(element),
    description: isDefault(element)
      ? 'This is the default flow: it is taken when no other condition holds, so it needs none.'
      : 'A Python expression over the process data, e.g. edit_decision == \'Approve\'.',
  });
}

function DefaultEntry({ element }) {
  const commandStack = useService('commandStack');
  const setValue = checked => {
    const commands = [ { cmd: 'element.updateProperties', context: {
      element: element.source, properties: { default: checked ? getBusinessObject(element) : undefined } } } ];
    if (checked && getBusinessObject(element).get('conditionExpression')) {
      commands.push({ cmd: 'element.updateProperties', context: { element, properties: { conditionExpression: undefined } } });
    }
    run(commandStack, commands);
  };
  return CheckboxEntry({
    element, id: 'spiff-default-flow', label: 'Default flow of the gateway', getValue: () => isDefault(element), setValue,
  });
}

export function flowGroups(element) {
  if (!is(element, 'bpmn:SequenceFlow') || !element.source || !isAny(element.source, BRANCHING)) {
    return [];
  }
  return [ {
    id: 'spiff-condition-group', label: 'Condition',
    entries: [
      { id: 'spiff-default-flow', component: DefaultEntry, isEdited: isCheckboxEntryEdited },
      { id: 'spiff-condition', component: ConditionEntry, isEdited: isTextAreaEntryEdited },
    ],
  } ];
}
