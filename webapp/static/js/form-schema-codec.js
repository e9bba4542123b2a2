/*
 * The form builder's codec: reads a form's JSON Schema and UI schema texts into the builder's
 * list of fields, and writes that list back into the two texts. Pure functions, no DOM: the
 * page (static/js/modeler-form-builder.js) loads this file first and draws and edits the
 * fields. What the builder does not edit (other keywords, fields of other shapes) is kept as
 * it was.
 *
 * Field types and the JSON they write (the renderer's own vocabulary, webapp/form_rendering/):
 *   text {type: string}; long text + ui:widget textarea; number; integer; yes/no {boolean};
 *   date {format: date}; choice list {enum} with x-enum-labels(-fr) when labelled;
 *   multiple choice {type: array, items: <choice list>, uniqueItems}; person from the
 *   directory {x-directory-role}; file attachment {x-attachment: true}.
 * French texts go beside their English ones as `<key>_fr` (title_fr, description_fr...).
 *
 * A state is {schema, ui, hadUi, hadOrder, texts, fields}; a field is {key, type, prop, ui,
 * autoKey, required, title, title_fr, help, help_fr, titleInUi, helpInUi, role, choices,
 * choiceStyle}. What the codec has to say is a word of the page's words template (by name)
 * and what it is about: the page puts them in the manager's language.
 */
var FormSchemaCodec = (function () {
  "use strict";

  var KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
  var FORM_TEXTS = ["title", "title_fr", "description", "description_fr"];
  // Keywords of a property the builder writes itself (the others are kept as they were).
  var MANAGED = ["type", "title", "title_fr", "description", "description_fr", "format", "enum", "oneOf",
                 "x-enum-titles", "x-enum-labels", "x-enum-labels-fr", "items", "uniqueItems", "x-directory-role",
                 "x-attachment"];
  var CHOICE_KEYS = ["type", "enum", "oneOf", "x-enum-titles", "x-enum-labels", "x-enum-labels-fr"];

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

  /** The builder's state from the two JSON texts, or {problem: <word>} when it cannot read them. */
  function read(schemaText, uiText) {
    var schema, ui;
    try {
      schema = JSON.parse(schemaText);
      ui = uiText.trim() ? JSON.parse(uiText) : {};
    } catch (error) {
      return { problem: "bad-json" };
    }
    if (!isObject(schema) || !isObject(ui) || (schema.properties !== undefined && !isObject(schema.properties))) {
      return { problem: "not-object" };
    }
    schema.properties = schema.properties || {};
    var required = Array.isArray(schema.required) ? schema.required : [];
    return {
      schema: schema, ui: ui, hadUi: uiText.trim() !== "", hadOrder: Array.isArray(ui["ui:order"]),
      texts: FORM_TEXTS.reduce(function (texts, name) { texts[name] = schema[name] || ""; return texts; }, {}),
      fields: order(schema, ui).map(function (key) {
        return readField(key, schema.properties[key], isObject(ui[key]) ? ui[key] : {}, required);
      })
    };
  }

  // -- writing the JSON -------------------------------------------------------------------

  function placeText(inUi, ui, uiKey, prop, schemaKey, text, textFr) {
    var target = inUi ? ui : prop, key = inUi ? uiKey : schemaKey;
    setText(target, key, text);
    setText(target, key + "_fr", textFr);
  }

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
    // A text goes where the form had it: in the UI schema ("ui:title") or the JSON Schema ("title").
    placeText(field.titleInUi, ui, "ui:title", prop, "title", field.title, field.title_fr);
    placeText(field.helpInUi, ui, "ui:help", prop, "description", field.help, field.help_fr);
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
  function write(state) {
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

  // -- checking the fields ----------------------------------------------------------------

  /** Keys the JSON cannot be written with: [{word, about}], the key each is about. */
  function problems(fields) {
    var found = [];
    var seen = {};
    fields.forEach(function (field) {
      if (!KEY.test(field.key)) { found.push({ word: "bad-key", about: field.key }); }
      if (seen[field.key]) { found.push({ word: "same-key", about: field.key }); }
      seen[field.key] = true;
    });
    return found;
  }

  /** What the engine would refuse or a user could not answer ([{word, about}], the field's
   * label or key); said, but the JSON is still written. */
  function notes(fields) {
    var found = [];
    fields.forEach(function (field) {
      var name = field.title || field.key;
      if ((field.type === "choice" || field.type === "multiple")) {
        var values = field.choices.map(function (c) { return c.value; });
        if (!values.length || values.indexOf("") >= 0) { found.push({ word: "empty-choice", about: name }); }
        if (values.some(function (v, i) { return values.indexOf(v) !== i; })) { found.push({ word: "same-choice", about: name }); }
      }
      if (field.type === "person" && !field.role.trim()) { found.push({ word: "no-role", about: name }); }
    });
    return found;
  }

  // -- editing the fields -----------------------------------------------------------------

  /** A key made from a label: ASCII letters, digits and _, starting with a letter or _. */
  function slug(text) {
    var made = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60);
    return /^[a-z_]/.test(made) ? made : "field_" + made;
  }

  /** `base`, or `base_2`, `base_3`... the first no field but `except` has. */
  function uniqueKey(fields, base, except) {
    var taken = fields.filter(function (f) { return f !== except; }).map(function (f) { return f.key; });
    var key = base;
    for (var n = 2; taken.indexOf(key) >= 0; n++) { key = base + "_" + n; }
    return key;
  }

  /** A required multiple choice needs one choice at least: an empty list would pass `required`. */
  function atLeastOne(field) {
    if (field.type === "multiple" && field.required) {
      field.prop.minItems = Math.max(1, field.prop.minItems || 0);
    } else if (field.prop.minItems === 1) {
      delete field.prop.minItems;
    }
  }

  /** A new text field, its key made from its label until the key is typed. */
  function newField(key) {
    return { key: key, type: "text", prop: {}, ui: {}, autoKey: true, required: false, title: "", title_fr: "",
             help: "", help_fr: "", titleInUi: false, helpInUi: false, role: "", choices: [], choiceStyle: "enum" };
  }

  return {
    isObject: isObject, read: read, write: write, problems: problems, notes: notes,
    slug: slug, uniqueKey: uniqueKey, atLeastOne: atLeastOne, newField: newField
  };
}());
