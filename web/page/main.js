// Page entry: wires the grid, the worker and the views, and exposes window.mlp.
import { setupData } from "./data-view.js";
import { Grid } from "./grid.js";
import { client, problem } from "./start-worker.js";
import { setupRegistry } from "./registry-view.js";
import { setupProductionExport } from "./export-view.js";
import { setupTabs } from "./tabs.js";
import { weightThumb } from "./thumbs.js";
import { publicApi } from "./api.js";
import { $ } from "./dom.js";
import { setupMonitoring } from "./monitoring-view.js";
import { BOOT_BYTES } from "../shared/runtime.generated.js";
import { setupProject } from "./project-view.js";
import { confirmAction } from "./registry-view.js";
import { promoteWithGate } from "./production-view.js";
import { snapshotForNextVisit } from "./next-visit.js";
import { registerOffline } from "./updates.js";
import { openedWithSetup, setupTraining } from "./train-view.js";
import * as views from "./views.js";
import { setupTheme } from "./theme.js";
import { i18n } from "./strings.js";
import { LANGUAGES, saveLanguage } from "../shared/i18n.js";
import { describe } from "./settings-form.js";

setupTheme($("theme"));
setupLanguage($("language"));
client?.setErrorWords(sayError);

/** A coded error in the page's language; a refused setting says what it accepts as the
 * settings form does. */
function sayError(error) {
  if (error.code !== "py.setting") return i18n.error(error);
  return i18n.error({ ...error, params: { ...error.params, describe: describe(error.params.accepts) } });
}

/** The language choice: the catalogues there are, in their own names. A change reloads
 * the page in that language (saying first when that would cancel a training). */
function setupLanguage(select) {
  select.replaceChildren(...Object.entries(LANGUAGES).map(([code, name]) => {
    const option = new Option(name, code, false, code === i18n.lang);
    option.lang = code;
    return option;
  }));
  select.addEventListener("change", () => {
    const switchTo = () => {
      saveLanguage(select.value);
      keepDrawing();
      location.reload();
    };
    if (!trainingUnderWay()) return switchTo();
    views.showNotice(i18n.t("language.reload_cancels"), [
      { label: i18n.t("action.reload_now"), onClick: switchTo },
      { label: i18n.t("action.cancel"), onClick: () => { select.value = i18n.lang; views.showNotice(null); } },
    ]);
  });
}

let readyPromise = null;
let ready = false;
let snapshotPromise = null; // set when loading starts
let preparedPromise = null; // likewise

const call = async (op, args, onProgress) => {
  await readyPromise;
  return client.call(op, args, onProgress);
};

// --- drawing and predicting -----------------------------------------------------------

const grid = new Grid($("grid"), { isErasing: () => $("erase").checked });
const currentPattern = () => (grid.isEmpty() ? null : grid.pattern());

// A reload the page makes itself (a language switch) keeps the drawing: it waits in this
// tab's sessionStorage for one load.
const KEPT_DRAWING = "kept-drawing";
function keepDrawing() {
  try {
    if (!grid.isEmpty()) sessionStorage.setItem(KEPT_DRAWING, JSON.stringify(grid.pattern()));
  } catch (err) {
    console.warn("the drawing could not be kept across the reload:", err);
  }
}
function restoreDrawing() {
  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(KEPT_DRAWING));
    sessionStorage.removeItem(KEPT_DRAWING);
  } catch (err) {
    console.warn("the kept drawing could not be read:", err);
  }
  if (Array.isArray(kept) && kept.length === grid.pattern().length) grid.setPattern(kept);
}
restoreDrawing();

// The drawing hint follows the input in use: touch has no right-click or arrow keys.
const hintFor = (coarse) => { $("draw-hint").textContent = i18n.t(coarse ? "draw.hint_touch" : "draw.hint"); };
hintFor(matchMedia("(pointer: coarse)").matches);
$("grid").addEventListener("pointerdown", (e) => hintFor(e.pointerType === "touch"));
let latest = 0;
// One prediction per stroke; the monitoring log keeps the drawing a person settles on
// (worker/monitoring.js), and the Predict button and Clear settle it at once.
const settle = () => client.call("monitoring.settle").catch((err) => views.showError(err.message));

