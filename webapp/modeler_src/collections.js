/*
 * The multi-instance trap. bpmn-moddle reads `loopDataInputRef` / `loopDataOutputRef` as
 * references to element ids, while SpiffWorkflow reads their text as the name of a
 * variable. A name that matches no element is dropped on export, and the process loses its
 * collection. We make every collection name resolvable by declaring it as a process
 * property, `<bpmn:property id="languages" name="languages"/>`: SpiffWorkflow ignores
 * `bpmn:property`, bpmn-moddle resolves the reference to it and writes the same id back.
 *
 * Used by the modeler (on import, and when a collection is set in the panel) and by the
 * Node round-trip check of the tests, so it only needs a moddle instance.
 */

export const COLLECTION_REFS = [ 'bpmn:loopDataInputRef', 'bpmn:loopDataOutputRef' ];

/** The nearest bpmn:Process above `element` (a task inside subprocesses too). */
export function processOf(element) {
  let current = element;
  while (current && current.$type !== 'bpmn:Process') {
    current = current.$parent;
  }
  return current || null;
}

/** The bpmn:property `name` declared in `process`, or null. */
export function findProperty(process, name) {
  return (process.get('properties') || []).find(property => property.id === name) || null;
}

/** A new bpmn:Property `name` in `process` (not yet added: the caller decides how). */
export function createProperty(moddle, process, name) {
  const property = moddle.create('bpmn:Property', { id: name, name });
  property.$parent = process;
  return property;
}

/**
 * After parsing: declare every collection that names no element. `warnings` are the parse
 * warnings of bpmn-moddle ("unresolved reference <x>", with element and property);
 * `elementsById` gets the new properties so that the modeler reserves their ids.
 * Returns the names declared, in order, once each.
 */
export function declareMissingCollections(moddle, warnings, elementsById) {
  const declared = [];
  for (const warning of warnings || []) {
    if (!warning.element || !COLLECTION_REFS.includes(warning.property) || !warning.value) {
      continue;
    }
    const name = warning.value;
    const process = processOf(warning.element);
    if (!process) {
      continue;
    }
    let property = (elementsById && elementsById[name]) || findProperty(process, name);
    if (!property) {
      property = createProperty(moddle, process, name);
      process.get('properties').push(property);
      if (elementsById) {
        elementsById[name] = property;
      }
      if (!declared.includes(name)) {
        declared.push(name);
      }
    }
    warning.element.set(warning.property, property);
    warning.resolved = true;
  }
  return declared;
}
