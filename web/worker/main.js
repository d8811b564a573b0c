// The Python worker: boots Pyodide and mlp_core, keeps the registry in step with
// IndexedDB and answers the page's requests (page/worker-client.js lists the messages). Each
// concern owns its state in worker/: transport, boot, python, registry-sync, training.
import * as storage from "./storage.js";
import { Boot } from "./boot.js";
import { Monitor } from "./monitoring.js";
import { Python } from "./python.js";
import { RegistrySync, storageError } from "./registry-sync.js";
import { Training } from "./training.js";
import { describe, emit, serve } from "./transport.js";
import { GRID, MAX_BUNDLE_BYTES } from "../shared/limits.generated.js";
import { codedError } from "../shared/coded-error.js";
import { pythonWords } from "../shared/i18n.js";

const boot = new Boot();          // first: it watches the downloads from the start
const registry = new RegistrySync(); // reads storage while Python boots
const monitor = new Monitor({
  storage,
  onError: (err) => emit("monitoring-failed", describe(storageError(err))),
});

/** A drawing of 0s and 1s as the compact "0"/"1" string Python reads fastest; null for
 * anything else, which goes as JSON for Python to check and explain. */
function asBits(pattern) {
  const ok = Array.isArray(pattern) && pattern.length === GRID * GRID && pattern.every((v) => v === 0 || v === 1);
  return ok ? pattern.join("") : null;
}

