// The Python worker: boots Pyodide, loads mlp_core, keeps the registry in sync with
// IndexedDB and answers the page's requests (see js/protocol.js for the messages).
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { watchDownloads } from "./js/downloads.js";
import * as snapshot from "./js/snapshot.js";
import * as storage from "./js/storage.js";

// Until Python is ready, a download that fails or stalls fails the start, with its name.
const DOWNLOAD_STALL_MS = 20_000;
const startWatch = watchDownloads({
  stallMs: DOWNLOAD_STALL_MS,
  onFailure: (err) => failBoot(err),
});

const channel = new BroadcastChannel("letter-recognizer-registry");
let app = null;              // mlp_core.webapi.App (a PyProxy)
let loadedRevision = null;   // the IndexedDB revision `app` holds
let stale = true;            // another tab changed the registry since we loaded it
let storageProblem = null;   // why IndexedDB cannot be used (models then live in memory)
let damagedKeys = [];        // keys of stored records that failed validation
const MAX_BUNDLE_CHARS = 64 * 1024 * 1024;
let changes = 0;             // registry changes other tabs announced since we started

// Read the stored registry (and on a first visit fetch the default one) right away:
// IndexedDB and the network answer while Python boots, off the start-up's critical path.
const storedAtStart = storage.readAll();
// Failures resolve to null here: the read's is handled by openRegistry, and a failed
// fetch is retried (and reported) where the bundle is needed.
const defaultAtStart = storedAtStart.then(
  (stored) => (stored.revision === undefined ? fetchDefaultBundle().catch(() => null) : null),
  () => null,
);
storedAtStart.catch(() => {});

const post = (message) => self.postMessage(message);
const event = (name, data = {}) => post({ event: name, data });
let stepStart = performance.now();
const step = (name, state, detail) => {
  if (state === "active") stepStart = performance.now();
  else timings[name] = Math.round(performance.now() - stepStart);
  startWatch.progress();
  current = name;
  event("step", { step: name, state, detail });
};

/** Run a Python method that takes and returns JSON text. */
function py(method, ...args) {
  return JSON.parse(app[method](...args));
}

/** A flat list of 100 zeros and ones (the grid's form) as "0"/"1" characters, the
 * cheapest form to hand Python; null for anything else, which goes as JSON for Python to
 * check and explain. */
function asBits(pattern) {
  const ok = Array.isArray(pattern) && pattern.length === 100 && pattern.every((v) => v === 0 || v === 1);
  return ok ? pattern.join("") : null;
}

/** Turn a Python exception into {type, message} with its last line only. */
function describe(err) {
  if (err && err.type && typeof err.message === "string") {
    const lines = err.message.trim().split("\n");
    const last = lines[lines.length - 1];
    // "mlp_core.registry.RegistryError: not valid JSON" -> "not valid JSON"
    const prefix = new RegExp(`^([\\w.]*\\.)?${err.type}: `);
    const message = last.replace(prefix, "");
    return { type: err.type, message };
  }
  return { type: err?.name || "Error", message: err?.message || String(err) };
}

async function fetchDefaultBundle() {
  const response = await fetch(new URL("./registry.json", import.meta.url));
  if (!response.ok) throw new Error(`could not fetch the default models (HTTP ${response.status})`);
  return response.text();
}

/** Say what a storage failure means for the person, in words. */
function storageError(err) {
  if (err?.name === "QuotaExceededError" || err?.inner?.name === "QuotaExceededError") {
    const e = new Error("your browser's storage for this site is full: delete models or examples you no longer need (export them first), then try again");
    e.name = "StorageFull";
    return e;
  }
  return err;
}

/** The default bundle's text: fetched at start on a first visit, else now. */
async function defaultBundle() {
  return (await defaultAtStart) ?? fetchDefaultBundle();
}

/** On a first visit, store the default models. Returns the registry as stored. */
async function seedIfEmpty(stored) {
  if (stored.revision !== undefined) return stored;
  const entries = py("bundle_entries", await defaultBundle());
  await storage.update(({ revision: now }) => {
    // Another tab may have seeded meanwhile: then write nothing.
    return now === undefined ? { put: entries } : {};
  }, undefined);
  return storage.readAll();
}

async function loadFromStorage(stored = null) {
  const { revision, entries } = stored ?? await storage.readAll();
  const report = py("load", JSON.stringify(entries));
  loadedRevision = revision;
  stale = false;
  damagedKeys = report.bad.map((b) => entries[b.index]?.version).filter((k) => k !== undefined);
  if (report.bad.length) event("bad-entries", report.bad);
  return report;
}

