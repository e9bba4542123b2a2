/*
 * Panel entries of tasks: the lane (role) a task is in, read-only; the user task's form
 * (chosen from the deployed forms); instructions for the person doing it; the script of a
 * script task; and the pre- and post-scripts every task may have.
 */
import {
  SelectEntry, TextAreaEntry, TextFieldEntry, isSelectEntryEdited, isTextAreaEntryEdited,
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { is } from 'bpmn-js/lib/util/ModelUtil';

import {
  extensionText, getBusinessObject, propertyValue, run, setExtensionText, setPropertyValues,
} from './extensions';

const SCHEMA = 'formJsonSchemaFilename';
const UI_SCHEMA = 'formUiSchemaFilename';

/** The lane that holds `bo`, looking through enclosing subprocesses; null when unlaned. */
export function laneOf(bo) {
  let node = bo;
  while (node && node.$parent) {
    const lane = findLane(node);
    if (lane) {
      return lane;
    }
    node = node.$parent;
  }
  return null;
}

function findLane(node) {
  let container = node.$parent;
  while (container && !container.get('laneSets')) {
    container = container.$parent;
  }
  const search = laneSets => {
    for (const laneSet of laneSets || []) {
      for (const lane of laneSet.get('lanes') || []) {
        const inner = lane.get('childLaneSet') && search([ lane.get('childLaneSet') ]);
        if (inner) {
          return inner;
        }
        if ((lane.get('flowNodeRef') || []).includes(node)) {
          return lane;
        }
      }
    }
    return null;
  };
  return container ? search(container.get('laneSets')) : null;
}

function LaneEntry({ element }) {
  const debounce = useService('debounceInput');
  const lane = laneOf(getBusinessObject(element));
  return TextFieldEntry({
    element, id: 'spiff-lane', label: 'Lane (role)', disabled: true, debounce,
    getValue: () => (lane ? lane.get('name') || '(unnamed lane)' : '(not in a lane: anyone may do it)'),
    setValue: () => {},
    description: 'The lane\'s name is the role that does this task. Rename the lane on the canvas, or move the task into another lane.',
  });
}

function formOptions(catalog, current, uiSchemas) {
  const names = catalog.forms.filter(name => uiSchemas === isUiSchema(name));
  const options = [ { value: '', label: uiSchemas ? '(none)' : '(no form)' } ];
  names.forEach(name => options.push({ value: name, label: name }));
  if (current && !names.includes(current)) {
    options.push({ value: current, label: `${current} (not deployed)` });
  }
  return options;
}

export function isUiSchema(name) {
  const lowered = name.toLowerCase();
  return lowered.includes('uischema') || lowered.includes('ui-schema') || lowered.endsWith('.ui.json');
}

function FormEntry({ element, id, property }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const catalog = useService('secretariatCatalog');
  const bo = getBusinessObject(element);
  const ui = property === UI_SCHEMA;
  const setValue = value => {
    const changes = { [property]: value };
    const companion = value && value.replace(/\.schema\.json$/, '.uischema.json');
    if (!ui && companion !== value && !propertyValue(bo, UI_SCHEMA) && catalog.forms.includes(companion)) {
      changes[UI_SCHEMA] = companion; // the Secretariat's forms come in pairs: take the layout along
    }
    run(commandStack, setPropertyValues(element, bo, changes, bpmnFactory));
  };
  return SelectEntry({
    element, id, label: ui ? 'UI schema (layout)' : 'Form (JSON Schema)',
    getValue: () => propertyValue(bo, property),
    setValue,
    getOptions: () => formOptions(catalog, propertyValue(bo, property), ui),
    description: ui ? 'Optional: how the form\'s fields are laid out.' : 'The form the person fills in, from the deployed forms.',
  });
}

function ExtensionTextEntry({ element, id, type, label, description, rows, monospace }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  return TextAreaEntry({
    element, id, label, description, rows: rows || 4, monospace, debounce,
    getValue: () => extensionText(bo, type),
    setValue: value => run(commandStack, setExtensionText(element, getBusinessObject(element), type, value || '', bpmnFactory)),
  });
}

function ScriptEntry({ element }) {
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  return TextAreaEntry({
    element, id: 'spiff-script', label: 'Script (Python, no imports)', rows: 8, monospace: true, debounce,
    getValue: () => bo.get('script') || '',
    setValue: value => commandStack.execute('element.updateModdleProperties', {
      element, moddleElement: bo, properties: { script: value || undefined },
    }),
  });
}

const textEntry = (id, type, label, description, extra = {}) => ({
  id, type, label, description, component: ExtensionTextEntry, isEdited: isTextAreaEntryEdited, ...extra,
});

/** The groups for a task, or [] for other elements. */
export function taskGroups(element) {
  if (!is(element, 'bpmn:Activity')) {
    return [];
  }
  const groups = [];
  const work = [ { id: 'spiff-lane', component: LaneEntry, isEdited: () => false } ];
  if (is(element, 'bpmn:UserTask')) {
    work.push({ id: 'spiff-form', property: SCHEMA, component: FormEntry, isEdited: isSelectEntryEdited });
    work.push({ id: 'spiff-ui-schema', property: UI_SCHEMA, component: FormEntry, isEdited: isSelectEntryEdited });
  }
  if (is(element, 'bpmn:UserTask') || is(element, 'bpmn:ManualTask')) {
    work.push(textEntry('spiff-instructions', 'spiffworkflow:InstructionsForEndUser', 'Instructions',
      'Shown above the form: Markdown, with {{ variables }} from the task data (Jinja).', { rows: 6 }));
  }
  groups.push({ id: 'spiff-work', label: 'Who and what', entries: work });
  const scripts = [];
  if (is(element, 'bpmn:ScriptTask')) {
    scripts.push({ id: 'spiff-script', component: ScriptEntry, isEdited: isTextAreaEntryEdited });
  }
  if (is(element, 'bpmn:Task') || is(element, 'bpmn:CallActivity') || is(element, 'bpmn:SubProcess')) {
    scripts.push(textEntry('spiff-pre-script', 'spiffworkflow:PreScript', 'Pre-script',
      'Python run before the task starts.', { monospace: true }));
    scripts.push(textEntry('spiff-post-script', 'spiffworkflow:PostScript', 'Post-script',
      'Python run when the task is completed.', { monospace: true }));
  }
  if (scripts.length) {
    groups.push({ id: 'spiff-scripts', label: 'Scripts', entries: scripts });
  }
  return groups;
}
