// The worker's answer to each operation of shared/protocol.js, grouped by concern. Each
// handler names the mlp_core.service.webapi.App method behind it (python.call), and
// tests/test_protocol.py checks that those exist. Python decides; storage only stores.
import * as storage from "./storage.js";
import { storageError } from "./registry-sync.js";
import { emit } from "./transport.js";
import { GRID, MAX_BUNDLE_BYTES } from "../shared/limits.generated.js";
import { codedError } from "../shared/coded-error.js";

/** The page's catalogues (95 kB), loaded when first needed: a start never needs them. */
const i18n = () => import("../shared/i18n.js");

/** A drawing of 0s and 1s as the compact "0"/"1" string Python reads fastest; null for
 * anything else, which goes as JSON for Python to check and explain. */
function asBits(pattern) {
  const ok = Array.isArray(pattern) && pattern.length === GRID * GRID && pattern.every((v) => v === 0 || v === 1);
  return ok ? pattern.join("") : null;
}

/** Refuse a file's text over the size limit before Python parses it. */
/** Refuse a file over the limit before Python copies it; `bytesPerChar` is 3/4 for a
 * file in base64. */
function refuseHuge(text, bytesPerChar = 1) {
  const size = typeof text === "string" ? Math.floor(text.length * bytesPerChar) : 0;
  if (size > MAX_BUNDLE_BYTES) throw codedError("py.file_too_large", { size, limit: MAX_BUNDLE_BYTES });
}

/** What the handlers share: `query` reads a registry fresh from storage first; the
 * person's own examples and letters; `announced` tells the page they changed. */
function context(python, registry) {
  // Only when storage is known to be unavailable (the page was told) is "none" the
  // answer; any other failed read reaches the caller.
  const stored = (read) => () => (registry.problem ? [] : read());
  const query = (fn) => async (args) => (await registry.freshen(), fn(args));
  const ownExamples = stored(() => storage.listSamples());
  const knownLetters = async () => [
    ...python.call("templates").map((t) => t.letter),
    ...(await storage.listClasses()).map((c) => c.letter),
  ];
  const saving = (write) => write().catch((err) => { throw storageError(err); });
  const announced = (change) => async (args) => {
    const result = await change(args);
    emit("examples-changed");
    return result;
  };
  return { query, stored, ownExamples, knownLetters, saving, announced };
}

function predictions(python, registry, monitor, { query }) {
  return {
    predict: query(({ pattern, log = true }) => {
      const bits = asBits(pattern);
      const result = bits ? python.call("predict_bits", bits) : python.call("predict", JSON.stringify(pattern));
      // Shadow mode: the other model reads the drawing when the entry is written, after
      // this answer has gone, so the person never waits for it.
      const version = monitor.shadow; // the shadow model when the drawing was made
      const shadow = version && version !== result.model_version && bits
        ? () => python.call("predict_with_bits", version, bits) : null;
      if (log === "settle") monitor.settling(result, bits, shadow);
      else if (log) monitor.record(result, bits, shadow);
      return result;
    }),
    predictAll: query(({ pattern }) => {
      const bits = asBits(pattern);
      return bits ? python.call("predict_all_bits", bits) : python.call("predict_all", JSON.stringify(pattern));
    }),
    modelInfo: query(() => python.call("model_info")),
    health: query(() => ({ ...python.call("health"), storage: registry.storage })),
    echo: (args) => python.call("echo", JSON.stringify(args)),
    settings: () => python.call("settings"),
    templates: () => python.call("templates"),
  };
}

function models(python, registry, { query, ownExamples }) {
  return {
    "registry.list": query(() => python.call("list")),
    "registry.get": query(({ version: v }) => python.call("get", String(v))),
    "registry.weights": query(({ version: v }) => python.call("weights", String(v))),
    "registry.trainingHistory": query(({ version: v }) => python.call("training_history", String(v))),
    "registry.history": query(() => python.call("production_history")),
    "registry.compare": query(async ({ version: v }) =>
      python.call("compare", String(v), JSON.stringify(await ownExamples()))),
    "registry.export": query(({ versions = null }) => python.call("export", JSON.stringify(versions))),
    "registry.setProduction": ({ version: v, note = null }) => registry.change("set_production", { version: v, note }),
    "registry.rollback": ({ note = null }) => registry.change("rollback", { note }),
    "registry.update": ({ version: v, notes = null, tags = null }) => registry.change("update", { version: v, notes, tags }),
    "registry.delete": ({ version: v }) => registry.change("delete", { version: v }),
    "registry.import": ({ bundle }) => (refuseHuge(bundle), registry.change("import", { bundle })),
    "registry.exportAs": query(({ version: v, format }) => python.call("export_as", String(v), String(format))),
    "registry.importSklearn": ({ file, name }) => (refuseHuge(file, 3 / 4), registry.change("import_sklearn", { file, name })),
    "registry.removeDamaged": () => registry.change("repair"),
    "registry.reset": () => registry.reset(),
    evaluate: query(async ({ version: v = null }) =>
      python.call("evaluate", v ?? "", JSON.stringify(await ownExamples()))),
    evaluateAll: query(async () => python.call("evaluate_all", JSON.stringify(await ownExamples()))),
    modelCard: query(async ({ version: v, lang = "en" }) =>
      python.call("model_card", String(v), JSON.stringify(await ownExamples()),
        (await i18n()).pythonWords(lang, "card."))),
  };
}

