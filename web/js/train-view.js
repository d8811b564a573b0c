// The Train tab: the form (mirrored in the URL), live progress and charts, results.
import { lineChart } from "./charts.js";
import { $, el, pct } from "./dom.js";
import { verdictText } from "./production-view.js";
import { confusionTable, perClassTable } from "./results.js";
import { field, help, parse, settingsForm, text } from "./settings-form.js";

const CHECKS = ["include_samples", "promote", "gate"]; // page options beside the settings

/** What to do with the new model: promote it (true), not (false), or only if it beats
 * production on the test drawings ("if_better"). */
const promoteChoice = (form) => form.elements.promote.checked && (form.elements.gate.checked ? "if_better" : true);

/** The two checkboxes' URL form: what differs from their initial state. */
function checksQuery(form, initial, params) {
  for (const name of CHECKS) {
    const v = form.elements[name].checked ? "1" : "0";
    if (v !== initial[name]) params.set(name, v);
  }
  return params;
}

function duration(seconds) {
  if (!Number.isFinite(seconds)) return "";
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** True if the page was opened with training settings in its URL (a shared setup). */
export const openedWithSetup = () => new URLSearchParams(location.search).size > 0;

/**
 * Wire the Train tab. `schema` is what mlp.settings() returns; `train(config,
 * onProgress)` runs a training (window.mlp.train), `fineTune(config, onProgress)` a
 * fine-tuning (window.mlp.fineTune), `cancel()` stops either, `promote(version)`
 * offers to make a model the production one (resolves true if it did). Returns {enable,
 * busy}.
 */
export function setupTraining({ schema, train, fineTune, cancel, promote }) {
  const form = $("train-form");
  const settings = settingsForm($("train-settings"), form, schema);
  const initial = Object.fromEntries(CHECKS.map((n) => [n, form.elements[n].checked ? "1" : "0"]));
  const params = new URLSearchParams(location.search);
  settings.fromQuery(params);
  for (const name of CHECKS) {
    if (params.has(name)) form.elements[name].checked = params.get(name) === "1";
  }
  $("train-settings").removeAttribute("aria-busy");
  const gateFollows = () => { form.elements.gate.disabled = !form.elements.promote.checked; };
  form.elements.promote.addEventListener("change", gateFollows);
  gateFollows();

  const syncUrl = () => {
    const query = checksQuery(form, initial, settings.query()).toString();
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

  // Fine-tuning: its own few settings, from the schema; the promote options are shared.
  const tune = $("finetune-form");
  $("finetune-settings").replaceChildren(...schema.finetune.map(field), help(schema.finetune));
  for (const s of schema.finetune) tune.elements[s.name].value = text(s, s.default);
  const tuneConfig = () => Object.fromEntries(schema.finetune.map((s) => [s.name, parse(s, tune.elements[s.name].value)]));
  const starts = [$("train-start"), $("finetune-start")];

  let loss = null;
  let acc = null;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run((onProgress) => train({
      ...settings.config(),
      include_samples: form.elements.include_samples.checked,
      promote: promoteChoice(form),
    }, onProgress));
  });
  tune.addEventListener("submit", (e) => {
    e.preventDefault();
    run((onProgress) => fineTune({ finetune: tuneConfig(), promote: promoteChoice(form) }, onProgress));
  });

  /** Run a training (`start(onProgress)`), showing its progress, then its result. */
  let running = false;
  async function run(start) {
    running = true;
    $("train-error").hidden = true;
    $("train-result").hidden = true;
    $("train-progress").hidden = false;
    for (const b of starts) b.disabled = true;
    $("train-cancel").disabled = false;
    $("train-bar").value = 0;
    $("train-status").textContent = "Preparing data…";
    // uPlot keeps a plot (and its listeners) until it is destroyed: free the last run's.
    loss?.destroy();
    acc?.destroy();
    loss = lineChart($("chart-loss"), ["training", "validation"]);
    acc = lineChart($("chart-acc"), ["validation accuracy"], { yRange: [0, 1] });
    try {
      const entry = await start((p) => {
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
      running = false;
      for (const b of starts) b.disabled = false;
      $("train-cancel").disabled = true;
    }
  }
  $("train-cancel").addEventListener("click", () => {
    $("train-cancel").disabled = true;
    $("train-status").textContent = "Cancelling after this epoch…";
    cancel();
  });
  return {
    enable: () => { for (const b of starts) b.disabled = false; },
    busy: () => running, // a training or fine-tuning is under way
  };
}

function showResult(entry, promote) {
  const box = $("train-result");
  box.replaceChildren();
  box.hidden = false;
  const head = el("p");
  const seconds = entry.lineage?.train_seconds;
  head.append(el("strong", `Registered ${entry.version}`),
    entry.lineage?.parent ? ` (fine-tuned from ${entry.lineage.parent})` : "",
    ` · validation accuracy ${pct(entry.accuracy)}` + (seconds ? ` · ${seconds.toFixed(1)} s` : "") +
    ` · ${entry.is_production ? "in production" : "not in production"}`);
  box.append(head);
  if (entry.gate) {
    const decided = el("p", `${entry.gate.promoted ? "Promoted" : "Production kept"}. ${verdictText(entry.gate)}`);
    decided.dataset.testid = "gate-decision";
    box.append(decided);
  }
  if (!entry.is_production) {
    const b = el("button", "Promote to production");
    b.type = "button";
    b.addEventListener("click", async () => {
      b.disabled = true;
      const error = $("train-error");
      error.hidden = true;
      try {
        if (await promote(entry.version)) b.textContent = "In production";
        else b.disabled = false;
      } catch (err) {
        // E.g. the model was deleted meanwhile (here or in another tab): say so, allow a retry.
        error.hidden = false;
        error.textContent = `Could not promote ${entry.version}: ${err.message}. ` +
          "The Models tab lists the models there are; promote one from there, or try again.";
        b.disabled = false;
      }
    });
    box.append(b);
  }
  box.append(perClassTable(entry.metrics), confusionTable(entry.metrics));
}
