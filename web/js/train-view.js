// The Train tab: the form (mirrored in the URL), live progress and charts, results.
import { lineChart } from "./charts.js";
import { confusionTable, el, perClassTable, pct } from "./results.js";

const $ = (id) => document.getElementById(id);
const NUMBERS = ["learning_rate", "momentum", "batch_size", "l2", "max_epochs", "tolerance",
  "patience", "seed", "n_samples", "noise_min", "noise_max", "clean_fraction", "augment",
  "negatives", "validation_fraction"];
const CHECKS = ["include_samples", "promote"];

/** The training configuration the form describes (the shape mlp.train takes). */
export function readConfig(form) {
  const f = new FormData(form);
  const n = (k) => Number(f.get(k));
  return {
    hyperparameters: {
      hidden_layer_sizes: String(f.get("hidden")).split(",").map((s) => Number(s.trim())),
      activation: f.get("activation"),
      learning_rate: n("learning_rate"), momentum: n("momentum"), batch_size: n("batch_size"),
      l2: n("l2"), max_epochs: n("max_epochs"), tolerance: n("tolerance"),
      patience: n("patience"), validation_fraction: n("validation_fraction"), seed: n("seed"),
    },
    data: {
      n_samples: n("n_samples"), noise_min: n("noise_min"), noise_max: n("noise_max"),
      clean_fraction: n("clean_fraction"), augment: n("augment"), negatives: n("negatives"),
      seed: n("seed"),
    },
    include_samples: f.get("include_samples") === "on",
    promote: f.get("promote") === "on",
  };
}

/** Query-string form of the form's fields (only what differs from the defaults). */
function toQuery(form, defaults) {
  const params = new URLSearchParams();
  for (const name of ["hidden", "activation", ...NUMBERS]) {
    const v = form.elements[name].value;
    if (v !== defaults[name]) params.set(name, v);
  }
  for (const name of CHECKS) {
    const v = form.elements[name].checked ? "1" : "0";
    if (v !== defaults[name]) params.set(name, v);
  }
  return params;
}

/** Fill the form from the URL; true if the URL carried any training setting. */
function fromQuery(form, params) {
  let any = false;
  // Links made before the validation share had one name still open as they were made.
  if (params.has("validation_ratio") && !params.has("validation_fraction")) {
    params.set("validation_fraction", params.get("validation_ratio"));
  }
  for (const name of ["hidden", "activation", ...NUMBERS]) {
    if (params.has(name)) { form.elements[name].value = params.get(name); any = true; }
  }
  for (const name of CHECKS) {
    if (params.has(name)) { form.elements[name].checked = params.get(name) === "1"; any = true; }
  }
  return any;
}

function duration(seconds) {
  if (!Number.isFinite(seconds)) return "";
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/**
 * Wire the Train tab. `train(config, onProgress)` runs a training (window.mlp.train),
 * `cancel()` stops it. Returns {openedFromUrl}.
 */
export function setupTraining({ train, cancel, promote }) {
  const form = $("train-form");
  const defaults = {};
  for (const name of ["hidden", "activation", ...NUMBERS]) defaults[name] = form.elements[name].value;
  for (const name of CHECKS) defaults[name] = form.elements[name].checked ? "1" : "0";
  const openedFromUrl = fromQuery(form, new URLSearchParams(location.search));

  const syncUrl = () => {
    const query = toQuery(form, defaults).toString();
    history.replaceState(null, "", query ? `?${query}${location.hash}` : location.pathname + location.hash);
  };
  form.addEventListener("input", syncUrl);
  form.addEventListener("change", syncUrl);

  $("train-share").addEventListener("click", async () => {
    syncUrl();
    try {
      await navigator.clipboard.writeText(location.href);
      $("train-status").textContent = "Link copied.";
    } catch {
      $("train-status").textContent = `Share this link: ${location.href}`;
    }
    $("train-progress").hidden = false;
  });

  let loss = null;
  let acc = null;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const config = readConfig(form);
    $("train-error").hidden = true;
    $("train-result").hidden = true;
    $("train-progress").hidden = false;
    $("train-start").disabled = true;
    $("train-cancel").disabled = false;
    $("train-bar").value = 0;
    $("train-status").textContent = "Preparing data…";
    loss = lineChart($("chart-loss"), ["training", "validation"]);
    acc = lineChart($("chart-acc"), ["validation accuracy"], { yRange: [0, 1] });
    try {
      const entry = await train(config, (p) => {
        if (p.done) {
          $("train-status").textContent = `Finished after ${p.epochs} epochs (${p.stop_reason === "converged" ? "validation loss stopped improving" : "epoch limit"}); registering…`;
          return;
        }
        loss.push(p.epoch, p.train_loss, p.val_loss);
        acc.push(p.epoch, p.val_accuracy);
        $("train-bar").value = p.epoch / p.max_epochs;
        const left = (p.elapsed / p.epoch) * (p.max_epochs - p.epoch);
        $("train-status").textContent = `Epoch ${p.epoch} of ${p.max_epochs} · training loss ${p.train_loss.toFixed(4)}` +
          (p.val_loss === null ? "" : ` · validation loss ${p.val_loss.toFixed(4)} · accuracy ${pct(p.val_accuracy)}`) +
          ` · at most ${duration(left)} left`;
      });
      $("train-bar").value = 1;
      $("train-status").textContent = `Done: ${entry.version} is in the registry.`;
      showResult(entry, promote);
    } catch (err) {
      const box = $("train-error");
      box.hidden = false;
      box.textContent = err.name === "TrainingCancelled" ? `Cancelled: ${err.message}.` : `Training failed: ${err.message}`;
      $("train-status").textContent = err.name === "TrainingCancelled" ? "Cancelled." : "Failed.";
    } finally {
      $("train-start").disabled = false;
      $("train-cancel").disabled = true;
    }
  });
  $("train-cancel").addEventListener("click", () => {
    $("train-cancel").disabled = true;
    $("train-status").textContent = "Cancelling after this epoch…";
    cancel();
  });
  return { openedFromUrl, enable: () => { $("train-start").disabled = false; } };
}

function showResult(entry, promote) {
  const box = $("train-result");
  box.replaceChildren();
  box.hidden = false;
  const head = el("p");
  head.append(el("strong", `Registered ${entry.version}`),
    ` · validation accuracy ${pct(entry.accuracy)} · ${entry.is_production ? "in production" : "not in production"}`);
  box.append(head);
  if (!entry.is_production) {
    const b = el("button", "Promote to production");
    b.type = "button";
    b.addEventListener("click", async () => {
      b.disabled = true;
      await promote(entry.version);
      b.textContent = "In production";
    });
    box.append(b);
  }
  box.append(perClassTable(entry.metrics), confusionTable(entry.metrics));
}
