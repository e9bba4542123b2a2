/*
 * Token counts on a process diagram: for each BPMN element, how many tokens wait there now
 * (open) and how many passed it (completed), as bpmn-js overlays. A diagram script
 * (instance-diagram.js, modeler-versions.js) announces its viewer with a "diagram-ready"
 * event on its container; when that container has data-heatmap-url, the counts are fetched
 * from the API (GET .../heatmap: {element_id: {"open": n, "completed": n}}) and drawn.
 * Sets data-heatmap-state="ready" (or "unavailable") on the container when done; the labels
 * come from data-heatmap-open-label and data-heatmap-completed-label (the page's language).
 */
(function () {
  "use strict";

  function badge(className, count, label) {
    var part = document.createElement("span");
    part.className = className;
    part.textContent = String(count);
    part.title = label + ": " + count;
    return part;
  }

  function draw(container, viewer, counts) {
    var overlays = viewer.get("overlays");
    var registry = viewer.get("elementRegistry");
    var openLabel = container.getAttribute("data-heatmap-open-label") || "open";
    var completedLabel = container.getAttribute("data-heatmap-completed-label") || "completed";
    var largest = 0;
    Object.keys(counts).forEach(function (id) { largest = Math.max(largest, counts[id].open + counts[id].completed); });
    var drawn = 0;
    Object.keys(counts).forEach(function (id) {
      var count = counts[id];
      if (!registry.get(id) || (!count.open && !count.completed)) { return; }
      var html = document.createElement("div");
      html.className = "heatmap-badge";
      html.setAttribute("data-heatmap-element", id);
      // the busier the element, the stronger the badge: a heatmap at a glance
      html.style.setProperty("--heat", String(largest ? (count.open + count.completed) / largest : 0));
      if (count.open) { html.appendChild(badge("heatmap-open", count.open, openLabel)); }
      if (count.completed) { html.appendChild(badge("heatmap-completed", count.completed, completedLabel)); }
      overlays.add(id, "heatmap", { position: { bottom: 8, right: 8 }, html: html });
      drawn += 1;
    });
    container.setAttribute("data-heatmap-count", String(drawn));
    container.setAttribute("data-heatmap-state", "ready");
  }

  document.addEventListener("diagram-ready", function (event) {
    var container = event.target;
    var url = container.getAttribute && container.getAttribute("data-heatmap-url");
    if (!url || !event.detail || !event.detail.viewer) { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("the server answered " + response.status); }
        return response.json();
      })
      .then(function (counts) { draw(container, event.detail.viewer, counts); })
      .catch(function () { container.setAttribute("data-heatmap-state", "unavailable"); });
  });
}());