async function predict() {
  if (grid.isEmpty()) {
    views.showPrediction(null, i18n.t("result.grid_empty"));
    views.showError(null);
    return;
  }
  const ticket = ++latest;
  try {
    const pattern = grid.pattern();
    const result = await client.call("predict", { pattern, log: "settle" });
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
$("predict").addEventListener("click", () => predict().then(settle));
$("clear").addEventListener("click", () => {
  settle();
  grid.clear();
  latest++;
  views.showPrediction(null);
  views.showError(null);
});
$("retry").addEventListener("click", () => location.reload());

// --- public JavaScript API ------------------------------------------------------------

window.mlp = publicApi(call, {
  ready: () => readyPromise,
  snapshotReady: () => snapshotPromise,
  trainingPrepared: () => preparedPromise,
  grid,
});
const registry = window.mlp.registry;

// --- panels -----------------------------------------------------------------------------

const monitoringView = setupMonitoring({
  monitoring: window.mlp.monitoring,
  letters: async () => [...(await call("templates")), ...(await call("classes.list"))].map((t) => t.letter),
  models: () => registry.list(),
});
const tabs = setupTabs(document.querySelector('[role="tablist"]'), (panel) => {
  if (panel === "panel-monitoring") monitoringView.refresh();
});
if (openedWithSetup()) tabs.show("panel-train");

/** A training or fine-tuning is under way: its request is in flight (the worker's
 * Training owns the fact; the page keeps no flag of its own). */
const trainingUnderWay = () => Boolean(client?.inFlight("train", "fineTune"));

/** The Train tab, once the settings' schema has come from Python. */
async function startTraining() {
  const training = setupTraining({
    schema: await window.mlp.settings(),
    train: window.mlp.train,
    fineTune: window.mlp.fineTune,
    cancel: () => window.mlp.cancelTraining(),
    promote: (version) => promoteWithGate(registry, version),
  });
  training.enable();
}
const models = setupRegistry({ registry, predictAll: window.mlp.predictAll, evaluate: window.mlp.evaluate, evaluateAll: window.mlp.evaluateAll,
  modelCard: window.mlp.modelCard, currentPattern });
setupProductionExport(registry, async () => (await client.call("modelInfo")).version);
const data = setupData({ call, currentPattern });
const projects = setupProject({ project: window.mlp.project, confirm: confirmAction });

async function showWeights(version) {
  const { units, max } = await registry.weights(version);
  $("weights").replaceChildren(...units.map((w, j) => weightThumb(w, max, { label: i18n.t("model.hidden_unit", { n: j + 1 }) })));
  $("weights").dataset.units = String(units.length);
}

/** Show the production model; with `reread`, read the drawing again (it may have changed:
 * not at ready, where the drawing kept across a reload is read once, and a stroke made
 * meanwhile is read when it ends). */
async function refreshModel({ reread = true } = {}) {
  try {
    const info = await client.call("modelInfo");
    views.showModelInfo(info);
    views.showHealth(await client.call("health"));
    await showWeights(info.version);
  } catch (err) {
    views.showHealth({ status: "degraded", error: err.message });
  }
  await models.refresh().catch((err) => views.showError(err.message));
  if (reread && !grid.isEmpty()) predict();
}

/** Examples or letters changed: their list, and every model's test-drawing accuracy. */
function refreshExamples() {
  data.refresh().catch((err) => views.showError(i18n.t("error.read_examples", { error: err.message })));
  models.refresh().catch((err) => views.showError(err.message));
}

function crashed({ message }) {
  views.showHealth(i18n.t("health.stopped"));
  $("predict").disabled = true;
  views.showNotice(i18n.t("error.crashed", { error: message }),
    [{ label: i18n.t("action.retry"), onClick: () => location.reload() }]);
}

function showDamaged(bad) {
  const list = bad.map((b) => `${b.version}: ${sayError(b.error)}`).join("; ");
  views.showNotice(i18n.t("damaged.notice", { count: bad.length, list }), [
    { label: i18n.t("damaged.remove"), onClick: async () => {
      try {
        const r = await call("registry.removeDamaged");
        views.showNotice(i18n.t("damaged.removed", { count: r.removed }) + (r.promoted ? ` ${i18n.t("damaged.promoted", { version: r.promoted })}` : ""));
      } catch (err) { views.showNotice(i18n.t("damaged.remove_failed", { error: err.message })); }
    } },
    { label: i18n.t("models.reset"), onClick: async () => {
      try {
        await registry.reset();
        views.showNotice(i18n.t("models.reset_done"));
      } catch (err) { views.showNotice(i18n.t("models.reset_failed", { error: err.message })); }
    } },
  ]);
}

// --- start ------------------------------------------------------------------------------

function start() {
  let prepared;
  preparedPromise = new Promise((resolve) => { prepared = resolve; });
  readyPromise = new Promise((resolve, reject) => {
    client.on({
      step: (data) => views.showStep(data.step, data.state),
      download: (data) => views.showDownload(data),
      ready: resolve,
      "boot-failed": (data) => reject(new Error(i18n.error(data))),
      "registry-changed": () => refreshModel(),
      "examples-changed": refreshExamples,
      "bad-entries": showDamaged,
      "storage-unavailable": (data) => {
        if (data.code !== "worker.storage_newer") views.showNotice(i18n.t("error.storage", { error: i18n.error(data) }));
      },
      "newer-version": () => views.showNotice(i18n.t("notice.newer_version"),
        [{ label: i18n.t("action.reload"), onClick: () => location.reload() }]),
      "monitoring-failed": (data) => views.showNotice(i18n.t("error.monitoring", { error: i18n.error(data) })),
      "predictions-logged": () => { if (!$("panel-monitoring").hidden) monitoringView.refresh(); },
      "training-prepared": (data) => prepared(!data.error),
      crashed: (data) => {
        prepared(false);
        return ready ? crashed(data) : reject(new Error(data.message));
      },
    });
  });
  const slow = setTimeout(() => {
    if (!ready) views.showNotice(i18n.t("loading.slow", { mb: Math.round(Object.values(BOOT_BYTES).reduce((a, b) => a + b, 0) / 1e6) }), [{ label: i18n.t("action.retry"), onClick: () => location.reload() }]);
  }, 45_000);
  readyPromise.then(() => clearTimeout(slow), () => { clearTimeout(slow); prepared(false); });
  snapshotPromise = readyPromise.then(snapshotForNextVisit, () => false);
  readyPromise.then(
    (health) => {
      ready = true;
      views.showLoadResult(null);
      views.showHealth(health);
      $("predict").disabled = false;
      if (!grid.isEmpty()) predict(); // a drawing kept across a reload
      startTraining().catch((err) => views.showError(i18n.t("error.training_unavailable", { error: err.message })));
      refreshModel({ reread: false });
      data.start().catch((err) => views.showError(i18n.t("error.read_examples", { error: err.message })));
      projects.askPersistence().catch((err) => views.showError(i18n.t("error.persistence", { error: err.message })));
    },
    (err) => {
      views.showHealth(i18n.t("health.failed"));
      views.showLoadResult(i18n.t("error.start", { error: err.message }));
    },
  );
}

if (problem) {
  views.showHealth(i18n.t("health.unsupported"));
  views.showLoadResult(i18n.t(problem));
  readyPromise = Promise.reject(new Error(i18n.t(problem)));
  readyPromise.catch(() => {});
  snapshotPromise = Promise.resolve(false);
  preparedPromise = Promise.resolve(false);
} else {
  start();
  // Register the offline cache once the recognizer has loaded (or failed to): its
  // precache downloads the whole site again, which on a first visit would compete with
  // the Python worker's own downloads (measured: cold start 1.20x -> 1.10x the bare floor).
  const offline = () => {
    if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
    registerOffline({ onOffline: views.showOfflineReady, onUpdate: offerUpdate })
      .catch((err) => console.warn("offline cache unavailable:", err));
  };
  readyPromise.then(offline, offline);
}

/** A new version of the site is ready: offer to reload into it (saying what a reload
 * would cancel). Models, examples and settings are stored, so nothing else is lost. */
function offerUpdate(reload) {
  const busy = trainingUnderWay();
  views.showNotice(i18n.t(busy ? "update.ready_training" : "update.ready"),
    [{ label: i18n.t(busy ? "action.reload_now" : "action.reload"), onClick: reload }]);
}
