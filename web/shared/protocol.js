// The page <-> worker protocol, declared once. Both ends derive from these tables: the
// page's window.mlp (page/api.js) is built from OPERATIONS, the page's client refuses an
// operation that is not here (page/worker-client.js), the worker refuses to start unless
// it answers exactly these (worker/main.js), and emitting an event not in EVENTS
// throws. The Python method behind each operation is named in its handler
// (worker/handlers.js); tests/test_protocol.py checks that each one exists in
// mlp_core.service.webapi.App.
//
//   request  {id, op, args}
//   reply    {id, ok: true, result} | {id, ok: false, error: {type, message, code?, params?}}
//   progress {id, progress}          (one per training epoch)
//   event    {event, data}

/** The page's language: a parameter whose default is this is sent as <html lang>. */
export const PAGE_LANG = Symbol("the page's language");

/** Every operation, named as window.mlp offers it ("registry.list" is
 * mlp.registry.list). Each: `params`, the function's parameters in order: "name"
 * (required), ["name", default], or {name: default, …} (an options object); `progress`:
 * an onProgress(step) parameter follows, called per epoch; `json`: parameters sent as
 * JSON text when given as objects (files); `sent`: arguments the page adds; `internal`:
 * the page's own, not in window.mlp. The comments are the API's documentation. */
export const OPERATIONS = {
  /** The drawing's letter and probabilities; `log`: keep it in the local prediction
   * log (Monitoring). `log: "settle"` logs it once the person stops drawing: 2 s
   * later, or at once on `monitoring.settle()`, unless another drawing replaces it. */
  predict: { params: ["pattern", { log: true }] },
  /** The drawing through every model: [{version, letter, …} | {version, error}]. */
  predictAll: { params: ["pattern"] },
  modelInfo: {},
  health: {},
  /** A no-op round trip through Python (benchmarks). */
  echo: { params: ["value"] },
  /** The training settings' schema: {settings: [{name, section, group, type, default,
   * min, max, choices, help, …}], presets, default_preset}. */
  settings: {},
  /** Train a model: `config` {hyperparameters, data, include_samples, promote: true,
   * false or "if_better"}; `onProgress` per epoch; resolves with the registered
   * model's summary (with `gate` when it promotes: what the gate found). */
  train: { params: [["config", {}]], progress: true, sent: { lang: PAGE_LANG } },
  /** Fine-tune the production model on the training drawings (plus a replay of
   * synthetic data): `config` {finetune: {epochs, replay, repeat, learning_rate_scale},
   * promote}, all optional; resolves with the new entry (its lineage.parent is the
   * production version). Progress and cancelling as `train`. */
  fineTune: { params: [["config", {}]], progress: true, sent: { lang: PAGE_LANG } },
  cancelTraining: {},

  "registry.list": {},
  "registry.get": { params: ["version"] },
  /** `note`: why, kept in the production history. */
  "registry.setProduction": { params: ["version", ["note", null]] },
  /** Back to the production model before this one: {production}. */
  "registry.rollback": { params: [["note", null]] },
  /** Every production change, oldest first: [{from, to, at, how, note}]. */
  "registry.history": {},
  /** Change a model's notes (text) and/or tags (list of text); resolves with its summary. */
  "registry.update": { params: ["version", { notes: null, tags: null }] },
  /** Production against `version`, before promoting it (mlp_core/service/gate.py):
   * {champion, challenger, difference, evidence: {n, challenger_only, champion_only,
   * p_value, needed}, verdict: "better"|"equal"|"unsure"|"worse"|"untested",
   * criteria: [{name, passed, limit}], promote, reason (in English; the page words it
   * from the figures)}. */
  "registry.compare": { params: ["version"] },
  "registry.delete": { params: ["version"] },
  "registry.export": { params: [["versions", null]] },
  "registry.import": { params: ["bundle"], json: ["bundle"] },
  /** Model `version` in an export format (EXPORT_FORMATS, mlp_core/export): {name,
   * media_type, data (base64; a zip when the format has several files)}. */
  "registry.exportAs": { params: ["version", "format"] },
  /** Register the MLPClassifier in a skops file (`file`: its bytes in base64, `name`):
   * {imported: [version], skipped: [], from: "sklearn"}. */
  "registry.importSklearn": { params: ["file", "name"] },
  "registry.reset": {},
  /** First-layer weights: {version, inputs, units: [[weight per input] per unit], max}. */
  "registry.weights": { params: ["version"] },
  /** Loss and accuracy per epoch: {train_loss, val_loss, val_accuracy}. */
  "registry.trainingHistory": { params: ["version"] },
  /** Drop the stored records that cannot be read; keep one production model. */
  "registry.removeDamaged": { internal: true },

  /** The model `version` (default: production) on the person's test drawings:
   * {version, validation: {accuracy, n}, test: {accuracy, n, per_class, confusion, labels}}. */
  evaluate: { params: [["version", null]] },
  /** Every model's accuracy on the test drawings: [{version, accuracy, n} | {version,
   * error: {message, code?, params?, within?}}] (a coded error, as the page says it). */
  evaluateAll: {},
  /** Model `version` described in Markdown: intended use, data, settings, metrics on
   * validation and on your test drawings, confusion matrices, lineage, known limits; in
   * the page's language unless `lang` names another. */
  modelCard: { params: ["version", { lang: PAGE_LANG }] },

  /** Model `version` (default production; "*" every model): {version, predictions,
   * per_letter, low_confidence_share, rejected_share, confidence_histogram: {edges,
   * counts}, over_time: [{day, predictions, low_confidence_share, rejected_share}],
   * threshold, reviewed: {labelled, dismissed}, shadow: [{model, compared,
   * disagreements, disagreement_share}]}. */
  "monitoring.summary": { params: [["version", null]] },
  /** Drawings the model answered with low confidence, not reviewed yet, newest first:
   * [{id, at, model, answer, confidence, pattern, shadow?}]. */
  "monitoring.unsure": { params: [["version", null], ["limit", 24]] },
  /** Drawings production and its shadow answered differently, not reviewed yet, newest
   * first (as monitoring.unsure, each with shadow: {model, answer, confidence}). */
  "monitoring.disagreements": { params: [["limit", 24]] },
  /** Make logged drawing `id` an example of `label` (a letter or "(none)"); the log
   * keeps the drawing, marked reviewed. Resolves {id: the example's, label}. */
  "monitoring.label": { params: ["id", "label", { split: null }] },
  /** Mark logged drawing `id` reviewed without making it an example. */
  "monitoring.dismiss": { params: ["id"] },
  /** The model run silently beside production on every logged drawing (shadow mode),
   * or null. */
  "monitoring.shadow": {},
  /** Run model `version` in shadow mode (null: none); resolves the new setting. */
  "monitoring.setShadow": { params: [["version", null]] },
  /** Log now the prediction waiting to settle (predict with log: "settle"), if any. */
  "monitoring.settle": {},
  "monitoring.clear": {},
  /** Whether predictions are logged; `on` (true/false) turns it on or off. */
  "monitoring.enabled": { params: [["on", null]] },

  /** Everything you made, as one JSON-serializable object (what "Save project"
   * downloads): models, production history, letters, examples with their split. */
  "project.export": {},
  /** Replace everything with a saved project (object or JSON text), checked as a
   * whole first: all or nothing. Resolves {models, letters, examples, production}. */
  "project.import": { params: ["project"], json: ["project"] },

  /** `split`: "train" or "test"; by default a stable 30% of each letter's are test. */
  "samples.add": { params: ["label", "pattern", { split: null }] },
  "samples.setSplit": { params: ["id", "split"] },
  "samples.list": {},
  "samples.delete": { params: ["id"] },
  "classes.add": { params: ["letter", "template"] },
  "classes.list": {},
  "classes.delete": { params: ["letter"] },
  /** The built-in letters and their templates: [{letter, template}]. */
  templates: { internal: true },
};

