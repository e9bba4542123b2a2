/*
 * The bpmn-js Modeler with the properties panel, our `spiffworkflow` moddle extension and
 * our properties provider; the structural lint (lint/), token simulation and a minimap. Importing declares the multi-instance collections that name no
 * element (collections.js) and says which it declared.
 */
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import LintModule from 'bpmn-js-bpmnlint';
import TokenSimulationModule from 'bpmn-js-token-simulation';
import MinimapModule from 'diagram-js-minimap';

import { declareMissingCollections } from './collections';
import { lintConfig } from './lint/config';
import { translateModule } from './translate';
import { fitBesidePalette } from './view-controls';
import SecretariatPropertiesProvider from './properties/provider';
import spiffworkflowModdle from './spiffworkflow-moddle.json';

const BEFORE_ID_COLLECTION = 1500; // BaseModeler reserves the parsed ids at the default priority

export function createEditor({ canvas, panel, catalog, words = {} }) {
  const modeler = new Modeler({
    container: canvas,
    propertiesPanel: { parent: panel },
    linting: { bpmnlint: lintConfig, active: true },
    minimap: { open: false }, // open, it would cover part of the diagram; its toggle stays
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      LintModule,
      TokenSimulationModule,
      MinimapModule,
      translateModule(words),
      {
        __init__: [ 'secretariatPropertiesProvider' ],
        secretariatPropertiesProvider: [ 'type', SecretariatPropertiesProvider ],
        secretariatCatalog: [ 'value', catalog ],
      },
    ],
    moddleExtensions: { spiffworkflow: spiffworkflowModdle },
  });

  let declared = [];
  modeler.on('import.parse.complete', BEFORE_ID_COLLECTION, event => {
    declared = event.error ? [] : declareMissingCollections(modeler.get('moddle'), event.warnings, event.elementsById);
  });

  /** Imports `xml`; resolves to { declared: [collection names], warnings: [messages] }. */
  async function open(xml) {
    const result = await modeler.importXML(xml);
    fitBesidePalette(modeler);
    const warnings = (result.warnings || []).filter(w => !w.resolved).map(w => w.message);
    return { declared: declared.slice(), warnings };
  }

  async function exportXML() {
    const { xml } = await modeler.saveXML({ format: true });
    return xml;
  }

  /** The id of the diagram's executable process (the first process when none says so). */
  function processKey() {
    const definitions = modeler.getDefinitions();
    const processes = (definitions ? definitions.get('rootElements') : []).filter(e => e.$type === 'bpmn:Process');
    const executable = processes.find(p => p.get('isExecutable')) || processes[0];
    return executable ? executable.id : null;
  }

  return { modeler, open, exportXML, processKey };
}
