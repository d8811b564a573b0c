// One model's details: where it came from (lineage) and the person's notes and tags.
import { $, el } from "./dom.js";
import { MAX_NOTE_CHARS, MAX_TAG_CHARS, MAX_TAGS } from "./limits.js";

/** "a, b ,c" -> ["a", "b", "c"] (Python checks them). */
export const parseTags = (text) => text.split(",").map((t) => t.trim()).filter(Boolean);

function lineageFacts(lineage) {
  if (!lineage) return [["Lineage", "not recorded (this model was made before lineage was kept)"]];
  const seconds = lineage.train_seconds === null ? "—" : `${lineage.train_seconds.toFixed(1)} s`;
  return [
    ["Parent", lineage.parent ?? "none (trained from scratch)"],
    ["Trained in", `${lineage.trained_in === "browser" ? "the browser" : "CPython"}, ${seconds}`],
    ["Software", [`mlp_core ${lineage.mlp_core}`, `NumPy ${lineage.numpy}`,
      lineage.pyodide && `Pyodide ${lineage.pyodide}`].filter(Boolean).join(" · ")],
    ["Training data", lineage.data_sha256 ? `SHA-256 ${lineage.data_sha256.slice(0, 16)}…` : "—"],
  ];
}

/** Show `model` (a registry summary) in the details dialog; on Save, store its notes and
 * tags with `update(version, {notes, tags})`. Resolves true if saved. */
export async function editDetails(model, update) {
  const dialog = $("details-dialog");
  $("details-title").textContent = model.version;
  const facts = $("details-lineage");
  facts.replaceChildren();
  for (const [k, v] of lineageFacts(model.lineage)) {
    const dd = el("dd", v);
    if (k === "Training data" && model.lineage?.data_sha256) dd.title = model.lineage.data_sha256;
    facts.append(el("dt", k), dd);
  }
  $("details-notes").value = model.notes;
  $("details-notes").maxLength = MAX_NOTE_CHARS;
  $("details-tags").value = model.tags.join(", ");
  $("details-tags-help").textContent = `Separated by commas; at most ${MAX_TAGS}, each up to ${MAX_TAG_CHARS} characters.`;
  $("details-error").hidden = true;
  dialog.returnValue = "";
  dialog.showModal();
  for (;;) {
    const ok = await new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    });
    if (!ok) return false;
    try {
      await update(model.version, { notes: $("details-notes").value, tags: parseTags($("details-tags").value) });
      return true;
    } catch (err) { // say what is wrong and keep what was typed
      $("details-error").textContent = `Not saved: ${err.message}`;
      $("details-error").hidden = false;
      dialog.returnValue = "";
      dialog.showModal();
    }
  }
}
