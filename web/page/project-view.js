// Projects: everything the person made, saved to one file and opened again (all or
// nothing); and whether the browser keeps this site's storage (persistent storage).
import { $, statusLine, alertLine, download } from "./dom.js";
import { MAX_BUNDLE_BYTES } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";

/** "3 models" in the page's language (`key` a plural message with {count}). */
const counted = (key, count) => i18n.t(key, { count });

/** Ask the browser to keep this site's data, and say what it answered. */
async function askPersistence() {
  const line = $("persistence");
  if (!navigator.storage?.persist) {
    line.textContent = i18n.t("persist.unsupported");
    return null;
  }
  const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  line.textContent = i18n.t(granted ? "persist.granted" : "persist.not_granted");
  line.dataset.persistent = String(granted);
  return granted;
}

/** Wire Save project / Open project (`project` is window.mlp.project; `confirm(text)`
 * asks first). */
export function setupProject({ project, confirm }) {
  const status = statusLine("project-status");
  const { show: fail } = alertLine("project-error");
  $("project-save").addEventListener("click", async () => {
    fail(null);
    try {
      const saved = await project.export();
      download(JSON.stringify(saved), `letter-recognizer-project-${saved.saved_at.slice(0, 10)}.json`);
      status(i18n.t("project.saved", { models: counted("count.models", saved.registry.models.length),
        letters: counted("count.letters", saved.letters.length), examples: counted("count.examples", saved.examples.length) }));
    } catch (err) {
      fail(i18n.t("details.not_saved", { error: err.message }));
    }
  });
  $("project-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    fail(null);
    try {
      if (file.size > MAX_BUNDLE_BYTES) {
        throw new Error(i18n.t("project.too_big", { mb: Math.round(file.size / 1e6), max: MAX_BUNDLE_BYTES / 1e6 }));
      }
      if (!(await confirm(i18n.t("project.open_confirm", { name: file.name })))) return;
      const r = await project.import(await file.text());
      status(i18n.t("project.opened", { name: file.name, models: counted("count.models", r.models),
        letters: counted("count.letters", r.letters), examples: counted("count.examples", r.examples) })
        + (r.production ? ` ${i18n.t("damaged.promoted", { version: r.production })}` : ""));
    } catch (err) {
      fail(i18n.t("project.not_opened", { name: file.name, error: err.message }));
    }
  });
  return { askPersistence };
}
