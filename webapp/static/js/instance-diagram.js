/*
 * The instance page's BPMN diagram: bpmn-js (NavigatedViewer, from webapp/static/vendor/)
 * draws the BPMN of the instance's definition version and marks what the instance has
 * completed and where it is now. Everything it needs comes from data-* attributes of
 * the container (no inline script: the Content-Security-Policy forbids it):
 *   data-diagram-url   where to fetch the BPMN XML
 *   data-completed     ids of completed elements, separated by spaces (BPMN ids hold none)
 *   data-active        ids of active elements
 *   data-failed        the id of the element the instance failed on, if it is in error
 * When done it sets data-diagram-state="ready" (or "unavailable") on the container.
 * The page says the same in text lists, so the diagram is an addition, not the only way.
 */
(function () {
  "use strict";

  var COMPLETED = "instance-completed";
  var ACTIVE = "instance-active";
  var FAILED = "instance-failed";

  function ids(text) {
    return (text || "").split(/\s+/).filter(Boolean);
  }

  function say(container, text) {
    var message = container.querySelector(".diagram-message");
    if (!message) {
      message = document.createElement("p");
      message.className = "diagram-message";
      container.appendChild(message);
    }
    message.textContent = text;
  }

  function mark(viewer, completed, active, failed) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var activeSet = {};
    active.concat(failed).forEach(function (id) { activeSet[id] = true; });
    completed.forEach(function (id) {
      // An element both done and active (a loop going round again) shows as active.
      if (!activeSet[id] && registry.get(id)) { canvas.addMarker(id, COMPLETED); }
    });
    active.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, ACTIVE); }
    });
    failed.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, FAILED); }
    });
  }

  function draw(container) {
    if (typeof window.BpmnJS !== "function") {
      container.setAttribute("data-diagram-state", "unavailable");
      say(container, "The diagram viewer is not installed here; the lists below say where the instance is.");
      return;
    }
    say(container, "Loading the diagram…");
    var viewer = new window.BpmnJS({ container: container });
    fetch(container.getAttribute("data-diagram-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/xml" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("the server answered " + response.status); }
      return response.text();
    }).then(function (xml) {
      return viewer.importXML(xml);
    }).then(function () {
      viewer.get("canvas").zoom("fit-viewport", "auto");
      mark(viewer, ids(container.getAttribute("data-completed")), ids(container.getAttribute("data-active")),
        ids(container.getAttribute("data-failed")));
      var message = container.querySelector(".diagram-message");
      if (message) { message.remove(); }
      container.setAttribute("data-diagram-state", "ready");
      container.dispatchEvent(new CustomEvent("diagram-ready", { bubbles: true, detail: { viewer: viewer } }));
    }).catch(function (error) {
      container.setAttribute("data-diagram-state", "unavailable");
      say(container, "The diagram could not be drawn (" + error.message + "); the lists below say where the instance is.");
    });
  }

  document.querySelectorAll("[data-instance-diagram]").forEach(draw);
}());
