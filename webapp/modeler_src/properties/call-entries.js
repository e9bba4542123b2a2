/*
 * Panel entries that point at other deployed things: the process a call activity calls
 * (calledElement, chosen from the deployed process keys) and the DMN decision of a
 * business-rule task (spiffworkflow:calledDecisionId).
 */
import { SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { is } from 'bpmn-js/lib/util/ModelUtil';

import { extensionText, getBusinessObject, run, setExtensionText } from './extensions';

function CalledProcessEntry({ element }) {
  const commandStack = useService('commandStack');
  const catalog = useService('secretariatCatalog');
  const bo = getBusinessObject(element);
  const getOptions = () => {
    const current = bo.get('calledElement');
    const options = [ { value: '', label: '(choose a process)' } ];
    catalog.processes.forEach(p => options.push({ value: p.key, label: `${p.name} (${p.key})` }));
    if (current && !catalog.processes.some(p => p.key === current)) {
      options.push({ value: current, label: `${current} (not deployed)` });
    }
    return options;
  };
  return SelectEntry({
    element, id: 'spiff-called-element', label: 'Called process', getOptions,
    getValue: () => bo.get('calledElement') || '',
    setValue: value => commandStack.execute('element.updateModdleProperties', {
      element, moddleElement: bo, properties: { calledElement: value || undefined } }),
    description: 'A deployed process; each call starts its latest version.',
  });
}

function DecisionEntry({ element }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const type = 'spiffworkflow:CalledDecisionId';
  return TextFieldEntry({
    element, id: 'spiff-called-decision', label: 'Decision id (DMN)', debounce,
    getValue: () => extensionText(getBusinessObject(element), type),
    setValue: value => run(commandStack, setExtensionText(element, getBusinessObject(element), type, value || '', bpmnFactory)),
    description: 'The id of a decision in a deployed DMN file; its outputs are added to the task data.',
  });
}

export function callGroups(element) {
  if (is(element, 'bpmn:CallActivity')) {
    return [ { id: 'spiff-call', label: 'Called process',
      entries: [ { id: 'spiff-called-element', component: CalledProcessEntry, isEdited: isSelectEntryEdited } ] } ];
  }
  if (is(element, 'bpmn:BusinessRuleTask')) {
    return [ { id: 'spiff-decision', label: 'Decision',
      entries: [ { id: 'spiff-called-decision', component: DecisionEntry, isEdited: isTextFieldEntryEdited } ] } ];
  }
  return [];
}
