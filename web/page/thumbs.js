// Small canvas pictures of 10x10 grids: drawings (ink) and weights (diverging heat map).

import { GRID as SIZE } from "../shared/limits.generated.js";
import { palette } from "./theme.js";

// Thumbnails in the page redraw in the theme's colours when it changes.
document.addEventListener("themechange", () => {
  for (const canvas of document.querySelectorAll("canvas.thumb")) canvas.draw?.();
});

/** An accessible square canvas for a 10x10 picture with `px`-pixel cells, drawn by
 * `paint(ctx, px)` now and whenever the theme changes. */
function thumbCanvas(px, label, paint) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIZE * px;
  canvas.className = "thumb";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  const ctx = canvas.getContext("2d");
  canvas.draw = () => paint(ctx, px);
  canvas.draw();
  return canvas;
}

const cell = (ctx, i, px) => ctx.fillRect((i % SIZE) * px, Math.floor(i / SIZE) * px, px, px);

/** A canvas showing a 0/1 pattern of 100 values. */
export function patternThumb(pattern, { px = 4, label = "" } = {}) {
  return thumbCanvas(px, label, (ctx) => {
    const c = palette("cell", "cell-on");
    ctx.fillStyle = c.cell;
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.fillStyle = c["cell-on"];
    pattern.forEach((v, i) => { if (v) cell(ctx, i, px); });
  });
}

/** A canvas showing 100 weights as a diverging heat map: the theme's "heat-plus" colour
 * positive, "heat-minus" negative, its card colour at zero (scaled by `max`). */
export function weightThumb(weights, max, { px = 5, label = "" } = {}) {
  return thumbCanvas(px, label, (ctx) => {
    const c = palette("card", "heat-plus", "heat-minus");
    weights.forEach((w, i) => {
      const share = Math.round(100 * Math.min(1, Math.abs(w) / (max || 1)));
      ctx.fillStyle = c.card;  // the colour at zero, under a share of the end colour
      cell(ctx, i, px);
      ctx.globalAlpha = share / 100;
      ctx.fillStyle = w >= 0 ? c["heat-plus"] : c["heat-minus"];
      cell(ctx, i, px);
      ctx.globalAlpha = 1;
    });
  });
}
