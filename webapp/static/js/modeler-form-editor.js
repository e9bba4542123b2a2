/*
 * The form editor's live preview: while a manager types in the JSON Schema or UI schema
 * text areas, the preview is drawn again by the server (POST /modeler/form-preview, the
 * task page's own renderer) after a short pause. Without JavaScript the "Preview" button
 * does the same with a full page. Sets data-preview-state on the form: "fresh" or "failed".
 */
(function () {
  "use strict";

  var PAUSE_MS = 400;
  var form = document.querySelector("[data-form-editor]");
  var target = document.getElementById("form-preview");
  if (!form || !target) { return; }
  var timer = null;
  var sequence = 0;

  function refresh() {
    var mine = ++sequence;
    var body = new FormData();
    body.append("name", form.getAttribute("data-form-name"));
    body.append("schema", form.querySelector("[name=schema]").value);
    body.append("ui_schema", form.querySelector("[name=ui_schema]").value);
    body.append("csrf_token", form.querySelector("[name=csrf_token]").value);
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": form.querySelector("[name=csrf_token]").value }
    }).then(function (response) {
      return response.text().then(function (html) { return { ok: response.ok, status: response.status, html: html }; });
    }).then(function (answer) {
      if (mine !== sequence) { return; }  // a later refresh is on its way
      if (answer.ok || answer.status === 422) {
        target.innerHTML = answer.html;   // server-rendered with autoescaping
        form.setAttribute("data-preview-state", "fresh");
      } else {
        form.setAttribute("data-preview-state", "failed");
      }
    }).catch(function () {
      form.setAttribute("data-preview-state", "failed");
    });
  }

  form.addEventListener("input", function (event) {
    if (event.target.name !== "schema" && event.target.name !== "ui_schema") { return; }
    form.setAttribute("data-preview-state", "pending");
    clearTimeout(timer);
    timer = setTimeout(refresh, PAUSE_MS);
  });
}());
