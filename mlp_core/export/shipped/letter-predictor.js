// A letter recognizer exported from the letter-recognizer app (mlp_core): one ES module,
// no dependencies, for a browser or Node 16+.
//
//   import { predict } from "./letter-predictor.js";
//   predict("0000000000" + "0010000000" + ...);  // 100 characters 0/1, row-major, 1 = ink
//   predict([0, 0, 1, ...]);                     // or 100 numbers, or 10 rows (arrays or strings)
//
// The answer: { letter, recognized, probabilities, none_probability, confidence }, as
// the app gives it. `letter` is the most probable letter; `recognized` is false when the
// drawing looks like none of the letters. The weights are below, in base64 (float64,
// little-endian, one row per unit).

const MODEL = null; // the export writes the model here

const GRID = 10;

function floats(text) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  return Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

const LAYERS = MODEL.layers.map((spec) => {
  const flat = floats(spec.weights);
  const rows = Array.from({ length: spec.outputs }, (_, j) => flat.slice(j * spec.inputs, (j + 1) * spec.inputs));
  return { rows, bias: floats(spec.bias) };
});

const ACTIVATIONS = {
  relu: (z) => (z > 0 ? z : 0),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-Math.max(-500, Math.min(500, z)))),
};

export const classes = MODEL.classes;
export const version = MODEL.version;

/** The drawing as 100 finite numbers, row-major: from a string of 0/1, 100 numbers, or
 * 10 rows (arrays or strings). */
function cells(drawing) {
  const rows = typeof drawing === "string" ? [drawing] : [...drawing];
  const flat = rows.flatMap((row) => (typeof row === "string" ? [...row.replace(/[\s,|]/g, "")] : [row].flat())).map(Number);
  if (flat.length !== GRID * GRID || flat.some((v) => !Number.isFinite(v))) {
    throw new Error(`a drawing is ${GRID * GRID} finite numbers (a ${GRID}x${GRID} grid), got ${flat.length} values`);
  }
  return flat;
}

/** The drawing with its inked bounding box moved to the middle of the grid. */
export function center(x) {
  const range = [...Array(GRID).keys()];
  const rows = range.filter((r) => range.some((c) => x[r * GRID + c] !== 0));
  const cols = range.filter((c) => range.some((r) => x[r * GRID + c] !== 0));
  if (!rows.length) return [...x];
  const [r0, r1, c0, c1] = [rows[0], rows[rows.length - 1], cols[0], cols[cols.length - 1]];
  const dr = Math.floor((GRID - (r1 - r0 + 1)) / 2) - r0;
  const dc = Math.floor((GRID - (c1 - c0 + 1)) / 2) - c0;
  const out = new Array(GRID * GRID).fill(0);
  for (const r of range) {
    for (const c of range) {
      const [sr, sc] = [r - dr, c - dc];
      if (sr >= 0 && sr < GRID && sc >= 0 && sc < GRID) out[r * GRID + c] = x[sr * GRID + sc];
    }
  }
  return out;
}

/** The model's answer for one drawing (see the comment at the top). */
export function predict(drawing) {
  let x = cells(drawing);
  if (MODEL.preprocessing === "center") x = center(x);
  const f = ACTIVATIONS[MODEL.activation];
  LAYERS.forEach(({ rows, bias }, i) => {
    const z = rows.map((row, j) => row.reduce((s, w, k) => s + w * x[k], bias[j]));
    x = i === LAYERS.length - 1 ? z : z.map(f);
  });
  const top = Math.max(...x);
  const e = x.map((v) => Math.exp(v - top));
  const total = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / total);
  const none = MODEL.none_index;
  const letters = p.map((_, i) => i).filter((i) => i !== none);
  const best = letters.reduce((a, b) => (p[b] > p[a] ? b : a));
  const name = MODEL.classes[best];
  return {
    letter: name,
    recognized: none === null || x[best] - x[none] > MODEL.margins[name],
    probabilities: Object.fromEntries(letters.map((i) => [MODEL.classes[i], p[i]])),
    none_probability: none === null ? null : p[none],
    confidence: p[best],
  };
}