/** Every event, with what its data is. All come from the worker except "crashed",
 * which the page's client raises when the worker dies. */
export const EVENTS = {
  step: "a loading step changed: {step, state, detail}",
  download: "bytes of the first visit's downloads: {loaded, total}",
  ready: "Python and the registry are ready: the health report, with timings",
  "boot-failed": "the worker could not start: a described error",
  "registry-changed": "the registry changed (here or in another tab): {revision?}",
  "examples-changed": "the person's examples or letters changed",
  "bad-entries": "stored records that cannot be read: [{index, version, error}]",
  "storage-unavailable": "IndexedDB cannot be used: a described error",
  "newer-version": "a newer version of the app (another tab) has the stored data, which this one cannot read: reload",
  "monitoring-failed": "the prediction log could not be written: a described error",
  "predictions-logged": "predictions were written to the local log",
  "training-prepared": "what a first training makes was made ahead, while the page was idle (worker/training.js): {} or {error: a described error}",
  crashed: "the worker stopped: {message}",
};

/** Throw unless `names` are exactly the operations (a worker's handlers, say). */
export function checkOperations(names, what) {
  const have = new Set(names);
  const missing = Object.keys(OPERATIONS).filter((op) => !have.has(op));
  const extra = [...have].filter((op) => !(op in OPERATIONS));
  if (missing.length || extra.length) {
    throw new Error(`${what} disagree with shared/protocol.js: missing ${missing.join(", ") || "none"}; `
      + `not declared ${extra.join(", ") || "none"}`);
  }
}

/** Throw unless `name` is a declared event. */
export function checkEvent(name) {
  if (!(name in EVENTS)) throw new Error(`unknown event ${name}: declare it in shared/protocol.js`);
}
