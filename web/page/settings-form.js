// The Train form's settings, made from the schema mlp.settings() returns: one field per
// setting (named as the setting, grouped, with its limits and help), a preset menu, and
// the URL: one parameter per setting that differs from the starting preset.
import { el } from "./dom.js";
import { i18n } from "./strings.js";

/** URL names older links used, and the settings they mean now. */
const RENAMED = { hidden: "hidden_layer_sizes", validation_ratio: "validation_fraction" };

/** A message-key part for `text` (as build.py's slug): "Fine-tuning" -> "fine_tuning". */
const slug = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "_");

/** Setting `s`'s value `v` as its field shows it: numbers in the page's language
 * ("0,05" in Spanish), lists as "64, 32". */
export function text(s, v) {
  if (s.type === "int_list") return v.join(", ");
  if (s.type === "int" || s.type === "float") return i18n.number(v, { useGrouping: false, maximumFractionDigits: 12 });
  return String(v);
}

/** A field's text as setting `s`'s value: a decimal point or comma both read as the
 * decimal separator, whatever the language. */
export function parse(s, raw) {
  if (s.type === "choice") return raw;
  if (s.type === "int_list") return raw.split(",").map((part) => Number(part.trim()));
  return Number(raw.trim().replace(",", "."));
}

const isNumber = (s) => s.type === "int" || s.type === "float";

// A setting's words: mlp_core states them in English (the schema, and the English
// catalogue, which `python build.py generate` writes from it); the page's language may
// translate them.
const labelOf = (s) => i18n.t(`setting.${s.name}.label`);
const helpOf = (s) => i18n.t(`setting.${s.name}.help`);
const num = (v) => i18n.number(v, { useGrouping: false, maximumFractionDigits: 12 });

/** What setting `s` accepts, in words (as mlp_core's Setting.describe, translated). */
export function describe(s) {
  if (s.type === "choice") return i18n.t("describe.choice", { choices: s.choices.join(", ") });
  const range = i18n.t(s.min_exclusive ? "range.above_to" : "range.from_to", { min: num(s.min), max: num(s.max) });
  if (s.type === "int_list") return i18n.t("describe.list", { max: s.max_length, range });
  return i18n.t(s.type === "int" ? "describe.int" : "describe.number", { range });
}

/** One labelled input for setting `s` (named as the setting, with its limits). */
export function field(s) {
  const label = el("label");
  const input = el(s.type === "choice" ? "select" : "input");
  input.name = s.name;
  input.required = true;
  input.title = i18n.t("settings.allowed", { help: helpOf(s), describe: describe(s) });
  if (s.type === "choice") {
    input.append(...s.choices.map((c) => new Option(c, c)));
  } else if (s.type === "int_list") {
    input.pattern = "\\s*\\d+(\\s*,\\s*\\d+)*\\s*";
  } else {
    // Text, not type=number: a number field shows the browser's decimals, not the page's.
    input.inputMode = s.type === "int" ? "numeric" : "decimal";
    input.pattern = s.type === "int" ? "\\s*-?\\d+\\s*" : "\\s*-?\\d*[.,]?\\d+([eE][\\-+]?\\d+)?\\s*";
    input.size = 8;
  }
  label.append(el("span", labelOf(s)), input);
  return label;
}

/** "What these do": each setting's help and what it accepts. */
export function help(settings) {
  const details = el("details", undefined, "help");
  const dl = el("dl");
  for (const s of settings) {
    const words = describe(s);
    const allowed = `${words[0].toUpperCase()}${words.slice(1)}${s.unit ? ` ${i18n.t(`unit.${s.unit}`)}` : ""}`;
    dl.append(el("dt", labelOf(s)), el("dd", `${helpOf(s)} ${allowed}.`));
  }
  details.append(el("summary", i18n.t("settings.what")), dl);
  return details;
}

/** Every setting's value in preset `name`: the preset's, else the setting's default. */
function presetValues({ settings, presets }, name) {
  const p = presets.find((x) => x.name === name);
  const values = Object.fromEntries(settings.map((s) => [s.name, s.default]));
  for (const s of settings) if (s.name in p[s.section]) values[s.name] = p[s.section][s.name];
  return values;
}

/** Fill `container` with the preset menu and a fieldset per group of settings; returns
 * the menu. */
function buildFields(container, { settings, presets }) {
  const choose = el("label");
  const preset = el("select");
  preset.name = "preset";
  preset.append(...presets.map((p) => new Option(i18n.t(`preset.${p.name}`), p.name)),
    new Option(i18n.t("settings.custom"), ""));
  choose.className = "preset";
  choose.append(`${i18n.t("settings.preset")} `, preset);
  container.replaceChildren(choose, ...fieldsets(settings));
  return preset;
}

/** A fieldset per group of `settings` (legend, a field each, their help): the one way
 * the Train form and the fine-tuning form lay out settings. */
export function fieldsets(settings) {
  return [...new Set(settings.map((s) => s.group))].map((group) => {
    const fieldset = el("fieldset");
    const members = settings.filter((s) => s.group === group);
    fieldset.append(el("legend", i18n.t(`group.${slug(group)}`)), ...members.map(field), help(members));
    return fieldset;
  });
}

/**
 * The settings part of the Train form, from `schema` ({settings, presets,
 * default_preset}, each setting with `describe`: what it accepts, in words).
 * Returns {config, query, fromQuery}.
 */
export function settingsForm(container, form, schema) {
  const { settings, presets } = schema;
  const byName = Object.fromEntries(settings.map((s) => [s.name, s]));
  const start = presetValues(schema, schema.default_preset);
  const preset = buildFields(container, schema);

  const current = () => Object.fromEntries(settings.map((s) => [s.name, form.elements[s.name].value]));
  const apply = (values) => {
    for (const [name, v] of Object.entries(values)) form.elements[name].value = text(byName[name], v);
  };
  /** The preset the fields equal, or "" (Custom). */
  const matchPreset = () => {
    const now = current();
    const same = (p) => {
      const values = presetValues(schema, p.name);
      return settings.every((s) => text(s, values[s.name]) === now[s.name]);
    };
    preset.value = presets.find(same)?.name ?? "";
  };
  preset.addEventListener("change", () => {
    if (preset.value) apply(presetValues(schema, preset.value));
    form.dispatchEvent(new Event("input"));
  });
  form.addEventListener("input", (e) => { if (e.target !== preset) matchPreset(); });
  apply(start);

  return {
    /** {hyperparameters, data} as mlp.train takes them. */
    config() {
      const out = { hyperparameters: {}, data: {} };
      for (const s of settings) out[s.section][s.name] = parse(s, form.elements[s.name].value);
      return out;
    },
    /** The URL parameters: every setting that differs from the starting preset, written
     * as a URL writes numbers (a field that does not read as one goes as typed). */
    query() {
      const params = new URLSearchParams();
      for (const [name, v] of Object.entries(current())) {
        if (v === text(byName[name], start[name])) continue;
        const value = isNumber(byName[name]) ? parse(byName[name], v) : NaN;
        params.set(name, Number.isFinite(value) ? String(value) : v); // numbers with a point
      }
      return params;
    },
    /** Fill the fields from URL parameters; true if any named a setting. */
    fromQuery(params) {
      let any = false;
      for (const [key, value] of params) {
        const name = RENAMED[key] ?? key;
        if (!byName[name] || (key !== name && params.has(name))) continue;
        const s = byName[name];
        const number = isNumber(s) && value.trim() !== "" && Number.isFinite(Number(value));
        form.elements[name].value = number ? text(s, Number(value)) : value;
        any = true;
      }
      matchPreset();
      return any;
    },
  };
}
