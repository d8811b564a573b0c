// One model's details: where it came from (lineage) and the person's notes and tags.
import { $, el } from "./dom.js";
import { MAX_NOTE_CHARS, MAX_TAG_CHARS, MAX_TAGS } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";

/** "a, b ,c" -> ["a", "b", "c"] (Python checks them). */
export const parseTags = (text) => text.split(",").map((t) => t.trim()).filter(Boolean);

function lineageFacts(lineage) {
  if (!lineage) return [[i18n.t("lineage.title"), i18n.t("lineage.none")]];
  const seconds = lineage.train_seconds === null ? "—"
    : i18n.t("time.s", { s: i18n.number(lineage.train_seconds, { maximumFractionDigits: 1 }) });
  return [
    [i18n.t("lineage.parent"), lineage.parent ?? i18n.t("lineage.no_parent")],
    [i18n.t("lineage.trained_in"), `${lineage.trained_in === "browser" ? i18n.t("lineage.browser") : "CPython"}, ${seconds}`],
    [i18n.t("lineage.software"), [`mlp_core ${lineage.mlp_core}`, `NumPy ${lineage.numpy}`,
      lineage.pyodide && `Pyodide ${lineage.pyodide}`].filter(Boolean).join(" · ")],
    [i18n.t("model.training_data"), lineage.data_sha256 ? `SHA-256 ${lineage.data_sha256.slice(0, 16)}…` : "—", lineage.data_sha256],
  ];
}

/** Show `model` (a registry summary) in the details dialog; on Save, store its notes and
 * tags with `update(version, {notes, tags})`. Resolves true if saved. */
export async function editDetails(model, update) {
  const dialog = $("details-dialog");
  $("details-title").textContent = model.version;
  const facts = $("details-lineage");
  facts.replaceChildren();
  for (const [k, v, full] of lineageFacts(model.lineage)) {
    const dd = el("dd", v);
    if (full) dd.title = full;
    facts.append(el("dt", k), dd);
  }
  $("details-notes").value = model.notes;
  $("details-notes").maxLength = MAX_NOTE_CHARS;
  $("details-tags").value = model.tags.join(", ");
  $("details-tags-help").textContent = i18n.t("details.tags_help", { max: MAX_TAGS, chars: MAX_TAG_CHARS });
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
      $("details-error").textContent = i18n.t("details.not_saved", { error: err.message });
      $("details-error").hidden = false;
      dialog.returnValue = "";
      dialog.showModal();
    }
  }
}
