// Page entry: wires the grid, the worker and the views, and exposes window.mlp.
import { Grid } from "./grid.js";
import { connect } from "./protocol.js";
import * as views from "./views.js";

const $ = (id) => document.getElementById(id);

function unsupported() {
  if (typeof WebAssembly !== "object") return "This browser cannot run WebAssembly, which the model needs. Use a current Chrome, Edge, Firefox or Safari.";
  if (typeof Worker !== "function") return "This browser cannot run Web Workers, which the model needs.";
  if (!("indexedDB" in self)) return "This browser offers no IndexedDB storage, which the model registry needs.";
  return null;
}

let client = null;
let readyPromise = null;

function start() {
  client = connect(new URL("../worker.js", import.meta.url));
  readyPromise = new Promise((resolve, reject) => {
    client.on((event, data) => {
      if (event === "step") views.showStep(data.step, data.state);
      else if (event === "ready") resolve(data);
      else if (event === "boot-failed") reject(new Error(data.message));
      else if (event === "crashed") reject(new Error(data.message));
      else if (event === "registry-changed") refreshModel();
    });
  });
  readyPromise.then(
    (health) => {
      views.showLoadResult(null);
      views.showHealth(health);
      $("predict").disabled = false;
      refreshModel();
      if (!grid.isEmpty()) predict();
    },
    (err) => {
      views.showHealth("failed to load");
      views.showLoadResult(`The recognizer could not start: ${err.message}`);
    },
  );
  return readyPromise;
}

async function refreshModel() {
  try {
    views.showModelInfo(await client.call("modelInfo"));
    views.showHealth(await client.call("health"));
  } catch (err) {
    views.showHealth({ status: "degraded", error: err.message });
  }
}

// --- drawing and predicting -----------------------------------------------------------

const grid = new Grid($("grid"), { isErasing: () => $("erase").checked });
let latest = 0;

async function predict() {
  if (grid.isEmpty()) {
    views.showPrediction(null, "the grid is empty: draw a letter");
    views.showError(null);
    return;
  }
  const ticket = ++latest;
  try {
    const result = await client.call("predict", { pattern: grid.pattern() });
    if (ticket === latest) {
      views.showPrediction(result);
      views.showError(null);
    }
  } catch (err) {
    if (ticket === latest) views.showError(err.message);
  }
}

grid.addEventListener("strokeend", () => {
  if (!$("predict").disabled) predict();
});
$("predict").addEventListener("click", predict);
$("clear").addEventListener("click", () => {
  grid.clear();
  latest++;
  views.showPrediction(null);
  views.showError(null);
});
$("retry").addEventListener("click", () => location.reload());

// --- public JavaScript API ------------------------------------------------------------

const call = async (op, args) => {
  await readyPromise;
  return client.call(op, args);
};

window.mlp = {
  get ready() { return readyPromise; },
  predict: (pattern) => call("predict", { pattern }),
  modelInfo: () => call("modelInfo"),
  health: () => call("health"),
  echo: (value) => call("echo", { value }),
  grid,
  registry: {
    list: () => call("list"),
    get: (version) => call("get", { version }),
    setProduction: (version) => call("setProduction", { version }),
    delete: (version) => call("delete", { version }),
    export: (versions = null) => call("export", { versions }),
    import: (bundle) => call("import", { bundle: typeof bundle === "string" ? bundle : JSON.stringify(bundle) }),
  },
};

// --- start ------------------------------------------------------------------------------

const problem = unsupported();
if (problem) {
  views.showHealth("unsupported browser");
  views.showLoadResult(problem);
  readyPromise = Promise.reject(new Error(problem));
  readyPromise.catch(() => {});
} else {
  start();
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    navigator.serviceWorker.register("./sw.js").then(
      () => navigator.serviceWorker.ready.then(views.showOfflineReady),
      (err) => console.warn("offline cache unavailable:", err),
    );
  }
}
