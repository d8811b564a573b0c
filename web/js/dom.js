// Small DOM and formatting helpers every view uses.

/** The element with id `id`. */
export const $ = (id) => document.getElementById(id);

/** A new `tag` element with optional text and class. */
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** 0.973 -> "97.3%". */
export const pct = (p) => `${(p * 100).toFixed(1)}%`;
