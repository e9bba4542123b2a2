/*
 * The server's remarks on a diagram that deploys all the same: what a file written for
 * another modeler (Camunda, Flowable...) gets converted into ("Converted: ...") and what is
 * ignored and why ("Ignored: ..."), in the engine's own words, one line each.
 */

export function createRemarkList(section, list) {
  function show(remarks) {
    list.replaceChildren(...(remarks || []).map(remark => {
      const item = document.createElement('li');
      item.textContent = remark.message;
      if (remark.element_id) {
        item.dataset.elementId = remark.element_id;
      }
      return item;
    }));
    section.hidden = list.children.length === 0;
  }
  return { show, clear: () => show([]) };
}
