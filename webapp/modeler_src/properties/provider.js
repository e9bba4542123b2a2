/*
 * Our properties provider: it adds the groups for the `spiffworkflow:` conventions of
 * the engine (docs/modeler.md lists what each writes) to bpmn-js-properties-panel's own
 * BPMN groups (name, id, documentation, timer, message, loop cardinality...).
 */
import { Group } from '@bpmn-io/properties-panel';

import { callGroups } from './call-entries';
import { flowGroups } from './flow-entries';
import { messageGroups } from './message-entries';
import { multiInstanceEntries } from './multi-instance-entries';
import { taskGroups } from './task-entries';

const LOW_PRIORITY = 500; // after bpmn-js-properties-panel's provider: we see and extend its groups

export default class SecretariatPropertiesProvider {
  constructor(propertiesPanel) {
    propertiesPanel.registerProvider(LOW_PRIORITY, this);
  }

  getGroups(element) {
    return groups => {
      const ours = [ ...taskGroups(element), ...flowGroups(element), ...callGroups(element) ];
      const multiInstance = groups.find(group => group.id === 'multiInstance');
      if (multiInstance) {
        multiInstance.entries = [ ...multiInstanceEntries(element), ...multiInstance.entries ];
      }
      const general = groups.findIndex(group => group.id === 'general');
      groups.splice(general + 1, 0, ...ours.map(group => ({ component: Group, ...group })));
      const message = groups.findIndex(group => group.id === 'message'); // ours follow bpmn-js's message group
      groups.splice(message < 0 ? general + 1 + ours.length : message + 1, 0,
        ...messageGroups(element).map(group => ({ component: Group, ...group })));
      return groups;
    };
  }
}

SecretariatPropertiesProvider.$inject = [ 'propertiesPanel' ];
