// window.mlp: the page's public JavaScript API (README, "JavaScript API"), every call a
// request to the Python worker.

/** The API over `call(op, args, onProgress)`; `ready()` and `snapshotReady()` give the
 * current promises, `grid` is the drawing grid. */
export function publicApi(call, { ready, snapshotReady, grid }) {
  return {
    get ready() { return ready(); },
    /** `log`: keep it in the local prediction log (Monitoring). */
    predict: (pattern, { log = true } = {}) => call("predict", { pattern, log }),
    predictAll: (pattern) => call("predictAll", { pattern }),
    modelInfo: () => call("modelInfo"),
    health: () => call("health"),
    echo: (value) => call("echo", { value }),
    /** The training settings' schema: {settings: [{name, section, group, type, default,
     * min, max, choices, help, …}], presets, default_preset}. */
    settings: () => call("settings"),
    train: (config = {}, onProgress = null) => call("train", { config, lang: document.documentElement.lang }, onProgress),
    /** Fine-tune the production model on the training drawings (plus a replay of
     * synthetic data): `config` {finetune: {epochs, replay, repeat, learning_rate_scale},
     * promote}, all optional; resolves with the new entry (its lineage.parent is the
     * production version). Progress and cancelling as `train`. */
    fineTune: (config = {}, onProgress = null) => call("fineTune", { config, lang: document.documentElement.lang }, onProgress),
    cancelTraining: () => call("cancelTraining"),
    registry: {
      list: () => call("list"),
      get: (version) => call("get", { version }),
      /** `note`: why, kept in the production history. */
      setProduction: (version, note = null) => call("setProduction", { version, note }),
      /** Back to the production model before this one: {production}. */
      rollback: (note = null) => call("rollback", { note }),
      /** Every production change, oldest first: [{from, to, at, how, note}]. */
      history: () => call("productionHistory"),
      /** Change a model's notes (text) and/or tags (list of text); resolves with its summary. */
      update: (version, { notes = null, tags = null } = {}) => call("update", { version, notes, tags }),
      /** Production against `version`, before promoting it: {champion, challenger,
       * difference: {validation, test}, verdict: "better"|"equal"|"worse"|"untested",
       * reason (in English; the page words it from the figures)}. */
      compare: (version) => call("compare", { version }),
      delete: (version) => call("delete", { version }),
      export: (versions = null) => call("export", { versions }),
      import: (bundle) => call("import", { bundle: typeof bundle === "string" ? bundle : JSON.stringify(bundle) }),
      reset: () => call("reset"),
      /** First-layer weights: {version, inputs, units: [[weight per input] per unit], max}. */
      weights: (version) => call("weights", { version }),
      /** Loss and accuracy per epoch: {train_loss, val_loss, val_accuracy}. */
      trainingHistory: (version) => call("trainingHistory", { version }),
    },
    /** The model `version` (default: production) on the person's test drawings:
     * {version, validation: {accuracy, n}, test: {accuracy, n, per_class, confusion, labels}}. */
    evaluate: (version = null) => call("evaluate", { version }),
    /** Every model's accuracy on the test drawings: [{version, accuracy, n} | {version,
     * error: {message, code?, params?, within?}}] (a coded error, as the page says it). */
    evaluateAll: () => call("evaluateAll"),
    /** The local prediction log (this device only). */
    monitoring: {
      /** Model `version` (default production; "*" every model): {version, predictions,
       * per_letter, low_confidence_share, confidence_histogram: {edges, counts},
       * over_time: [{day, predictions, low_confidence_share}], threshold}. */
      summary: (version = null) => call("monitoringSummary", { version }),
      /** Drawings the model answered with low confidence, newest first:
       * [{id, at, model, answer, confidence, pattern}]. */
      unsure: (version = null, limit = 24) => call("monitoringUnsure", { version, limit }),
      /** Make logged drawing `id` an example of `label` (and drop it from the log). */
      label: (id, label, { split = null } = {}) => call("monitoringLabel", { id, label, split }),
      clear: () => call("monitoringClear"),
      /** Whether predictions are logged; `on` (true/false) turns it on or off. */
      enabled: (on = null) => call("monitoringEnabled", { on }),
    },
    /** Model `version` described in Markdown: intended use, data, settings, metrics on
     * validation and on your test drawings, confusion matrices, lineage, known limits; in
     * the page's language unless `lang` names another. */
    modelCard: (version, { lang = document.documentElement.lang } = {}) => call("modelCard", { version, lang }),
    /** Everything you made, as one file: models, production history, letters, examples
     * with their split. */
    project: {
      /** A JSON-serializable object (what "Save project" downloads). */
      export: () => call("projectExport"),
      /** Replace everything with a saved project (object or JSON text), checked as a
       * whole first: all or nothing. Resolves {models, letters, examples, production}. */
      import: (project) => call("projectImport", { project: typeof project === "string" ? project : JSON.stringify(project) }),
    },
    samples: {
      /** `split`: "train" or "test"; by default a stable 30% of each letter's are test. */
      add: (label, pattern, { split = null } = {}) => call("addSample", { label, pattern, split }),
      setSplit: (id, split) => call("setSplit", { id, split }),
      list: () => call("listSamples"),
      delete: (id) => call("deleteSample", { id }),
    },
    classes: {
      add: (letter, template) => call("addClass", { letter, template }),
      list: () => call("listClasses"),
      delete: (letter) => call("deleteClass", { letter }),
    },
    grid,
    /** Resolves once this visit's runtime snapshot is stored (true), or was not needed
     * or could not be made (false): see page/next-visit.js. */
    get snapshotReady() { return snapshotReady(); },
  };
}
