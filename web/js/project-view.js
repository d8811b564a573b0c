// Projects: everything the person made, saved to one file and opened again (all or
// nothing); and whether the browser keeps this site's storage (persistent storage).
import { $, alertLine, download } from "./dom.js";
import { MAX_BUNDLE_BYTES } from "./limits.js";

/** Ask the browser to keep this site's data, and say what it answered. */
async function askPersistence() {
  const line = $("persistence");
  if (!navigator.storage?.persist) {
    line.textContent = "This browser cannot promise to keep this site's data: save a project file to keep your work.";
    return null;
  }
  const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  line.textContent = granted
    ? "Persistent storage: granted. The browser will not clear this site's data on its own."
    : "Persistent storage: not granted. The browser may clear this site's data after weeks without a visit, or when the disk is full: save a project file to keep your work.";
  line.dataset.persistent = String(granted);
  return granted;
}

/** Wire Save project / Open project (`project` is window.mlp.project; `confirm(text)`
 * asks first). */
export function setupProject({ project, confirm }) {
  const status = (text) => { $("project-status").textContent = text; };
  const { show: fail } = alertLine("project-error");
  $("project-save").addEventListener("click", async () => {
    fail(null);
    try {
      const saved = await project.export();
      download(JSON.stringify(saved), `letter-recognizer-project-${saved.saved_at.slice(0, 10)}.json`);
      status(`Saved ${saved.registry.models.length} model(s), ${saved.letters.length} letter(s) and ${saved.examples.length} example(s).`);
    } catch (err) {
      fail(`Not saved: ${err.message}`);
    }
  });
  $("project-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    fail(null);
    try {
      if (file.size > MAX_BUNDLE_BYTES) {
        throw new Error(`it is ${(file.size / 1e6).toFixed(0)} MB; projects are limited to ${MAX_BUNDLE_BYTES / 1e6} MB`);
      }
      if (!(await confirm(`Open ${file.name}? Your models, production history, letters and examples here are replaced by the project's (save a project first to keep them).`))) return;
      const r = await project.import(await file.text());
      status(`Opened ${file.name}: ${r.models} model(s), ${r.letters} letter(s), ${r.examples} example(s)` +
        (r.production ? `; ${r.production} is in production.` : "."));
    } catch (err) {
      fail(`${file.name} was not opened, nothing changed: ${err.message}`);
    }
  });
  return { askPersistence };
}
