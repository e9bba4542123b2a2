/*
 * The modeler's read-only diagrams: one version on its page, or two versions side by side
 * on the compare page, drawn by bpmn-js's NavigatedViewer (webapp/static/vendor/). Each
 * [data-version-diagram] container names its BPMN (data-diagram-url) and the ids to mark,
 * separated by spaces: data-added (green), data-removed (red), data-changed (amber); the
 * page lists the same ids in text. Sets data-diagram-state="ready" or "unavailable".
 */
(function () {
  "use strict";

  var MARKS = { added: "version-added", removed: "version-removed", changed: "version-changed" };

  function ids(text) {
    return (text || "").split(/\s+/).filter(Boolean);
  }

  function say(container, text) {
    var message = document.createElement("p");
    message.className = "diagram-message";
    message.textContent = text;
    container.appendChild(message);
  }

  function mark(viewer, container) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    Object.keys(MARKS).forEach(function (kind) {
      ids(container.getAttribute("data-" + kind)).forEach(function (id) {
        var element = registry.get(id) || registry.find(function (e) {
          return e.businessObject && e.businessObject.processRef && e.businessObject.processRef.id === id;
        });
        if (element) { canvas.addMarker(element.id, MARKS[kind]); }
      });
    });
  }

  function draw(container) {
    if (typeof window.BpmnJS !== "function") {
      container.setAttribute("data-diagram-state", "unavailable");
      say(container, "The diagram viewer is not installed here (make install); the lists say what changed.");
      return;
    }
    var viewer = new window.BpmnJS({ container: container });
    fetch(container.getAttribute("data-diagram-url"), { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error("the server answered " + response.status); }
      return response.text();
    }).then(function (xml) {
      return viewer.importXML(xml);
    }).then(function () {
      viewer.get("canvas").zoom("fit-viewport", "auto");
      mark(viewer, container);
      container.setAttribute("data-diagram-state", "ready");
      container.dispatchEvent(new CustomEvent("diagram-ready", { bubbles: true, detail: { viewer: viewer } }));
    }).catch(function (error) {
      container.setAttribute("data-diagram-state", "unavailable");
      say(container, "The diagram could not be drawn (" + error.message + ").");
    });
  }

  document.querySelectorAll("[data-version-diagram]").forEach(draw);
}());
