/*
 * bpmn-js's `translate` service with the page's words: the templates listed in `words` (from
 * webapp/modeler/editor_texts.py, in the page's language) replace bpmn-js's English ones; any
 * other template is used as it is, with its {placeholders} filled in, as diagram-js does.
 */
export function translateModule(words) {
  const translate = (template, replacements = {}) => (words[template] || template)
    .replace(/{([^}]+)}/g, (whole, key) => (key in replacements ? replacements[key] : whole));
  return { translate: [ 'value', translate ] };
}