/** The request handlers, over a booted Python. */
function handlersFor(python) {
  const training = new Training({ python, registry, storage });
  const health = () => ({ ...python.call("health"), storage: registry.storage });
  const query = (fn) => async (args) => (await registry.freshen(), fn(args));
  // Only when storage is known to be unavailable (the page was told) is "none" the
  // answer; any other failed read reaches the caller.
  const stored = (read) => () => (registry.problem ? [] : read());
  const ownExamples = stored(() => storage.listSamples());
  const knownLetters = async () => [
    ...python.call("templates").map((t) => t.letter),
    ...(await storage.listClasses()).map((c) => c.letter),
  ];
  const saving = (write) => write().catch((err) => { throw storageError(err); });
  // The person's examples and letters changed: the page redraws what depends on them.
  const announced = (change) => async (args) => {
    const result = await change(args);
    emit("examples-changed");
    return result;
  };
  return {
    echo: (args) => python.call("echo", JSON.stringify(args)),
    settings: () => python.call("settings"),
    predict: query(({ pattern, log = true }) => {
      const bits = asBits(pattern);
      const result = bits ? python.call("predict_bits", bits) : python.call("predict", JSON.stringify(pattern));
      if (log) monitor.record(result, bits);
      return result;
    }),
    predictAll: query(({ pattern }) => {
      const bits = asBits(pattern);
      return bits ? python.call("predict_all_bits", bits) : python.call("predict_all", JSON.stringify(pattern));
    }),
    modelInfo: query(() => python.call("model_info")),
    health: query(health),
    list: query(() => python.call("list")),
    get: query(({ version }) => python.call("get", String(version))),
    weights: query(({ version }) => python.call("weights", String(version))),
    trainingHistory: query(({ version }) => python.call("training_history", String(version))),
    productionHistory: query(() => python.call("production_history")),
    compare: query(async ({ version }) =>
      python.call("compare", String(version), JSON.stringify(await ownExamples()))),
    export: query(({ versions = null }) => python.call("export", JSON.stringify(versions))),
    setProduction: ({ version, note = null }) => registry.change("set_production", { version, note }),
    rollback: ({ note = null }) => registry.change("rollback", { note }),
    update: ({ version, notes = null, tags = null }) => registry.change("update", { version, notes, tags }),
    delete: ({ version }) => registry.change("delete", { version }),
    import: ({ bundle }) => {
      if (typeof bundle === "string" && bundle.length > MAX_BUNDLE_BYTES) {
        throw codedError("py.file_too_large", { size: bundle.length, limit: MAX_BUNDLE_BYTES });
      }
      return registry.change("import", { bundle });
    },
    removeDamaged: () => registry.change("repair"),
    reset: () => registry.reset(),
    train: ({ config = {}, lang }, progress) => training.run(config, progress, { lang }),
    fineTune: ({ config = {}, lang }, progress) => training.run(config, progress, { kind: "finetune", lang }),
    cancelTraining: () => training.cancel(),
    templates: () => python.call("templates"),
    listSamples: stored(async () => python.call("with_splits", JSON.stringify(await storage.listSamples()))),
    setSplit: announced(async ({ id, split }) => {
      registry.requireStorage();
      return saving(() => storage.setSplit(id, python.call("check_split", JSON.stringify(split))));
    }),
    evaluate: query(async ({ version = null }) =>
      python.call("evaluate", version ?? "", JSON.stringify(await ownExamples()))),
    evaluateAll: query(async () => python.call("evaluate_all", JSON.stringify(await ownExamples()))),
    monitoringSummary: query(async ({ version = null }) =>
      python.call("monitoring_summary", JSON.stringify(await monitor.log()), version ?? "")),
    monitoringUnsure: query(async ({ version = null, limit = 24 }) =>
      python.call("monitoring_unsure", JSON.stringify(await monitor.log()), version ?? "", limit)),
    monitoringClear: () => monitor.clear(),
    monitoringEnabled: async ({ on = null }) => {
      if (on !== null) await monitor.setEnabled(on);
      return monitor.enabled;
    },
    // One click: a logged drawing becomes an example with the person's label.
    monitoringLabel: announced(async ({ id, label, split = null }) => {
      registry.requireStorage();
      const logged = await storage.getPrediction(id);
      if (!logged) throw codedError("worker.no_logged_prediction", { id });
      const pattern = [...logged.bits].map(Number);
      const sample = python.call("check_sample", JSON.stringify({ label, pattern, split }), JSON.stringify(await knownLetters()));
      const { id: sampleId } = await saving(() => storage.addSample(sample));
      await storage.deletePrediction(id);
      return { id: sampleId, label: sample.label };
    }),
    modelCard: query(async ({ version, lang = "en" }) =>
      python.call("model_card", String(version), JSON.stringify(await ownExamples()), pythonWords(lang, "card."))),
    projectExport: query(async () => {
      registry.requireStorage();
      const [letters, examples] = await Promise.all([storage.listClasses(), storage.listSamples()]);
      return python.call("project", JSON.stringify(letters), JSON.stringify(examples), new Date().toISOString());
    }),
    projectImport: announced(async ({ project }) => {
      if (typeof project === "string" && project.length > MAX_BUNDLE_BYTES) {
        throw codedError("py.file_too_large", { size: project.length, limit: MAX_BUNDLE_BYTES });
      }
      return registry.change("restore", { project }, { withData: true });
    }),
    listClasses: stored(() => storage.listClasses()),
    addSample: announced(async ({ label, pattern, split = null }) => {
      registry.requireStorage();
      const sample = python.call("check_sample", JSON.stringify({ label, pattern, split }), JSON.stringify(await knownLetters()));
      const { id } = await saving(() => storage.addSample(sample));
      // As listed: with its split (the person's, or the default one it was given).
      return python.call("with_splits", JSON.stringify(await storage.listSamples())).find((s) => s.id === id);
    }),
    deleteSample: announced(({ id }) => storage.deleteSample(id)),
    addClass: announced(async ({ letter, template }) => {
      registry.requireStorage();
      const checked = python.call("check_class", JSON.stringify({ letter, template }), JSON.stringify(await knownLetters()));
      return saving(() => storage.addClass(checked));
    }),
    deleteClass: announced(async ({ letter }) => ({ deleted_samples: await storage.deleteClass(letter) })),
  };
}

const started = boot.run(async () => {
  const pyodide = await boot.initRuntime();
  const python = new Python(await boot.initPackages(pyodide));
  boot.step("model", "active");
  await registry.open(python);
  await monitor.open(registry.storage === "indexeddb");
  const health = { ...python.call("health"), storage: registry.storage };
  boot.step("model", health.model_loaded ? "done" : "failed", health.error);
  return { python, health };
});
started.then(
  ({ health }) => emit("ready", { ...health, timings: boot.timings }),
  (err) => emit("boot-failed", describe(err)),
);
serve(started.then(({ python }) => handlersFor(python)));
