// Small canvas pictures of 10x10 grids: drawings (ink) and weights (diverging heat map).

import { GRID as SIZE } from "./limits.js";

/** An accessible square canvas for a 10x10 picture with `px`-pixel cells. */
function thumbCanvas(px, label) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIZE * px;
  canvas.className = "thumb";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  return canvas;
}

/** A canvas showing a 0/1 pattern of 100 values. */
export function patternThumb(pattern, { px = 4, label = "" } = {}) {
  const canvas = thumbCanvas(px, label);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#eef1f7";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#1d2330";
  pattern.forEach((v, i) => {
    if (v) ctx.fillRect((i % SIZE) * px, Math.floor(i / SIZE) * px, px, px);
  });
  return canvas;
}

/** A canvas showing 100 weights: red positive, blue negative, white zero (scaled by `max`). */
export function weightThumb(weights, max, { px = 5, label = "" } = {}) {
  const canvas = thumbCanvas(px, label);
  const ctx = canvas.getContext("2d");
  weights.forEach((w, i) => {
    const t = Math.min(1, Math.abs(w) / (max || 1));
    const fade = Math.round(255 * (1 - t));
    ctx.fillStyle = w >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
    ctx.fillRect((i % SIZE) * px, Math.floor(i / SIZE) * px, px, px);
  });
  return canvas;
}