/** Load the registry from IndexedDB; if the browser refuses storage, run from memory. */
async function openRegistry() {
  try {
    await loadFromStorage(await seedIfEmpty(await storedAtStart));
    if (changes) stale = true; // another tab wrote after our first read: reload on use
  } catch (err) {
    storageProblem = `this browser does not let the page store data (${err?.message || err}); private browsing often does this. Predictions work with the default models, but nothing you train or add is kept`;
    py("load", JSON.stringify(py("bundle_entries", await defaultBundle())));
    stale = false;
    event("storage-unavailable", { message: storageProblem });
  }
}

function requireStorage() {
  if (storageProblem) throw new Error(`cannot save: ${storageProblem}`);
}

async function freshen() {
  if (stale && !storageProblem) await loadFromStorage();
}

function loadEntries(entries) {
  const report = py("load", JSON.stringify(entries));
  damagedKeys = report.bad.map((b) => entries[b.index]?.version).filter((k) => k !== undefined);
}

/** A registry change: Python decides inside one IndexedDB transaction. */
async function mutate(op, args, alsoRemove = () => []) {
  requireStorage();
  let out;
  try {
    const { revision } = await storage.update(({ entries }) => {
      if (entries) loadEntries(entries); // re-read: another tab wrote
      out = py("mutate", op, JSON.stringify(args));
      return { ...out, removed: [...out.removed, ...alsoRemove()] };
    }, loadedRevision);
    loadedRevision = revision;
  } catch (err) {
    stale = true; // Python's copy may be ahead of storage: reload before the next request
    throw storageError(err);
  }
  channel.postMessage({ revision: loadedRevision });
  event("registry-changed", { revision: loadedRevision });
  return out.result;
}

channel.onmessage = () => {
  changes += 1;
  stale = true;
  event("registry-changed", {});
};

let training = false;
let cancelRequested = false;

function cancelled() {
  const err = new Error("training was cancelled; the registry is unchanged");
  err.name = "TrainingCancelled";
  return err;
}

/** Train one epoch per turn of the event loop, so Cancel (and predictions) get in. */
async function train({ config = {} }, progress) {
  if (training) throw new Error("a training is already running; wait for it or cancel it");
  requireStorage();
  training = true;
  cancelRequested = false;
  try {
    const { include_samples: includeSamples = true, promote = false, ...settings } = config;
    const classes = await storage.listClasses();
    const samples = includeSamples ? await storage.listSamples() : [];
    py("start_training", JSON.stringify({
      ...settings,
      templates: Object.fromEntries(classes.map((c) => [c.letter, c.template])),
      samples: samples.map(({ label, pattern }) => ({ label, pattern })),
    }));
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (cancelRequested) {
        app.cancel_training();
        throw cancelled();
      }
      const step = py("train_step");
      progress(step);
      if (step.done) break;
    }
    return await mutate("register", { promote });
  } finally {
    training = false;
  }
}

async function knownLetters() {
  const custom = await storage.listClasses();
  return [...py("templates").map((t) => t.letter), ...custom.map((c) => c.letter)];
}

const handlers = {
  echo: (args) => py("echo", JSON.stringify(args)),
  predict: async ({ pattern }) => {
    await freshen();
    const bits = asBits(pattern);
    return bits ? py("predict_bits", bits) : py("predict", JSON.stringify(pattern));
  },
  modelInfo: async () => (await freshen(), py("model_info")),
  health: async () => (await freshen(), { ...py("health"), storage: storageProblem ? "memory" : "indexeddb" }),
  list: async () => (await freshen(), py("list")),
  get: async ({ version }) => (await freshen(), py("get", version)),
  export: async ({ versions = null }) => (await freshen(), py("export", JSON.stringify(versions))),
  setProduction: ({ version }) => mutate("set_production", { version }),
  delete: ({ version }) => mutate("delete", { version }),
  import: ({ bundle }) => {
    if (typeof bundle === "string" && bundle.length > MAX_BUNDLE_CHARS) {
      throw new Error(`the bundle is ${bundle.length} characters; the limit is ${MAX_BUNDLE_CHARS}`);
    }
    return mutate("import", { bundle });
  },
  removeDamaged: async () => {
    const keys = [...damagedKeys];
    const result = await mutate("repair", {}, () => damagedKeys);
    damagedKeys = [];
    return { removed: keys.length, ...result };
  },
  reset: async () => {
    const bundle = await fetchDefaultBundle();
    const result = await mutate("reset", { bundle }, () => damagedKeys);
    damagedKeys = [];
    return result;
  },
  predictAll: async ({ pattern }) => (await freshen(), py("predict_all", JSON.stringify(pattern))),
  train,
  cancelTraining: () => {
    cancelRequested = training;
    return { cancelling: training };
  },
  templates: () => py("templates"),
  listSamples: () => storage.listSamples(),
  addSample: async ({ label, pattern }) => {
    requireStorage();
    const sample = py("check_sample", JSON.stringify({ label, pattern }), JSON.stringify(await knownLetters()));
    return storage.addSample(sample).catch((err) => { throw storageError(err); });
  },
  deleteSample: ({ id }) => storage.deleteSample(id),
  listClasses: () => storage.listClasses(),
  addClass: async ({ letter, template }) => {
    requireStorage();
    const checked = py("check_class", JSON.stringify({ letter, template }), JSON.stringify(await knownLetters()));
    return storage.addClass(checked);
  },
  deleteClass: async ({ letter }) => ({ deleted_samples: await storage.deleteClass(letter) }),
};