function trainings(training) {
  return {
    train: ({ config = {}, lang }, progress) => training.run(config, progress, { lang }),
    fineTune: ({ config = {}, lang }, progress) => training.run(config, progress, { kind: "finetune", lang }),
    cancelTraining: () => training.cancel(),
  };
}

function monitoring(python, registry, monitor, { query, knownLetters, saving, announced }) {
  return {
    "monitoring.summary": query(async ({ version = null }) =>
      python.call("monitoring_summary", JSON.stringify(await monitor.log()), version ?? "")),
    "monitoring.unsure": query(async ({ version = null, limit = 24 }) =>
      python.call("monitoring_unsure", JSON.stringify(await monitor.log()), version ?? "", limit)),
    "monitoring.settle": () => monitor.settle(),
    "monitoring.clear": () => monitor.clear(),
    "monitoring.enabled": async ({ on = null }) => {
      if (on !== null) await monitor.setEnabled(on);
      return monitor.enabled;
    },
    "monitoring.disagreements": query(async ({ limit = 24 }) =>
      python.call("monitoring_disagreements", JSON.stringify(await monitor.log()), limit)),
    // One click: a logged drawing becomes an example with the person's label, and the
    // log marks it reviewed (one transaction).
    "monitoring.label": announced(async ({ id, label, split = null }) => {
      registry.requireStorage();
      await monitor.flush();
      const logged = await storage.getPrediction(id);
      if (!logged || logged.review) throw codedError("worker.no_logged_prediction", { id });
      const pattern = [...logged.bits].map(Number);
      const sample = python.call("check_sample", JSON.stringify({ label, pattern, split }), JSON.stringify(await knownLetters()));
      const record = await saving(() => storage.reviewPrediction(id, sample.label, sample));
      return { id: record.id, label: sample.label };
    }),
    "monitoring.dismiss": async ({ id }) => {
      registry.requireStorage();
      await monitor.flush();
      await saving(() => storage.reviewPrediction(id, null));
      return { id };
    },
    "monitoring.shadow": () => monitor.shadow,
    "monitoring.setShadow": query(async ({ version = null }) => {
      if (version !== null) python.call("get", String(version)); // a model there is
      await monitor.setShadow(version === null ? null : String(version));
      return monitor.shadow;
    }),
  };
}

function ownData(python, registry, { query, stored, knownLetters, saving, announced }) {
  const listSamples = async () => python.call("with_splits", JSON.stringify(await storage.listSamples()));
  return {
    "samples.list": stored(listSamples),
    "samples.add": announced(async ({ label, pattern, split = null }) => {
      registry.requireStorage();
      const sample = python.call("check_sample", JSON.stringify({ label, pattern, split }), JSON.stringify(await knownLetters()));
      const { id } = await saving(() => storage.addSample(sample));
      return (await listSamples()).find((s) => s.id === id); // as listed: with its split
    }),
    "samples.setSplit": announced(async ({ id, split }) => {
      registry.requireStorage();
      return saving(() => storage.setSplit(id, python.call("check_split", JSON.stringify(split))));
    }),
    "samples.delete": announced(({ id }) => storage.deleteSample(id)),
    "classes.list": stored(() => storage.listClasses()),
    "classes.add": announced(async ({ letter, template }) => {
      registry.requireStorage();
      const checked = python.call("check_class", JSON.stringify({ letter, template }), JSON.stringify(await knownLetters()));
      return saving(() => storage.addClass(checked));
    }),
    "classes.delete": announced(async ({ letter }) => ({ deleted_samples: await storage.deleteClass(letter) })),
    "project.export": query(async () => {
      registry.requireStorage();
      const [letters, examples] = await Promise.all([storage.listClasses(), storage.listSamples()]);
      return python.call("project", JSON.stringify(letters), JSON.stringify(examples), new Date().toISOString());
    }),
    "project.import": announced(({ project }) =>
      (refuseHuge(project), registry.change("restore", { project }, { withData: true }))),
  };
}

/** The operations whose Python imports what a first prediction does not (build.py's
 * *_LATER parts: mlp_core.export for exports, imports from scikit-learn and the model
 * card; numpy.random for the promotion gate's held-out drawings; training, to be safe):
 * each waits until those parts are installed. Every other operation runs on what ready
 * had (tests/test_pyodide.py runs their Python so). */
export const NEEDS_LATER = ["train", "fineTune", "registry.exportAs", "registry.importSklearn", "modelCard",
  "registry.compare"];

/** Operations that need the later parts only for some records: model_info measures the
 * held-out figures (numpy.random) of a model stored without them, as models from before
 * those figures were. They run at once, and again once the parts are installed when
 * Python missed a module. */
export const LATER_IF_MISSING = ["modelInfo"];

/** Every operation's handler, over a booted Python, the registry, the monitor and the
 * worker's Training (training.js); `later()` installs the runtime's later parts
 * (python-runtime.js laterParts). */
export function handlersFor(python, registry, monitor, training, later) {
  const shared = context(python, registry);
  const handlers = {
    ...predictions(python, registry, monitor, shared),
    ...models(python, registry, shared),
    ...trainings(training),
    ...monitoring(python, registry, monitor, shared),
    ...ownData(python, registry, shared),
  };
  for (const op of NEEDS_LATER) {
    const handler = handlers[op];
    handlers[op] = async (...args) => (await later(), handler(...args));
  }
  for (const op of LATER_IF_MISSING) {
    const handler = handlers[op];
    handlers[op] = async (...args) => {
      try {
        return await handler(...args);
      } catch (err) {
        if (err?.type !== "ModuleNotFoundError") throw err;
        await later();
        return handler(...args);
      }
    };
  }
  return handlers;
}
