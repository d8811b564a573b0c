// The Python worker's entry: boots Pyodide and mlp_core in named steps, opens the
// registry and the prediction log, then answers the page (worker/handlers.js, one
// handler per operation of shared/protocol.js; worker/transport.js carries them).
import * as storage from "./storage.js";
import { Boot } from "./boot.js";
import { handlersFor } from "./handlers.js";
import { Monitor } from "./monitoring.js";
import { Python } from "./python.js";
import { laterParts } from "./python-runtime.js";
import { RegistrySync, storageError } from "./registry-sync.js";
import { Training } from "./training.js";
import { describe, emit, idle, serve } from "./transport.js";
import { checkOperations } from "../shared/protocol.js";
// The modules the ones above import, so that the browser asks for them all at once: it
// asks for a module's imports only once that module has arrived, and through the
// service worker each such round cost 40-90 ms of a warm start (six rounds before).
// tests/test_build.py checks that every module is at most two imports from here.
import "../pyodide/pyodide.mjs";
import "../shared/coded-error.js";
import "../shared/gate-reason.js";
import "../shared/i18n.js";
import "../shared/languages.generated.js";
import "../shared/limits.generated.js";
import "../shared/runtime.generated.js";
import "../shared/snapshot.js";
import "../vendor/idb.js";
import "./downloads.js";
import "./dynlibs.js";
import "./wheels.js";
import "./zip.js";

const boot = new Boot();          // first: it watches the downloads from the start
storage.whenNewerVersion(() => emit("newer-version", {}));
const registry = new RegistrySync(); // reads storage while Python boots
const monitor = new Monitor({
  storage,
  onError: (err) => emit("monitoring-failed", describe(storageError(err))),
  onLogged: () => emit("predictions-logged"),
});

const LATER_AFTER_MS = 2000;
// How long the page must have asked nothing before a step of the training's preparation.
const PREPARE_WHEN_QUIET_MS = 1000;
let later = null; // installs what a first prediction does not import (python-runtime.js)
let training = null;
const started = boot.run(async () => {
  const pyodide = await boot.initRuntime();
  later = laterParts(pyodide);
  const python = new Python(await boot.initPackages(pyodide));
  boot.step("model", "active");
  await registry.open(python);
  await monitor.open(registry.storage === "indexeddb");
  const health = { ...python.call("health"), storage: registry.storage };
  boot.step("model", health.model_loaded ? "done" : "failed", health.error);
  // Answer exactly the protocol's operations, or fail to start (never half-serve).
  training = new Training({ python, registry, storage });
  const handlers = handlersFor(python, registry, monitor, training, later);
  checkOperations(Object.keys(handlers), "the worker's handlers");
  return { handlers, health };
});
started.then(
  ({ health }) => {
    emit("ready", { ...health, timings: boot.timings });
    // Soon, in the background (the operations that need it wait for it, handlers.js),
    // once the page has had the worker for its own first calls; then, whenever the page
    // is quiet, what a first training would make (a training does it itself otherwise).
    setTimeout(() => later()
      .then(() => training.prepare(() => idle(PREPARE_WHEN_QUIET_MS)))
      .then(() => emit("training-prepared"), (err) => {
        console.warn("what a first training needs will be made when it starts:", err);
        emit("training-prepared", { error: describe(err) });
      }), LATER_AFTER_MS);
  },
  (err) => emit("boot-failed", describe(err)),
);
serve(started.then(({ handlers }) => handlers));
