/*
 * The editor page: opens a deployed version, a draft or a blank process; saves drafts,
 * validates and deploys through the server; downloads the BPMN and opens a local file.
 * Everything it needs comes from data-* attributes of the [data-modeler] element (the
 * Content-Security-Policy forbids inline scripts). It sets data-modeler-state to
 * "ready" (or "failed") and exposes window.secretariatModeler for tests and the curious.
 */
import { startAutosave } from './autosave';
import { blankDiagram } from './blank';
import { createChangeTracker, guardLeaving } from './changes';
import { hideConflict, showConflict } from './conflict';
import { createEditor } from './editor';
import { followOpenProcess } from './header';
import { createLintSummary } from './lint/summary';
import { createProblemView } from './problems';
import { createRemarkList } from './remarks';
import { getJSON, getText, postJSON } from './server';
import { bindViewControls } from './view-controls';

function $(root, selector) {
  return root.querySelector(selector);
}

function say(root, text, kind = 'info', link = null) {
  const status = $(root, '#modeler-status');
  status.className = `flash flash-${kind}`;
  status.textContent = text;
  if (link) {
    const anchor = document.createElement('a');
    anchor.href = link.href;
    anchor.textContent = link.text;
    status.append(' ', anchor);
  }
  status.hidden = false;
}

function notice(root, text) {
  const notices = $(root, '#modeler-notices');
  const item = document.createElement('p');
  item.className = 'notice notice-warning';
  item.textContent = text;
  notices.appendChild(item);
}

function describeImport(root, result) {
  $(root, '#modeler-notices').replaceChildren();
  if (result.declared.length) {
    // Said for a process manager, not a BPMN specialist; the page gives the words in its language.
    const words = root.dataset.noticeCollections
      || 'Some steps repeat once per item of a list (%(names)s). The names of these lists are now kept with '
      + 'the diagram, so they are not lost when you save. Nothing changes in how the process runs.';
    notice(root, words.replace('%(names)s', result.declared.join(', ')));
  }
  if (result.warnings.length) {
    notice(root, `The diagram was opened with warnings: ${result.warnings.join('; ')}`);
  }
}

async function loadCatalog(root) {
  const [ forms, processes ] = await Promise.all([ getJSON(root.dataset.formsUrl), getJSON(root.dataset.processesUrl) ]);
  return { forms: forms.ok ? forms.body.forms : [], processes: processes.ok ? processes.body.processes : [] };
}

