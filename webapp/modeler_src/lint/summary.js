/*
 * What the checks-as-you-draw found, in words under the toolbar: how many problems, and one
 * line per problem that selects its element when clicked. bpmn-js-bpmnlint draws the
 * markers on the canvas (its overlays, and our `has-lint-problem` outline) and the toggle.
 */
const MARKER = 'has-lint-problem';

/** `texts`: { off, none, one, many (with {count}) } in the page's language. */
export function createLintSummary(modeler, { summary, list, toggle }, texts) {
  const linting = modeler.get('linting');
  const registry = modeler.get('elementRegistry');
  const canvas = modeler.get('canvas');
  const selection = modeler.get('selection');
  let marked = [];

  function unmark() {
    marked.forEach(id => registry.get(id) && canvas.removeMarker(id, MARKER));
    marked = [];
  }

  function item(issue) {
    const li = document.createElement('li');
    const id = issue.actualElementId || issue.id;
    const element = registry.get(id);
    const bo = element && element.businessObject;
    const label = bo && bo.name ? `${bo.name} (${id})` : id;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'problem-link';
    button.dataset.elementId = id;
    button.dataset.rule = issue.rule;
    button.textContent = `${label}: ${issue.message}`;
    button.addEventListener('click', () => {
      const target = registry.get(issue.id);
      if (target) {
        selection.select(target);
        canvas.scrollToElement(target);
      }
    });
    li.appendChild(button);
    return li;
  }

  function show(issues) {
    unmark();
    const all = Object.values(issues || {}).flat();
    const active = linting.isActive();
    toggle.setAttribute('aria-pressed', String(active));
    summary.dataset.count = String(all.length);
    if (!active) {
      summary.textContent = texts.off;
      list.replaceChildren();
      list.hidden = true;
      return;
    }
    summary.textContent = all.length === 0 ? texts.none
      : (all.length === 1 ? texts.one : texts.many.replace('{count}', String(all.length)));
    list.replaceChildren(...all.map(item));
    list.hidden = all.length === 0;
    Object.keys(issues).forEach(id => {
      const element = registry.get(id);
      if (element && element.parent) { // not the root: a whole process is marked by its overlay alone
        canvas.addMarker(id, MARKER);
        marked.push(id);
      }
    });
  }

  modeler.on('linting.completed', ({ issues }) => show(issues));
  modeler.on('linting.toggle', ({ active }) => {
    if (!active) {
      show({});
    }
  });
  toggle.addEventListener('click', () => linting.toggle());
  return { show };
}
