// The Train tab: the form (mirrored in the URL), live progress and charts, results.
import { lineChart } from "./charts.js";
import { $, el, pct } from "./dom.js";
import { verdictText } from "./production-view.js";
import { confusionTable, perClassTable } from "./results.js";
import { fieldsets, parse, settingsForm, text } from "./settings-form.js";
import { i18n } from "./strings.js";

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
  return s >= 60 ? i18n.t("time.min_s", { min: Math.floor(s / 60), s: s % 60 }) : i18n.t("time.s", { s });
}

/** True if the page was opened with training settings in its URL (a shared setup). */
export const openedWithSetup = () => new URLSearchParams(location.search).size > 0;

/** The form's settings in the page's URL as they change (`query()` says them), and
 * "Copy link to this setup". */
function shareableUrl(form, query) {
  const syncUrl = () => {
    const q = query();
    history.replaceState(null, "", q ? `?${q}${location.hash}` : location.pathname + location.hash);
  };
  form.addEventListener("input", syncUrl);
  form.addEventListener("change", syncUrl);
  $("train-share").addEventListener("click", async () => {
    syncUrl();
    try {
      await navigator.clipboard.writeText(location.href);
      $("train-status").textContent = i18n.t("train.link_copied");
    } catch {
      $("train-status").textContent = i18n.t("train.share_link", { url: location.href });
    }
    $("train-progress").hidden = false;
  });
}

/** One epoch's progress `p` in words: epoch, losses, accuracy, time left. */
function epochStatus(p) {
  const left = (p.elapsed / p.epoch) * (p.max_epochs - p.epoch);
  const loss4 = (v) => i18n.number(v, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
  return [
    i18n.t("train.epoch", { epoch: p.epoch, max: p.max_epochs }),
    i18n.t("train.training_loss", { loss: loss4(p.train_loss) }),
    ...(p.val_loss === null ? [] : [i18n.t("train.validation_loss", { loss: loss4(p.val_loss) }),
      i18n.t("train.accuracy", { p: pct(p.val_accuracy) })]),
    i18n.t("train.left", { time: duration(left) }),
  ].join(" · ");
}

/** The progress panel of a training: `begin()`, `epoch(p)` per epoch (charts, bar,
 * status), then `done(entry)` or `failed(err)`. */
function trainingProgress() {
  let loss = null;
  let acc = null;
  return {
    begin() {
      $("train-error").hidden = true;
      $("train-result").hidden = true;
      $("train-progress").hidden = false;
      $("train-bar").value = 0;
      $("train-status").textContent = i18n.t("train.preparing");
      // Progress shows where the person is looking: below the form, which may have
      // scrolled it off-screen (a phone, or the fine-tune button at the bottom).
      $("train-progress").scrollIntoView({ block: "nearest" });
      // uPlot keeps a plot (and its listeners) until it is destroyed: free the last run's.
      loss?.destroy();
      acc?.destroy();
      loss = lineChart($("chart-loss"), [i18n.t("chart.training"), i18n.t("chart.validation")]);
      acc = lineChart($("chart-acc"), [i18n.t("chart.validation_accuracy")], { yRange: [0, 1] });
    },
    epoch(p) {
      if (p.done) {
        $("train-status").textContent = i18n.t("train.finished", { count: p.epochs, why: i18n.t(p.stop_reason === "converged" ? "train.converged" : "train.epoch_limit") });
        return;
      }
      loss.push(p.epoch, p.train_loss, p.val_loss);
      acc.push(p.epoch, p.val_accuracy);
      $("train-bar").value = p.epoch / p.max_epochs;
      $("train-status").textContent = epochStatus(p);
    },
    done(entry) {
      $("train-bar").value = 1;
      $("train-status").textContent = i18n.t("train.done", { version: entry.version });
    },
    failed(err) {
      const box = $("train-error");
      box.hidden = false;
      const cancelled = err.name === "TrainingCancelled";
      box.textContent = i18n.t(cancelled ? "train.cancelled_why" : "train.failed_why", { error: err.message });
      $("train-status").textContent = i18n.t(cancelled ? "train.cancelled" : "train.failed");
    },
  };
}

/**
 * Wire the Train tab. `schema` is what mlp.settings() returns; `train(config,
 * onProgress)` runs a training (window.mlp.train), `fineTune(config, onProgress)` a
 * fine-tuning (window.mlp.fineTune), `cancel()` stops either, `promote(version)`
 * offers to make a model the production one (resolves true if it did). Returns
 * {enable}.
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

  shareableUrl(form, () => checksQuery(form, initial, settings.query()).toString());

  // Fine-tuning: its own few settings, from the schema; the promote options are shared.
  const tune = $("finetune-form");
  $("finetune-settings").replaceChildren(...fieldsets(schema.finetune));
  for (const s of schema.finetune) tune.elements[s.name].value = text(s, s.default);
  const tuneConfig = () => Object.fromEntries(schema.finetune.map((s) => [s.name, parse(s, tune.elements[s.name].value)]));
  const starts = [$("train-start"), $("finetune-start")];

  const progress = trainingProgress();
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
  async function run(start) {
    for (const b of starts) b.disabled = true;
    $("train-cancel").disabled = false;
    progress.begin();
    try {
      const entry = await start(progress.epoch);
      progress.done(entry);
      showResult(entry, promote);
    } catch (err) {
      progress.failed(err);
    } finally {
      for (const b of starts) b.disabled = false;
      $("train-cancel").disabled = true;
    }
  }
  $("train-cancel").addEventListener("click", () => {
    $("train-cancel").disabled = true;
    $("train-status").textContent = i18n.t("train.cancelling");
    cancel();
  });
  return {
    enable: () => { for (const b of starts) b.disabled = false; },
  };
}

function showResult(entry, promote) {
  const box = $("train-result");
  box.replaceChildren();
  box.hidden = false;
  const head = el("p");
  const seconds = entry.lineage?.train_seconds;
  head.append(el("strong", i18n.t("train.registered", { version: entry.version })),
    entry.lineage?.parent ? ` ${i18n.t("train.finetuned_from", { parent: entry.lineage.parent })}` : "",
    ` · ${i18n.t("train.validation_accuracy", { p: pct(entry.accuracy) })}` +
    (seconds ? ` · ${i18n.t("time.s", { s: i18n.number(seconds, { maximumFractionDigits: 1 }) })}` : "") +
    ` · ${i18n.t(entry.is_production ? "train.in_production" : "train.not_in_production")}`);
  box.append(head);
  if (entry.gate) {
    const decided = el("p", `${i18n.t(entry.gate.promoted ? "gate.promoted" : "gate.kept")}. ${verdictText(entry.gate)}`);
    decided.dataset.testid = "gate-decision";
    box.append(decided);
  }
  if (!entry.is_production) {
    const b = el("button", i18n.t("train.promote_button"));
    b.type = "button";
    b.addEventListener("click", async () => {
      b.disabled = true;
      const error = $("train-error");
      error.hidden = true;
      try {
        if (await promote(entry.version)) b.textContent = i18n.t("train.in_production_button");
        else b.disabled = false;
      } catch (err) {
        // E.g. the model was deleted meanwhile (here or in another tab): say so, allow a retry.
        error.hidden = false;
        error.textContent = i18n.t("train.promote_failed", { version: entry.version, error: err.message });
        b.disabled = false;
      }
    });
    box.append(b);
  }
  box.append(perClassTable(entry.metrics), confusionTable(entry.metrics));
}
