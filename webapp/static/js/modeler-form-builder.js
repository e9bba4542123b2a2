/*
 * The form builder of the form editor: a manager adds, removes, reorders and describes
 * fields, and the builder writes the JSON Schema and UI schema text areas (which the task
 * page's renderer reads) and asks for a fresh preview. The text areas stay editable: when
 * their JSON is edited by hand, the builder reads it back. Reading and writing the JSON
 * (the field types and the JSON they write) is static/js/form-schema-codec.js, loaded
 * before this file; here the fields are drawn and edited.
 * Sets data-builder-state on the section: "ready", "invalid" (a key to fix) or "waiting"
 * (the JSON cannot be read).
 */
(function () {
  "use strict";

  var codec = window.FormSchemaCodec;
  var section = document.querySelector("[data-form-builder]");
  var form = document.querySelector("[data-form-editor]");
  if (!section || !form || !codec) { return; }
  var schemaArea = form.querySelector("[name=schema]");
  var uiArea = form.querySelector("[name=ui_schema]");
  var list = section.querySelector("[data-builder-fields]");
  var message = section.querySelector("[data-builder-message]");
  var state = null;
  var writing = false;
  var timer = null;

  function word(name) {
    var found = section.querySelector("template[data-template=words]").content.querySelector("[data-word='" + name + "']");
    return found ? found.textContent : name;
  }

  /** The codec's findings ([{word, about}]) in the manager's language. */
  function said(found) {
    return found.map(function (one) { return word(one.word) + " “" + one.about + "”"; });
  }

  function say(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  /** Writes the text areas from the builder and lets the preview script draw them again. */
  function sync() {
    var found = said(codec.problems(state.fields));
    if (found.length) {
      say(found.join(" ") + " " + word("builder-waits"));
      section.setAttribute("data-builder-state", "invalid");
      return;
    }
    say(said(codec.notes(state.fields)).join(" "));
    var texts = codec.write(state);
    writing = true;
    schemaArea.value = texts.schema;
    uiArea.value = texts.ui;
    schemaArea.dispatchEvent(new Event("input", { bubbles: true }));
    writing = false;
    section.setAttribute("data-builder-state", "ready");
    state.schema = JSON.parse(texts.schema);
    state.ui = texts.ui ? JSON.parse(texts.ui) : {};
  }

  // -- drawing ----------------------------------------------------------------------------

  function showFor(card, type) {
    card.querySelectorAll("[data-when]").forEach(function (part) {
      part.hidden = part.getAttribute("data-when").split(" ").indexOf(type) < 0;
    });
  }

  function heading(card, field) {
    card.querySelector("[data-part=heading]").textContent = field.title || field.key;
    card.querySelector("[data-part=key-shown]").textContent = field.key;
    card.querySelectorAll("[data-part=which]").forEach(function (part) {  // "Remove Venue", for screen readers
      part.textContent = " " + (field.title || field.key);
    });
  }

  function drawChoices(card, field) {
    var holder = card.querySelector("[data-part=choices]");
    var template = section.querySelector("template[data-template=choice]");
    holder.replaceChildren();
    field.choices.forEach(function (choice, index) {
      var row = template.content.firstElementChild.cloneNode(true);
      row.querySelectorAll("[data-choice-prop]").forEach(function (input) {
        input.value = choice[input.getAttribute("data-choice-prop")] || "";
        input.addEventListener("input", function () {
          choice[input.getAttribute("data-choice-prop")] = input.value;
          sync();
        });
      });
      row.querySelector("[data-action=remove-choice]").addEventListener("click", function () {
        field.choices.splice(index, 1);
        drawChoices(card, field);
        sync();
      });
      holder.appendChild(row);
    });
  }

  function bindField(card, field, index) {
    heading(card, field);
    card.querySelectorAll("[data-prop]").forEach(function (input) {
      var name = input.getAttribute("data-prop");
      if (input.type === "checkbox") { input.checked = !!field[name]; } else { input.value = field[name]; }
      input.addEventListener(input.tagName === "SELECT" || input.type === "checkbox" ? "change" : "input", function () {
        field[name] = input.type === "checkbox" ? input.checked : input.value;
        if (name === "key") { field.autoKey = false; }
        if (name === "title" && field.autoKey) {
          field.key = codec.uniqueKey(state.fields, codec.slug(input.value || word("new-field")), field);
          card.querySelector("[data-prop=key]").value = field.key;
        }
        if ((name === "required" || name === "type") && codec.isObject(field.prop)) { codec.atLeastOne(field); }
        if (name === "type") {
          showFor(card, field.type);
          if ((field.type === "choice" || field.type === "multiple") && !field.choices.length) {
            field.choices.push({ value: "", title: "", title_fr: "" });
            drawChoices(card, field);
          }
        }
        heading(card, field);
        sync();
      });
    });
    showFor(card, field.type);
    card.querySelector("[data-prop=type]").disabled = field.type === "advanced";
    card.querySelector("[data-part=raw]").textContent = JSON.stringify(field.prop, null, 2);
    drawChoices(card, field);
    card.querySelector("[data-action=add-choice]").addEventListener("click", function () {
      field.choices.push({ value: "", title: "", title_fr: "" });
      drawChoices(card, field);
      var inputs = card.querySelectorAll("[data-choice-prop=value]");
      inputs[inputs.length - 1].focus();
    });
    [["up", -1], ["down", 1]].forEach(function (move) {
      var button = card.querySelector("[data-action=" + move[0] + "]");
      var to = index + move[1];
      button.disabled = to < 0 || to >= state.fields.length;
      button.addEventListener("click", function () {
        state.fields.splice(to, 0, state.fields.splice(index, 1)[0]);
        draw();
        sync();
        var again = list.children[to].querySelector("[data-action=" + move[0] + "]");
        (again.disabled ? list.children[to].querySelector("[data-prop=title]") : again).focus();
      });
    });
    card.querySelector("[data-action=remove]").addEventListener("click", function () {
      state.fields.splice(index, 1);
      draw();
      sync();
      section.querySelector("[data-action=add-field]").focus();
    });
  }

  function draw() {
    var template = section.querySelector("template[data-template=field]");
    list.replaceChildren();
    state.fields.forEach(function (field, index) {
      var card = template.content.firstElementChild.cloneNode(true);
      bindField(card, field, index);
      list.appendChild(card);
    });
    section.querySelector("[data-builder-empty]").hidden = state.fields.length > 0;
    section.querySelectorAll("[data-form-prop]").forEach(function (input) {
      input.value = state.texts[input.getAttribute("data-form-prop")];
    });
  }

  /** The JSON was edited by hand (or the page opened): read it again, or wait until it can be. */
  function follow() {
    var found = codec.read(schemaArea.value, uiArea.value);
    var body = section.querySelector("[data-builder-body]");
    if (found.problem) {
      say(word(found.problem));
      section.setAttribute("data-builder-state", "waiting");
      list.inert = true;
      body.disabled = true;
      return;
    }
    state = found;
    list.inert = false;
    body.disabled = false;
    say("");
    draw();
    section.setAttribute("data-builder-state", "ready");
  }

  section.querySelectorAll("[data-form-prop]").forEach(function (input) {
    input.addEventListener("input", function () {
      state.texts[input.getAttribute("data-form-prop")] = input.value;
      sync();
    });
  });
  section.querySelector("[data-action=add-field]").addEventListener("click", function () {
    if (!state || section.getAttribute("data-builder-state") === "waiting") { return; }
    state.fields.push(codec.newField(codec.uniqueKey(state.fields, "field_" + (state.fields.length + 1))));
    draw();
    sync();
    list.lastElementChild.querySelector("[data-prop=title]").focus();
  });
  // Enter in a builder input would submit the editor's form (its first button is "Preview").
  section.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName === "INPUT") { event.preventDefault(); }
  });
  form.addEventListener("input", function (event) {
    if (writing || (event.target !== schemaArea && event.target !== uiArea)) { return; }
    clearTimeout(timer);
    timer = setTimeout(follow, 400);
  });

  section.hidden = false;
  follow();
}());
