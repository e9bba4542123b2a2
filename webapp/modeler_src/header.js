/*
 * The page's header and title follow the diagram actually open: the name and id of its
 * executable process (or of the pool showing it), after opening a file and after renaming.
 */
function processOf(modeler) {
  const definitions = modeler.getDefinitions();
  const roots = definitions ? definitions.get('rootElements') : [];
  const processes = roots.filter(e => e.$type === 'bpmn:Process');
  const process = processes.find(p => p.get('isExecutable')) || processes[0];
  if (!process) {
    return null;
  }
  const pool = roots.filter(e => e.$type === 'bpmn:Collaboration')
    .flatMap(c => c.get('participants')).find(p => p.processRef === process);
  return { key: process.id, name: process.name || (pool && pool.name) || process.id };
}

export function followOpenProcess(modeler, { name, key }) {
  const suffixAt = document.title.lastIndexOf(' · ');
  const suffix = suffixAt >= 0 ? document.title.slice(suffixAt) : '';
  const prefix = document.title.slice(0, suffixAt >= 0 ? suffixAt : undefined).replace(name.textContent, '');
  function update() {
    const opened = processOf(modeler);
    if (!opened) {
      return;
    }
    name.textContent = opened.name;
    key.textContent = opened.key;
    document.title = `${prefix}${opened.name}${suffix}`;
  }
  modeler.on([ 'import.done', 'commandStack.changed' ], update);
  update();
  return { update };
}
