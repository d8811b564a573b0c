// Small DOM and formatting helpers every view uses.
import { i18n } from "./strings.js";

/** The element with id `id`. */
export const $ = (id) => document.getElementById(id);

/** A new `tag` element with optional text and class. */
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** A panel's error line (the alert element `id`): `show(text)` (null hides it), and
 * `guard(fn)`, which runs fn with the line cleared and shows its error there. */
export function alertLine(id) {
  const show = (text) => {
    $(id).hidden = !text;
    $(id).textContent = text ?? "";
  };
  const guard = (fn) => async (...args) => {
    show(null);
    try {
      await fn(...args);
    } catch (err) {
      show(err.message);
    }
  };
  return { show, guard };
}

/** How long a status message stays before it goes (the next action replaces it sooner). */
export const STATUS_MS = 15_000;

/** A panel's status line (the live element `id`): `say(text, actions)` shows `text`
 * until the next message, or for STATUS_MS, so no message outlives what it was about.
 * With a button per `{label, onClick}` (e.g. Undo) it stays until the next message: an
 * offer is not taken away on a timer. */
export function statusLine(id) {
  let timer = null;
  return function say(text, actions = []) {
    clearTimeout(timer);
    const line = $(id);
    line.replaceChildren(text ?? "");
    for (const { label, onClick } of actions) {
      const b = el("button", label, "inline-action");
      b.type = "button";
      b.addEventListener("click", () => {
        line.tabIndex = -1; // focus stays on the line, not lost with the button
        line.focus();
        say(null);
        onClick();
      });
      line.append(" ", b);
    }
    if (text && !actions.length) timer = setTimeout(() => say(null), STATUS_MS);
  };
}

/** Offer `text` as a file download called `name`. */
export function download(text, name, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 0.973 -> "97.3%" in English, "97,3 %" in Spanish (the page's language). */
export const pct = (p) => i18n.pct(p);
