/*
 * The form builder of the form editor: a manager adds, removes, reorders and describes
 * fields, and the builder writes the JSON Schema and UI schema text areas (which the task
 * page's renderer reads) and asks for a fresh preview. The text areas stay editable: when
 * their JSON is edited by hand, the builder reads it back. What the builder does not edit
 * (other keywords, fields of other shapes) is kept as it was.
 *
 * Field types and the JSON they write (the renderer's own vocabulary, webapp/form_rendering/):
 *   text {type: string}; long text + ui:widget textarea; number; integer; yes/no {boolean};
 *   date {format: date}; choice list {enum} with x-enum-labels(-fr) when labelled;
 *   multiple choice {type: array, items: <choice list>, uniqueItems}; person from the
 *   directory {x-directory-role}; file attachment {x-attachment: true}.
 * French texts go beside their English ones as `<key>_fr` (title_fr, description_fr...).
 * Sets data-builder-state on the section: "ready", "invalid" (a key to fix) or "waiting"
 * (the JSON cannot be read).
 */
(function () {
  "use strict";

  var section = document.querySelector("[data-form-builder]");
  var form = document.querySelector("[data-form-editor]");
  if (!section || !form) { return; }
  var schemaArea = form.querySelector("[name=schema]");
  var uiArea = form.querySelector("[name=ui_schema]");
  var list = section.querySelector("[data-builder-fields]");
  var message = section.querySelector("[data-builder-message]");
  var KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
  var FORM_TEXTS = ["title", "title_fr", "description", "description_fr"];
  // Keywords of a property the builder writes itself (the others are kept as they were).
  var MANAGED = ["type", "title", "title_fr", "description", "description_fr", "format", "enum", "oneOf",
                 "x-enum-titles", "x-enum-labels", "x-enum-labels-fr", "items", "uniqueItems", "x-directory-role",
                 "x-attachment"];
  var CHOICE_KEYS = ["type", "enum", "oneOf", "x-enum-titles", "x-enum-labels", "x-enum-labels-fr"];
  var state = null;
  var writing = false;
  var timer = null;

  function word(name) {
    var found = section.querySelector("template[data-template=words]").content.querySelector("[data-word='" + name + "']");
    return found ? found.textContent : name;
  }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }
  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  // -- reading the JSON -------------------------------------------------------------------

  /** The choices of a node: `enum` with `x-enum-labels`(-fr) beside it, or `oneOf` entries with `const`. */
  function choicesOf(node) {
    if (!isObject(node)) { return null; }
    if (Array.isArray(node.enum) && node.enum.every(function (v) { return typeof v === "string"; })) {
      var labels = Array.isArray(node["x-enum-labels"]) && node["x-enum-labels"].length === node.enum.length
        ? node["x-enum-labels"] : [];
      var french = Array.isArray(node["x-enum-labels-fr"]) && node["x-enum-labels-fr"].length === node.enum.length
        ? node["x-enum-labels-fr"] : [];
      return node.enum.map(function (v, i) {
        return { value: v, title: labels.length ? String(labels[i]) : "", title_fr: french.length ? String(french[i]) : "" };
      });
    }
    if (Array.isArray(node.oneOf) && node.oneOf.length && node.oneOf.every(function (e) {
      return isObject(e) && typeof e.const === "string";
    })) {
      return node.oneOf.map(function (e) {
        return { value: e.const, title: e.title && e.title !== e.const ? String(e.title) : "", title_fr: e.title_fr || "" };
      });
    }
    return null;
  }

  function usesOneOf(node) {
    return isObject(node) && !Array.isArray(node.enum) && Array.isArray(node.oneOf);
  }

  function typeOf(prop, ui) {
    var type = prop.type;
    if (type === "string" || type === undefined && !prop.items && !prop.properties) {
      if (prop["x-attachment"] === true) { return "attachment"; }
      if (typeof prop["x-directory-role"] === "string") { return "person"; }
      if (choicesOf(prop)) { return "choice"; }
      if (prop.format === "date") { return "date"; }
      if (prop.format || prop.enum || prop.oneOf || prop.anyOf) { return "advanced"; }
      return ui["ui:widget"] === "textarea" || (prop.maxLength || 0) > 200 ? "longtext" : "text";
    }
    if (type === "number" || type === "integer" || type === "boolean") {
      return prop.enum || prop.oneOf ? "advanced" : type;
    }
    if (type === "array" && isObject(prop.items) && choicesOf(prop.items) && !prop.items["x-directory-role"]) {
      return "multiple";
    }
    return "advanced";
  }

  function order(schema, ui) {
    var names = Object.keys(schema.properties);
    var wanted = (Array.isArray(ui["ui:order"]) ? ui["ui:order"] : []).filter(function (n) {
      return n === "*" || names.indexOf(n) >= 0;
    });
    var rest = names.filter(function (n) { return wanted.indexOf(n) < 0; });
    var star = wanted.indexOf("*");
    if (star < 0) { return wanted.concat(rest); }
    return wanted.slice(0, star).concat(rest, wanted.slice(star + 1)).filter(function (n) { return n !== "*"; });
  }

  function readField(key, prop, ui, required) {
    if (!isObject(prop)) {  // `true` and the like: kept as they are
      return { key: key, type: "advanced", prop: prop, ui: copy(ui), autoKey: false, required: required.indexOf(key) >= 0,
               title: "", title_fr: "", help: "", help_fr: "", titleInUi: false, helpInUi: false, role: "", choices: [],
               choiceStyle: "enum" };
    }
    var type = typeOf(prop, ui);
    var helpInUi = "ui:help" in ui;
    return {
      key: key, type: type, prop: copy(prop), ui: copy(ui), autoKey: false,
      required: required.indexOf(key) >= 0,
      title: String(("ui:title" in ui ? ui["ui:title"] : prop.title) || ""),
      title_fr: String(("ui:title" in ui ? ui["ui:title_fr"] : prop.title_fr) || ""),
      titleInUi: "ui:title" in ui, helpInUi: helpInUi,
      help: String((helpInUi ? ui["ui:help"] : prop.description) || ""),
      help_fr: String((helpInUi ? ui["ui:help_fr"] : prop.description_fr) || ""),
      role: typeof prop["x-directory-role"] === "string" ? prop["x-directory-role"] : "",
      choices: choicesOf(type === "multiple" ? prop.items : prop) || [],
      choiceStyle: usesOneOf(type === "multiple" ? prop.items : prop) ? "oneOf" : "enum"
    };
  }

  /** The builder's state from the two JSON texts, or a reason it cannot read them. */
  function read() {
    var schema, ui;
    try {
      schema = JSON.parse(schemaArea.value);
      ui = uiArea.value.trim() ? JSON.parse(uiArea.value) : {};
    } catch (error) {
      return { problem: word("bad-json") };
    }
    if (!isObject(schema) || !isObject(ui) || (schema.properties !== undefined && !isObject(schema.properties))) {
      return { problem: word("not-object") };
    }
    schema.properties = schema.properties || {};
    var required = Array.isArray(schema.required) ? schema.required : [];
    return {
      schema: schema, ui: ui, hadUi: uiArea.value.trim() !== "", hadOrder: Array.isArray(ui["ui:order"]),
      texts: FORM_TEXTS.reduce(function (texts, name) { texts[name] = schema[name] || ""; return texts; }, {}),
      fields: order(schema, ui).map(function (key) {
        return readField(key, schema.properties[key], isObject(ui[key]) ? ui[key] : {}, required);
      })
    };
  }

  // -- writing the JSON -------------------------------------------------------------------

  function setText(target, name, value) {
    if (value) { target[name] = value; } else { delete target[name]; }
  }

  /** `enum`, with `x-enum-labels` and `x-enum-labels-fr` (engine/process_texts.py) when labelled;
   * a list first written as `oneOf` entries stays so. */
  function choiceJSON(choices, style) {
    if (style === "oneOf") {
      return { oneOf: choices.map(function (c) {
        var entry = { const: c.value, title: c.title || c.value };
        if (c.title_fr) { entry.title_fr = c.title_fr; }
        return entry;
      }) };
    }
    var written = { enum: choices.map(function (c) { return c.value; }) };
    if (choices.some(function (c) { return c.title; })) {
      written["x-enum-labels"] = choices.map(function (c) { return c.title || c.value; });
    }
    if (choices.some(function (c) { return c.title_fr; })) {
      written["x-enum-labels-fr"] = choices.map(function (c) { return c.title_fr || c.title || c.value; });
    }
    return written;
  }

  function keptItems(field) {
    var items = isObject(field.prop.items) ? copy(field.prop.items) : {};
    CHOICE_KEYS.forEach(function (name) { delete items[name]; });
    return items;
  }

  function writeField(field) {
    var ui = copy(field.ui);
    if (field.type === "advanced") { return { prop: copy(field.prop), ui: ui }; }
    var kept = copy(field.prop);
    MANAGED.forEach(function (name) {
      var shownFromUi = (field.titleInUi && name.indexOf("title") === 0) ||
                        (field.helpInUi && name.indexOf("description") === 0);
      if (!shownFromUi) { delete kept[name]; }  // the UI schema's text is the one edited: the schema's stays
    });
    var prop = {};
    var typed = {
      text: { type: "string" }, longtext: { type: "string" }, number: { type: "number" },
      integer: { type: "integer" }, boolean: { type: "boolean" }, date: { type: "string", format: "date" },
      choice: Object.assign({ type: "string" }, choiceJSON(field.choices, field.choiceStyle)),
      multiple: { type: "array", uniqueItems: true,
                  items: Object.assign({ type: "string" }, keptItems(field), choiceJSON(field.choices, field.choiceStyle)) },
      person: { type: "string", "x-directory-role": field.role },
      attachment: { type: "string", "x-attachment": true }
    }[field.type];
    prop.type = typed.type;
    if (field.titleInUi) {
      setText(ui, "ui:title", field.title);
      setText(ui, "ui:title_fr", field.title_fr);
    } else {
      setText(prop, "title", field.title);
      setText(prop, "title_fr", field.title_fr);
    }
    if (field.helpInUi) {
      setText(ui, "ui:help", field.help);
      setText(ui, "ui:help_fr", field.help_fr);
    } else {
      setText(prop, "description", field.help);
      setText(prop, "description_fr", field.help_fr);
    }
    Object.keys(typed).forEach(function (name) { if (name !== "type") { prop[name] = typed[name]; } });
    Object.keys(kept).forEach(function (name) { prop[name] = kept[name]; });
    if (field.type === "longtext") {
      ui["ui:widget"] = "textarea";
    } else if (ui["ui:widget"] === "textarea") {
      delete ui["ui:widget"];
    }
    return { prop: prop, ui: ui };
  }

  /** The two JSON texts for the state; the keywords around the fields stay where they were. */
  function write() {
    var schema = {};
    var computed = { type: "object", properties: {}, required: [] };
    FORM_TEXTS.forEach(function (name) { if (state.texts[name]) { computed[name] = state.texts[name]; } });
    var ui = {};
    Object.keys(state.ui).forEach(function (name) {
      if (name === "ui:order" || Object.prototype.hasOwnProperty.call(state.schema.properties, name)) { return; }
      ui[name] = state.ui[name];
    });
    state.fields.forEach(function (field) {
      var written = writeField(field);
      computed.properties[field.key] = written.prop;
      if (field.required) { computed.required.push(field.key); }
      if (Object.keys(written.ui).length) { ui[field.key] = written.ui; }
    });
    var before = Array.isArray(state.schema.required) ? state.schema.required : [];
    computed.required.sort(function (a, b) {  // the order they had, the new ones after them
      var at = before.indexOf(a), bt = before.indexOf(b);
      return (at < 0 ? before.length : at) - (bt < 0 ? before.length : bt);
    });
    if (!computed.required.length && !("required" in state.schema)) { delete computed.required; }
    if (state.hadOrder) { ui["ui:order"] = state.fields.map(function (f) { return f.key; }); }
    Object.keys(state.schema).forEach(function (name) {
      if (name in computed) {
        schema[name] = computed[name];
      } else if (FORM_TEXTS.indexOf(name) < 0) {
        schema[name] = state.schema[name];
      }
    });
    Object.keys(computed).forEach(function (name) { if (!(name in schema)) { schema[name] = computed[name]; } });
    return { schema: JSON.stringify(schema, null, 2),
             ui: Object.keys(ui).length || state.hadUi ? JSON.stringify(ui, null, 2) : "" };
  }

  function problems() {
    var found = [];
    var seen = {};
    state.fields.forEach(function (field) {
      if (!KEY.test(field.key)) { found.push(word("bad-key") + " “" + field.key + "”"); }
      if (seen[field.key]) { found.push(word("same-key") + " “" + field.key + "”"); }
      seen[field.key] = true;
    });
    return found;
  }

  /** What the engine would refuse or a user could not answer; said, but the JSON is still written. */
  function notes() {
    var found = [];
    state.fields.forEach(function (field) {
      var name = "“" + (field.title || field.key) + "”";
      if ((field.type === "choice" || field.type === "multiple")) {
        var values = field.choices.map(function (c) { return c.value; });
        if (!values.length || values.indexOf("") >= 0) { found.push(word("empty-choice") + " " + name); }
        if (values.some(function (v, i) { return values.indexOf(v) !== i; })) { found.push(word("same-choice") + " " + name); }
      }
      if (field.type === "person" && !field.role.trim()) { found.push(word("no-role") + " " + name); }
    });
    return found;
  }

  function say(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  /** Writes the text areas from the builder and lets the preview script draw them again. */
  function sync() {
    var found = problems();
    if (found.length) {
      say(found.join(" ") + " " + word("builder-waits"));
      section.setAttribute("data-builder-state", "invalid");
      return;
    }
    say(notes().join(" "));
    var texts = write();
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

  function slug(text) {
    var made = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60);
    return /^[a-z_]/.test(made) ? made : "field_" + made;
  }

  function uniqueKey(base, except) {
    var taken = state.fields.filter(function (f) { return f !== except; }).map(function (f) { return f.key; });
    var key = base;
    for (var n = 2; taken.indexOf(key) >= 0; n++) { key = base + "_" + n; }
    return key;
  }

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

  /** A required multiple choice needs one choice at least: an empty list would pass `required`. */
  function atLeastOne(field) {
    if (field.type === "multiple" && field.required) {
      field.prop.minItems = Math.max(1, field.prop.minItems || 0);
    } else if (field.prop.minItems === 1) {
      delete field.prop.minItems;
    }
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
          field.key = uniqueKey(slug(input.value || word("new-field")), field);
          card.querySelector("[data-prop=key]").value = field.key;
        }
        if ((name === "required" || name === "type") && isObject(field.prop)) { atLeastOne(field); }
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
    var found = read();
    var body = section.querySelector("[data-builder-body]");
    if (found.problem) {
      say(found.problem);
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
    state.fields.push({ key: uniqueKey("field_" + (state.fields.length + 1)), type: "text", prop: {}, ui: {},
                        autoKey: true, required: false, title: "", title_fr: "", help: "", help_fr: "",
                        titleInUi: false, helpInUi: false, role: "", choices: [], choiceStyle: "enum" });
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
