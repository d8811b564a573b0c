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

  #down(e) {
    const i = this.#cellAt(e.clientX, e.clientY);
    if (i === null || (e.button !== 0 && e.button !== 2)) return;
    e.preventDefault();
    // Right button, Erase mode, or starting on ink: this stroke rubs out.
    this.paintValue = e.button === 2 || this.isErasing() || this.values[i] ? 0 : 1;
    this.root.setPointerCapture?.(e.pointerId);
    this.#focus(i, false);
    if (this.#set(i, this.paintValue)) this.#emit("change");
  }

  #move(e) {
    if (this.paintValue === null) return;
    const i = this.#cellAt(e.clientX, e.clientY);
    if (i !== null && this.#set(i, this.paintValue)) this.#emit("change");
  }

  #end() {
    if (this.paintValue === null) return;
    this.paintValue = null;
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