const SNAPSHOT_TIMEOUT_MS = 10_000; // restoring takes ~0.35 s here
let abandonRestore = null; // while a snapshot is being restored: gives up on it

/** Start Python, from the stored runtime snapshot when there is one that loads. */
async function startPython() {
  const indexURL = new URL("./pyodide/", import.meta.url).href;
  const saved = await snapshot.read().catch((err) => {
    console.warn("could not read the runtime snapshot; starting Python normally:", err);
    return null;
  });
  timings.snapshot = false;
  if (saved) {
    let timer;
    // Pyodide neither resolves nor rejects when it cannot use a snapshot's memory, and
    // may fail through an unhandled rejection instead (see the listener below).
    const givenUp = new Promise((_, reject) => {
      abandonRestore = reject;
      timer = setTimeout(() => reject(new Error("restoring the runtime snapshot took too long")),
        SNAPSHOT_TIMEOUT_MS);
    });
    try {
      const pyodide = await Promise.race([loadPyodide({ indexURL, _loadSnapshot: saved }), givenUp]);
      timings.snapshot = true;
      return pyodide;
    } catch (err) {
      console.warn("the runtime snapshot did not load; dropping it and starting normally:", err);
      await snapshot.drop().catch(() => {});
    } finally {
      clearTimeout(timer);
      abandonRestore = null;
    }
  }
  return loadPyodide({ indexURL });
}

async function boot() {
  step("runtime", "active");
  const pyodide = await startPython();
  step("runtime", "done");
  step("packages", "active");
  const failures = [];
  await pyodide.loadPackage("mlp_core", {
    messageCallback: () => {},
    errorCallback: (message) => failures.push(message),
  });
  if (failures.length) throw new Error(`could not load Python packages: ${failures.join("; ")}`);
  app = pyodide.pyimport("mlp_core.webapi").App();
  step("packages", "done");
  step("model", "active");
  await openRegistry();
  const health = { ...py("health"), storage: storageProblem ? "memory" : "indexeddb" };
  step("model", health.model_loaded ? "done" : "failed", health.error);
  return health;
}

let current = "runtime";
const timings = {}; // ms spent in each loading step, reported with "ready"
// Pyodide does not always reject when a file fails to arrive (e.g. its wasm): an
// unhandled rejection while booting is a failed boot, and must say so.
let booting = true;
let failBoot = () => {};
self.addEventListener("unhandledrejection", (e) => {
  if (!booting) return;
  e.preventDefault();
  if (abandonRestore) abandonRestore(e.reason); // fall back to a normal start
  else failBoot(e.reason);
});
const ready = Promise.race([boot(), new Promise((_, reject) => { failBoot = reject; })]);
const settled = () => {
  booting = false;
  startWatch.stop();
};
ready.then(settled, settled);
ready.then(
  (health) => event("ready", { ...health, timings }),
  (err) => {
    step(current, "failed");
    event("boot-failed", describe(err));
  },
);

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    const handler = handlers[op];
    if (!handler) throw new Error(`unknown request ${op}`);
    post({ id, ok: true, result: await handler(args ?? {}, (p) => post({ id, progress: p })) });
  } catch (err) {
    post({ id, ok: false, error: describe(err) });
  }
};
