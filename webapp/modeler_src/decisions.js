/*
 * Entry of the decision-table bundle (esbuild -> webapp/static/build/decisions.js). The page
 * templates/modeler/decision_editor.html holds one [data-decision-modeler] element whose
 * data-* attributes say which DMN file to open, where to validate and deploy it, and the
 * page's words in the user's language. dmn-js edits the file; the server checks it exactly
 * as a deployment does (with every process that uses it). Sets data-modeler-state
 * ("ready" or "failed") and exposes window.secretariatDecisions for tests.
 */
import DmnModeler from 'dmn-js/lib/Modeler';

import { blankDecision } from './blank_decision';
import { getText, postJSON } from './server';

function say(root, text, kind = 'info') {
  const status = root.querySelector('#modeler-status');
  status.className = `flash flash-${kind}`;
  status.textContent = text;
  status.hidden = false;
}

function viewLabel(root, view) {
  return view.type === 'drd' ? root.dataset.textRequirements : (view.element.name || view.element.id);
}

/** Buttons that open each view of the file (the requirements diagram, each decision). */
function drawViewButtons(root, modeler) {
  const nav = root.querySelector('#decision-views');
  const active = modeler.getActiveView();
  nav.replaceChildren(...modeler.getViews().map(view => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = viewLabel(root, view);
    button.dataset.viewId = view.element.id;
    if (active && active.element === view.element) {
      button.setAttribute('aria-current', 'true');
    }
    button.addEventListener('click', () => modeler.open(view));
    return button;
  }));
}

/** The problems under the table; cells or rules they name are marked in the table. */
function showProblems(root, problems, fileName) {
  const list = root.querySelector('#problem-list');
  const summary = root.querySelector('#problem-summary');
  root.querySelectorAll('.has-problem').forEach(node => node.classList.remove('has-problem'));
  list.replaceChildren(...problems.map(problem => {
    const item = document.createElement('li');
    const where = [ problem.file && problem.file !== fileName ? problem.file : null,
      problem.element_id, problem.line ? `line ${problem.line}` : null ].filter(Boolean).join(', ');
    item.textContent = where ? `${where}: ${problem.message}` : problem.message;
    if (problem.element_id) {
      root.querySelectorAll(`[data-element-id="${CSS.escape(problem.element_id)}"]`)
        .forEach(node => node.classList.add('has-problem'));
    }
    return item;
  }));
  list.hidden = problems.length === 0;
  summary.textContent = problems.length ? root.dataset.textInvalid : "";
}

function describe(answer) {
  const fields = (answer.body.problems || []).filter(p => p.field).map(p => `${p.field}: ${p.message}`);
  const text = answer.body.title || answer.body.detail || `${answer.status}`;
  return fields.length ? `${text} (${fields.join('; ')})` : text;
}

function firstTable(modeler) {
  return modeler.getViews().find(view => view.type === 'decisionTable');
}

async function start(root) {
  root.dataset.modelerState = 'loading';
  const text = root.dataset;
  const fileName = text.fileName;
  try {
    const modeler = new DmnModeler({ container: root.querySelector('#decision-canvas') });
    let changed = false; // edits not deployed yet: leaving the page asks first
    const watched = new Set();
    modeler.on('views.changed', () => {
      drawViewButtons(root, modeler);
      const viewer = modeler.getActiveViewer();
      if (viewer && !watched.has(viewer)) {
        watched.add(viewer);
        viewer.on('commandStack.changed', () => { changed = true; });
      }
    });
    window.addEventListener('beforeunload', event => {
      if (changed) {
        event.preventDefault();
        event.returnValue = '';
      }
    });
    const xml = text.diagramUrl ? await getText(text.diagramUrl)
      : blankDecision({ decisionId: text.newDecision, name: text.newName, input: text.newInput, output: text.newOutput });
    const { warnings } = await modeler.importXML(xml);
    const table = firstTable(modeler);
    if (table) {
      await modeler.open(table);
    }
    drawViewButtons(root, modeler);
    if (warnings && warnings.length) {
      say(root, warnings.map(w => w.message).join('; '), 'warning');
    }
    const exportXML = async () => (await modeler.saveXML({ format: true })).xml;

    root.querySelector('#validate-button').addEventListener('click', async () => {
      const answer = await postJSON(text.validateUrl, { xml: await exportXML() });
      showProblems(root, answer.body.problems || [], fileName);
      if (answer.ok && answer.body.valid) {
        say(root, text.textValid, 'success');
      } else {
        say(root, answer.ok ? text.textInvalid : describe(answer), 'error');
      }
    });

    root.querySelector('#deploy-form').addEventListener('submit', async event => {
      event.preventDefault();
      const note = root.querySelector('#deploy-note').value;
      const answer = await postJSON(text.deployUrl, { xml: await exportXML(), note });
      showProblems(root, answer.status === 422 ? (answer.body.problems || []).filter(p => !p.field) : [], fileName);
      if (answer.ok) {
        changed = false;
        const renewed = answer.body.definitions.filter(d => d.new).map(d => `${d.key} ${d.version}`);
        root.dataset.lastDeploy = renewed.join(',');
        say(root, renewed.length ? `${text.textDeployed} ${text.textNewVersions} ${renewed.join(', ')}.`
          : `${text.textDeployed} ${text.textNoNewVersion}`, 'success');
      } else {
        say(root, `${text.textNotDeployed} ${describe(answer)}`, 'error');
      }
    });

    root.querySelector('#download-button').addEventListener('click', async () => {
      const url = URL.createObjectURL(new Blob([ await exportXML() ], { type: 'application/xml' }));
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = fileName;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });

    root.querySelector('#upload-input').addEventListener('change', async event => {
      const file = event.target.files[0];
      if (!file) {
        return;
      }
      try {
        await modeler.importXML(await file.text());
        const first = firstTable(modeler);
        if (first) {
          await modeler.open(first);
        }
        changed = true;
        showProblems(root, [], fileName);
        say(root, `${file.name}: ${text.textOpened}`, 'info');
      } catch (error) {
        say(root, `${text.textNotOpened} ${file.name}: ${error.message}`, 'error');
      }
    });

    window.secretariatDecisions = { modeler, exportXML, hasUndeployedChanges: () => changed };
    root.dataset.modelerState = 'ready';
  } catch (error) {
    root.dataset.modelerState = 'failed';
    say(root, `${text.textFailed} ${error.message}`, 'error');
  }
}

const root = document.querySelector('[data-decision-modeler]');
if (root) {
  start(root);
}
