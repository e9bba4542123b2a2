/*
 * Showing the server's validation problems: on the diagram, an overlay with the messages
 * beside each faulty element (bpmn-js overlays API) and a red marker; below it, a list in
 * which clicking a problem selects its element. Problems without an element in this
 * diagram (a file-level error, another file) appear in the list only.
 */

const OVERLAY = 'validation-problem';
const MARKER = 'has-problem';

/** The diagram element a problem names: a shape, a flow, or the pool of a process id. */
function findElement(registry, elementId) {
  if (!elementId) {
    return null;
  }
  const direct = registry.get(elementId);
  if (direct) {
    return direct;
  }
  return registry.find(e => e.businessObject && e.businessObject.processRef && e.businessObject.processRef.id === elementId) || null;
}

function nameOf(element) {
  const bo = element.businessObject;
  const name = bo && (bo.name || (bo.processRef && bo.processRef.name));
  return name && name !== element.id ? `${name} (${element.id})` : element.id;
}

export function createProblemView(modeler, list, summary) {
  const overlays = modeler.get('overlays');
  const registry = modeler.get('elementRegistry');
  const canvas = modeler.get('canvas');
  const selection = modeler.get('selection');
  let marked = [];

  function clear() {
    overlays.remove({ type: OVERLAY });
    marked.forEach(id => registry.get(id) && canvas.removeMarker(id, MARKER));
    marked = [];
    list.replaceChildren();
    summary.textContent = '';
    list.hidden = true;
  }

  function overlayFor(messages) {
    const box = document.createElement('div');
    box.className = 'problem-overlay';
    box.setAttribute('role', 'note');
    messages.forEach(message => {
      const line = document.createElement('p');
      line.textContent = message;
      box.appendChild(line);
    });
    return box;
  }

  function listItem(problem, element) {
    const item = document.createElement('li');
    const where = problem.line ? ` (line ${problem.line})` : '';
    if (element) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'problem-link';
      button.dataset.elementId = element.id;
      button.textContent = `${nameOf(element)}: ${problem.message}${where}`;
      button.addEventListener('click', () => {
        selection.select(element);
        canvas.scrollToElement(element);
      });
      item.appendChild(button);
    } else {
      const file = problem.file && !problem.element_id ? `${problem.file}: ` : '';
      const id = problem.element_id ? `[${problem.element_id}] ` : '';
      item.textContent = `${file}${id}${problem.message}${where}`;
    }
    return item;
  }

  /** Draws `problems` (the engine's Problem fields); `fileName` is the diagram's file. */
  function show(problems, fileName) {
    clear();
    const byElement = new Map();
    problems.forEach(problem => {
      const ours = !problem.file || problem.file === fileName;
      const element = ours ? findElement(registry, problem.element_id) : null;
      if (element) {
        if (!byElement.has(element)) {
          byElement.set(element, []);
        }
        byElement.get(element).push(problem.message);
      }
      list.appendChild(listItem(problem, element));
    });
    byElement.forEach((messages, element) => {
      overlays.add(element.id, OVERLAY, { position: { bottom: -4, left: 0 }, html: overlayFor(messages) });
      canvas.addMarker(element.id, MARKER);
      marked.push(element.id);
    });
    list.hidden = problems.length === 0;
    summary.textContent = problems.length
      ? (problems.length === 1 ? '1 problem: the diagram cannot be deployed until it is fixed.'
        : `${problems.length} problems: the diagram cannot be deployed until they are fixed.`)
      : '';
  }

  return { show, clear };
}
