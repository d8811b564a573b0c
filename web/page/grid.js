// The 10x10 drawing grid: pointer (mouse, pen, touch) painting, erasing and keyboard
// control. Knows nothing about prediction: it reports "change" and "strokeend" events.

import { GRID as SIZE } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";

export class Grid extends EventTarget {
  /** Build the grid's cells inside `root`. `isErasing()` says whether Erase mode is on. */
  constructor(root, { isErasing = () => false } = {}) {
    super();
    this.root = root;
    this.isErasing = isErasing;
    this.cells = [];
    this.values = new Uint8Array(SIZE * SIZE);
    this.paintValue = null; // 1 or 0 while a stroke is in progress
    this.stroke = null; // the stroke's pointer and its last position, in cell units
    this.focusIndex = 0;
    root.style.setProperty("--grid-size", String(SIZE));
    for (let i = 0; i < SIZE * SIZE; i++) {
      const cell = document.createElement("button");
      cell.type = "button";
      cell.dataset.index = String(i);
      cell.setAttribute("aria-label", i18n.t("draw.cell", { row: Math.floor(i / SIZE) + 1, column: (i % SIZE) + 1 }));
      cell.setAttribute("aria-pressed", "false");
      cell.tabIndex = i === 0 ? 0 : -1;
      this.cells.push(cell);
      root.append(cell);
    }
    root.addEventListener("pointerdown", (e) => this.#down(e));
    root.addEventListener("pointermove", (e) => this.#move(e));
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
      root.addEventListener(type, () => this.#end());
    }
    root.addEventListener("contextmenu", (e) => e.preventDefault());
    root.addEventListener("keydown", (e) => this.#key(e));
    // Whichever cell gets focus (Tab, click, script) becomes the keyboard's position.
    root.addEventListener("focusin", (e) => {
      if (e.target.dataset.index !== undefined) this.#focus(Number(e.target.dataset.index), false);
    });
    // Activation by keyboard is handled in #key; swallow the synthetic click.
    root.addEventListener("click", (e) => e.preventDefault());
  }

  /** The drawing as 100 numbers (0/1), row-major. */
  pattern() {
    return Array.from(this.values);
  }

  isEmpty() {
    return !this.values.some((v) => v);
  }

  clear() {
    this.values.forEach((_, i) => this.#set(i, 0));
    this.#emit("change");
  }

  /** Show `pattern` (100 numbers, 0/1), as if drawn. */
  setPattern(pattern) {
    pattern.forEach((v, i) => this.#set(i, v ? 1 : 0));
    this.#emit("change");
  }

  #set(i, v) {
    if (this.values[i] === v) return false;
    this.values[i] = v;
    this.cells[i].setAttribute("aria-pressed", v ? "true" : "false");
    return true;
  }

  #cellAt(x, y) {
    const el = document.elementFromPoint(x, y);
    return el && el.parentElement === this.root && el.dataset.index !== undefined
      ? Number(el.dataset.index) : null;
  }

  /** Client (x, y) in cell units: cell (r, c) spans [c, c + 1) × [r, r + 1), with half the
   * gap on each side; outside the grid is below 0 or from SIZE on. */
  #toCells(x, y) {
    const a = this.cells[0].getBoundingClientRect();
    const b = this.cells[SIZE * SIZE - 1].getBoundingClientRect();
    const px = (b.left - a.left) / (SIZE - 1), py = (b.top - a.top) / (SIZE - 1);
    return [(x - a.left + (px - a.width) / 2) / px, (y - a.top + (py - a.height) / 2) / py];
  }

  /** Paint every cell whose inside the segment (x0, y0)–(x1, y1), in cell units, crosses
   * (a supercover walk; through a corner it steps diagonally). True if a cell changed. */
  #line(x0, y0, x1, y1) {
    let c = Math.floor(x0), r = Math.floor(y0);
    const c1 = Math.floor(x1), r1 = Math.floor(y1);
    const dx = x1 - x0, dy = y1 - y0, sx = Math.sign(dx), sy = Math.sign(dy);
    // Fraction of the segment to the next column (row) line, and between two of them.
    let nx = sx ? ((sx > 0 ? c + 1 : c) - x0) / dx : Infinity;
    let ny = sy ? ((sy > 0 ? r + 1 : r) - y0) / dy : Infinity;
    const tx = Math.abs(1 / dx), ty = Math.abs(1 / dy);
    let changed = this.#paint(r, c);
    for (let n = Math.abs(c1 - c) + Math.abs(r1 - r); n > 0 && (c !== c1 || r !== r1); n--) {
      const t = Math.min(nx, ny);
      if (nx - t < 1e-9) { c += sx; nx += tx; }
      if (ny - t < 1e-9) { r += sy; ny += ty; }
      changed = this.#paint(r, c) || changed;
    }
    return this.#paint(r1, c1) || changed; // the end, whatever rounding did
  }

  #paint(r, c) {
    return r >= 0 && r < SIZE && c >= 0 && c < SIZE && this.#set(r * SIZE + c, this.paintValue);
  }

  #down(e) {
    const i = this.#cellAt(e.clientX, e.clientY);
    if (i === null || (e.button !== 0 && e.button !== 2)) return;
    e.preventDefault();
    // Right button, Erase mode, or starting on ink: this stroke rubs out.
    this.paintValue = e.button === 2 || this.isErasing() || this.values[i] ? 0 : 1;
    this.root.setPointerCapture?.(e.pointerId);
    this.stroke = { id: e.pointerId, at: this.#toCells(e.clientX, e.clientY) };
    this.#focus(i, false);
    if (this.#set(i, this.paintValue)) this.#emit("change");
  }

  // A quick stroke moves several cells between events: paint the line from the last
  // position to each new one (the browser's coalesced positions when it keeps them).
  #move(e) {
    if (this.paintValue === null || e.pointerId !== this.stroke.id) return;
    const points = e.getCoalescedEvents?.() ?? [];
    let changed = false;
    for (const p of points.length ? points : [e]) {
      const at = this.#toCells(p.clientX, p.clientY);
      changed = this.#line(...this.stroke.at, ...at) || changed;
      this.stroke.at = at;
    }
    if (changed) this.#emit("change");
  }

  #end() {
    if (this.paintValue === null) return;
    this.paintValue = null;
    this.stroke = null;
    this.#emit("strokeend");
  }

  #focus(i, move = true) {
    this.cells[this.focusIndex].tabIndex = -1;
    this.focusIndex = i;
    this.cells[i].tabIndex = 0;
    if (move) this.cells[i].focus();
  }

  #key(e) {
    const i = this.focusIndex;
    const r = Math.floor(i / SIZE), c = i % SIZE;
    const moves = {
      ArrowUp: [Math.max(r - 1, 0), c], ArrowDown: [Math.min(r + 1, SIZE - 1), c],
      ArrowLeft: [r, Math.max(c - 1, 0)], ArrowRight: [r, Math.min(c + 1, SIZE - 1)],
      Home: [r, 0], End: [r, SIZE - 1],
    };
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (moves[e.key]) {
      e.preventDefault();
      const [nr, nc] = moves[e.key];
      this.#focus(nr * SIZE + nc);
    } else if (e.key === " " || e.key === "Enter") {
      e.preventDefault();
      this.#set(i, this.isErasing() ? 0 : 1 - this.values[i]);
      this.#emit("change");
      this.#emit("strokeend");
    }
  }

  #emit(type) {
    this.dispatchEvent(new Event(type));
  }
}