/** An error answer in words: the title, and the field problems (a missing note...) after it. */
function describe(answer) {
  const fields = (answer.body.problems || []).filter(p => p.field).map(p => `${p.field}: ${p.message}`);
  const text = answer.body.status === 422 ? answer.body.title : (answer.body.detail || answer.body.title);
  return fields.length ? `${text} (${fields.join('; ')})` : text;
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([ text ], { type: 'application/xml' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function pageTexts() {
  const block = document.getElementById('modeler-texts');
  return block ? JSON.parse(block.textContent) : {};
}

export async function startEditorPage(root) {
  root.dataset.modelerState = 'loading';
  let basedOn = root.dataset.basedOnVersion ? Number(root.dataset.basedOnVersion) : null;
  const texts = pageTexts();
  try {
    const catalog = await loadCatalog(root);
    const editor = createEditor({
      canvas: $(root, '#modeler-canvas'), panel: $(root, '#modeler-panel'), catalog, words: texts.bpmnjs || {} });
    const problems = createProblemView(editor.modeler, $(root, '#problem-list'), $(root, '#problem-summary'));
    const lint = createLintSummary(editor.modeler, {
      summary: $(root, '#lint-summary'), list: $(root, '#lint-list'), toggle: $(root, '#lint-button') }, texts);
    const header = followOpenProcess(editor.modeler, {
      name: document.getElementById('process-name'), key: document.getElementById('process-key') });
    const tracker = createChangeTracker(editor.modeler);
    bindViewControls(editor.modeler, root);
    const fileName = () => `${editor.processKey() || 'process'}.bpmn`;
    const remarks = createRemarkList($(root, '#remarks'), $(root, '#remark-list'));
    const xml = root.dataset.diagramUrl ? await getText(root.dataset.diagramUrl)
      : blankDiagram(root.dataset.newKey, root.dataset.newName);
    describeImport(root, await editor.open(xml));

    const send = async (url, extra) => {
      const body = { xml: await editor.exportXML(), file_name: fileName(), process_key: editor.processKey(), ...extra };
      return postJSON(url, body);
    };

    let autosave = null;
    /** Saves the diagram as my draft; resolves to whether it was saved. */
    const saveDraft = async ({ automatic = false } = {}) => {
      const stamp = tracker.stamp();
      const answer = await send(root.dataset.saveUrl, { note: $(root, '#draft-note').value, based_on_version: basedOn });
      if (answer.ok) {
        tracker.markSaved(stamp);
        autosave.saved(automatic);
        if (!automatic) {
          say(root, `Draft of ${answer.body.process_key} saved (${answer.body.updated_at}). Only you see it.`, 'success');
        }
      } else if (automatic) {
        autosave.failed(describe(answer));
      } else {
        say(root, `The draft was not saved: ${describe(answer)}`, 'error');
      }
      return answer.ok;
    };
    autosave = startAutosave({
      tracker, seconds: Number(root.dataset.autosaveSeconds || 0), saveDraft, status: $(root, '#autosave-status'), texts });
    guardLeaving({ tracker, root, dialog: document.getElementById('leave-dialog'), saveDraft });

    $(root, '#draft-form').addEventListener('submit', async event => {
      event.preventDefault();
      await saveDraft();
    });

    $(root, '#validate-button').addEventListener('click', async () => {
      const answer = await send(root.dataset.validateUrl, {});
      problems.show(answer.body.problems || [], fileName());
      remarks.show(answer.body.warnings);
      if (answer.ok && answer.body.valid) {
        say(root, 'No problems found: this diagram can be deployed.', 'success');
      } else {
        say(root, answer.ok ? 'The diagram has problems (listed below and marked on the diagram).' : describe(answer), 'error');
      }
    });

    $(root, '#deploy-form').addEventListener('submit', async event => {
      event.preventDefault();
      const stamp = tracker.stamp();
      const answer = await send(root.dataset.deployUrl, { note: $(root, '#deploy-note').value, based_on_version: basedOn });
      const conflictBox = $(root, '#modeler-conflict');
      hideConflict(conflictBox);
      if (answer.status === 409 && answer.body.newer_versions) {
        problems.clear();
        showConflict(conflictBox, answer.body.newer_versions, texts);
        say(root, `Not deployed: ${answer.body.detail}`, 'error');
        return;
      }
      problems.show(answer.body.problems || [], fileName());
      remarks.show(answer.body.warnings);
      if (answer.ok) {
        const deployed = answer.body;
        basedOn = deployed.version;
        tracker.markSaved(stamp);
        root.dataset.lastDeploy = `${deployed.key}:${deployed.version}`;
        const others = deployed.definitions.filter(d => d.key !== deployed.key && d.new).map(d => `${d.key} version ${d.version}`);
        say(root, deployed.new
          ? `Deployed ${deployed.key} version ${deployed.version}.${others.length ? ` Also new: ${others.join(', ')}.` : ''}`
          : `Nothing changed: ${deployed.key} stays at version ${deployed.version}.`,
        'success', { href: deployed.versions_url, text: 'See its versions' });
      } else {
        say(root, `Not deployed: ${describe(answer)}`, 'error');
      }
    });

    $(root, '#download-button').addEventListener('click', async () => download(fileName(), await editor.exportXML()));

    $(root, '#upload-input').addEventListener('change', async event => {
      const file = event.target.files[0];
      if (!file) {
        return;
      }
      try {
        const before = editor.processKey();
        describeImport(root, await editor.open(await file.text()));
        tracker.markChanged();
        if (editor.processKey() !== before) {
          basedOn = null; // another process: a draft of it is based on no version of this one
          // they named a version or draft of the process opened before
          document.querySelectorAll('.modeler-source, .modeler-draft-offer').forEach(p => { p.hidden = true; });
        }
        problems.clear();
        say(root, `Opened ${file.name}. Nothing is saved until you save a draft or deploy.`, 'info');
        remarks.show((await send(root.dataset.validateUrl, {})).body.warnings); // what a foreign file becomes
      } catch (error) {
        say(root, `${file.name} could not be opened: ${error.message}`, 'error');
      }
    });

    window.secretariatModeler = { ...editor, problems, fileName, lint, header, tracker, basedOn: () => basedOn };
    root.dataset.modelerState = 'ready';
  } catch (error) {
    root.dataset.modelerState = 'failed';
    say(root, `The modeler could not start: ${error.message}`, 'error');
  }
}
