// One model's details: where it came from (lineage) and the person's notes and tags.
import { el } from "./dom.js";
import { ask } from "./ask.js";
import { MAX_NOTE_CHARS, MAX_TAG_CHARS, MAX_TAGS } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";

/** "a, b ,c" -> ["a", "b", "c"] (Python checks them). */
export const parseTags = (text) => text.split(",").map((t) => t.trim()).filter(Boolean);

/** Where a model came from: its lineage, or for a model imported from scikit-learn, the
 * file (`data`: its dataset_info). */
function lineageFacts(lineage, data = {}) {
  if (!lineage) return [[i18n.t("lineage.title"), i18n.t("lineage.none")]];
  const seconds = lineage.train_seconds === null ? "—"
    : i18n.t("time.s", { s: i18n.number(lineage.train_seconds, { maximumFractionDigits: 1 }) });
  const where = data.source === "imported"
    ? i18n.t("data.imported", { file: data.file, version: data.sklearn_version })
    : `${lineage.trained_in === "browser" ? i18n.t("lineage.browser") : "CPython"}, ${seconds}`;
  return [
    [i18n.t("lineage.parent"), lineage.parent ?? i18n.t(data.source === "imported" ? "lineage.no_parent_imported" : "lineage.no_parent")],
    [i18n.t("lineage.trained_in"), where],
    [i18n.t("lineage.software"), [`mlp_core ${lineage.mlp_core}`, `NumPy ${lineage.numpy}`,
      lineage.pyodide && `Pyodide ${lineage.pyodide}`].filter(Boolean).join(" · ")],
    [i18n.t("model.training_data"), lineage.data_sha256 ? `SHA-256 ${lineage.data_sha256.slice(0, 16)}…` : "—", lineage.data_sha256],
  ];
}

/** A labelled input (`tag`: "input" or "textarea") holding `value`. */
function labelled(tag, labelKey, value) {
  const input = el(tag);
  input.className = "wide-input";
  input.id = `details-${labelKey.split(".").pop()}`;
  input.value = value;
  const label = el("label", i18n.t(labelKey));
  label.htmlFor = input.id;
  return [label, input];
}

/** Show `model` (a registry summary) with its lineage; on Save, store its notes and
 * tags with `update(version, {notes, tags})`. Resolves true if saved. */
export async function editDetails(model, update) {
  const facts = el("dl", undefined, "facts");
  for (const [k, v, full] of lineageFacts(model.lineage, model.dataset_info)) {
    const dd = el("dd", v);
    if (full) dd.title = full;
    facts.append(el("dt", k), dd);
  }
  const [notesLabel, notes] = labelled("textarea", "details.notes", model.notes);
  notes.rows = 4;
  notes.maxLength = MAX_NOTE_CHARS;
  const [tagsLabel, tags] = labelled("input", "details.tags", model.tags.join(", "));
  const help = el("p", i18n.t("details.tags_help", { max: MAX_TAGS, chars: MAX_TAG_CHARS }), "note");
  help.id = "details-tags-help";
  tags.setAttribute("aria-describedby", help.id);
  const { ok } = await ask({
    title: model.version, body: [facts, notesLabel, notes, tagsLabel, tags, help],
    confirm: i18n.t("action.save"),
    submit: () => update(model.version, { notes: notes.value, tags: parseTags(tags.value) }).catch((err) => {
      throw new Error(i18n.t("details.not_saved", { error: err.message }), { cause: err });
    }),
  });
  return ok;
}
