// The page's language: message catalogues (locales/<code>.json, one file per language;
// the build imports them all in shared/languages.generated.js), the choice (the browser's language
// unless the person chose one, remembered on this device), and numbers, percentages and
// dates in that language through Intl.
//
// A message is a string with {name} placeholders, or {one, other, ...} keyed by
// Intl.PluralRules for its {count}. Static text in index.html names its key in
// data-i18n (text) or data-i18n-attr ("attribute: key; ..."). A missing key shows the
// key itself and warns: tests/test_i18n.py makes sure there is none.
import { CATALOGUES } from "./languages.generated.js";

const KEY = "letter-recognizer-language";
const FALLBACK = "en";

/** code -> the language's own name, for the language menu. */
export const LANGUAGES = Object.fromEntries(
  Object.entries(CATALOGUES).map(([code, messages]) => [code, messages["language.name"]]));

/** The language to show: the remembered choice, else the browser's first preference
 * that has a catalogue, else English. */
export function chosenLanguage() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch { /* no storage: follow the browser */ }
  if (saved in CATALOGUES) return saved;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (base in CATALOGUES) return base;
  }
  return FALLBACK;
}

export class Translator {
  constructor(lang, messages) {
    this.lang = lang;
    this.messages = messages;
    this.plural = new Intl.PluralRules(lang);
    this.numbers = new Map();
  }

  /** The message `key` with `params` filled in. */
  t(key, params = {}) {
    let message = this.messages[key];
    if (message === undefined) {
      console.warn(`no message "${key}" in ${this.lang}`);
      return key;
    }
    if (typeof message === "object") message = message[this.plural.select(params.count ?? 0)] ?? message.other;
    return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? this.#value(params[name]) : whole));
  }

  /** A parameter as text: numbers and lists in this language. */
  #value(v) {
    if (typeof v === "number") return this.number(v, { maximumFractionDigits: 6 });
    if (Array.isArray(v)) return new Intl.ListFormat(this.lang, { type: "conjunction" }).format(v.map(String));
    return String(v);
  }

  /** A coded error from the worker ({code: a message key, params, within: its places in
   * a document, message}) in this language, or its own (English) message when the
   * catalogues have none. */
  error({ code, params = {}, within = [], message }) {
    return code && code in this.messages ? [...within, this.t(code, params)].join(": ") : message;
  }

  /** `value` as a number in this language (Intl.NumberFormat `options`). */
  number(value, options = {}) {
    const id = JSON.stringify(options);
    if (!this.numbers.has(id)) this.numbers.set(id, new Intl.NumberFormat(this.lang, options));
    return this.numbers.get(id).format(value);
  }

  /** 0.973 -> "97.3%" (English), "97,3 %" (Spanish). */
  pct(p, digits = 1) {
    return this.number(p, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  /** A date and time (ISO text or Date), medium date and short time. */
  date(value) {
    return new Intl.DateTimeFormat(this.lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
  }

  /** A calendar day given as ISO text ("2026-11-28", a UTC day), medium style. */
  day(iso) {
    return new Intl.DateTimeFormat(this.lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  }

  /** Translate the static text under `root`: data-i18n and data-i18n-attr. */
  translate(root = document) {
    for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = this.t(node.dataset.i18n);
    for (const node of root.querySelectorAll("[data-i18n-attr]")) {
      for (const pair of node.dataset.i18nAttr.split(";")) {
        const [attr, key] = pair.split(":").map((s) => s.trim());
        if (attr) node.setAttribute(attr, this.t(key));
      }
    }
  }
}

/** A Translator for `lang` (English under anything it lacks; English for a language
 * there is no catalogue for). */
export function translatorFor(lang) {
  return new Translator(lang in CATALOGUES ? lang : FALLBACK, { ...CATALOGUES[FALLBACK], ...CATALOGUES[lang] });
}

/** Words in `lang` for Python that writes text (mlp_core.model_card.Words): message
 * `prefix + key` with its parameters as JSON text, percentages, fixed decimals, dates. */
export function pythonWords(lang, prefix) {
  const tr = translatorFor(lang);
  return {
    t: (key, params) => tr.t(prefix + key, JSON.parse(params)),
    pct: (p) => tr.pct(p),
    number: (x, digits) => tr.number(x, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    date: (iso) => tr.date(iso),
  };
}

/** The chosen language's Translator, with the page's static text translated and
 * <html lang> set. */
export function loadLanguage(lang = chosenLanguage()) {
  const translator = translatorFor(lang);
  document.documentElement.lang = lang;
  translator.translate();
  return translator;
}

/** Remember `lang` as the person's choice. */
export function saveLanguage(lang) {
  try {
    localStorage.setItem(KEY, lang);
  } catch (err) {
    console.warn("the language choice could not be remembered:", err);
  }
}
