// Rendering of results and status: DOM updates. One piece of state: whether the offline
// cache is ready, so the health badge keeps saying so when it is redrawn.

import { $, el, pct } from "./dom.js";
import { handwritingFigure } from "./results.js";
import { i18n } from "./strings.js";

const t = (key, params) => i18n.t(key, params);

/** One probability bar: `label` (its name), `p` and whether it is the answer. */
function bar(label, p, best, key) {
  const li = el("li", undefined, best ? "best" : "");
  li.dataset.letter = key;
  const meter = el("div", undefined, "bar");
  meter.setAttribute("role", "meter");
  meter.setAttribute("aria-label", t("result.probability_of", { label }));
  meter.setAttribute("aria-valuemin", "0");
  meter.setAttribute("aria-valuemax", "1");
  meter.setAttribute("aria-valuenow", p.toFixed(4));
  const fill = el("span");
  fill.style.width = pct(p);
  meter.append(fill);
  li.append(el("strong", label), meter, el("span", pct(p), "p"));
  return li;
}

/** "b, d or f" from ["b", "d", "f"] (in the page's language). */
const either = (letters) => new Intl.ListFormat(i18n.lang, { type: "disjunction" }).format(letters);

/** Show a prediction {letter, recognized, probabilities, none_probability, confidence}
 * (or clear it with null). A drawing that is none of the model's letters is said so,
 * with the closest letter in smaller type. */
export function showPrediction(result, emptyMessage = t("result.empty")) {
  const answer = $("answer");
  const rejected = Boolean(result) && result.recognized === false;
  answer.classList.toggle("rejected", rejected);
  const letters = result ? Object.keys(result.probabilities) : [];
  $("letter").textContent = !result ? "?" : rejected ? t("result.none", { letters: either(letters) }) : result.letter;
  $("confidence").textContent = !result ? emptyMessage
    : rejected ? t("result.closest", { letter: result.letter, p: pct(result.confidence) })
      : t("result.sure", { p: pct(result.confidence) });
  const bars = $("bars");
  bars.replaceChildren();
  if (!result) return;
  for (const [letter, p] of Object.entries(result.probabilities)) {
    bars.append(bar(letter, p, !rejected && letter === result.letter, letter));
  }
  if (result.none_probability !== null && result.none_probability !== undefined) {
    bars.append(bar(t("result.none_of_these"), result.none_probability, rejected, ""));
  }
}

/** Show an error message under the prediction (or hide it with null). */
export function showError(message) {
  const box = $("error");
  box.hidden = !message;
  box.textContent = message || "";
}

function describeData(d) {
  if (d.source === "imported") return t("data.imported", { file: d.file, version: d.sklearn_version });
  if (!d.n_samples) return t("data.not_recorded");
  const n = (v) => i18n.number(v);
  const whole = (p) => i18n.pct(p, 0);
  const parts = [t("data.samples", { train: n(d.train_samples), val: n(d.val_samples) })];
  if (d.augment) parts.push(t("data.augmented", { p: whole(d.augment) }));
  parts.push(t("data.noise", { min: whole(d.noise_min), max: whole(d.noise_max) }));
  if (d.user_samples) parts.push(t("data.drawn_by_you", { count: d.user_samples }));
  return new Intl.ListFormat(i18n.lang, { type: "unit" }).format(parts);
}

/** How the model says "none of these", and how well it does on held-out drawings. */
function describeRejection(info) {
  const o = info.open_set;
  const letters = o.n_letters ? ` ${t("model.accepts", { p: pct(o.accept_rate), count: o.n_letters, letters: either(o.letters) })}` : "";
  if (!info.rejection.can_reject) return t("model.cannot_reject") + letters;
  return t("model.rejects", { p: pct(o.reject_rate), count: o.n_other }) + letters;
}

/** Fill the model panel from model_info(): how it reads real handwriting first, then
 * the figures on drawings like its own training data. */
export function showModelInfo(info) {
  const hp = info.hyperparameters;
  const sizes = info.architecture.layer_sizes;
  const rows = [
    [t("model.version"), info.version],
    [t("model.handwriting"), handwritingFigure(info).long],
    [t("model.accuracy"), t("model.accuracy_value", { p: pct(info.accuracy) })],
    [t("model.created"), i18n.date(info.created_at)],
    [t("model.letters"), info.classes.join(", ")],
    [t("model.not_a_letter"), describeRejection(info)],
    [t("model.architecture"), t("model.architecture_value", { sizes: sizes.join(" → "), activation: info.architecture.activation })],
    [t("model.optimizer"), t("model.optimizer_value", { lr: i18n.number(hp.learning_rate), momentum: i18n.number(hp.momentum), batch: hp.batch_size, l2: i18n.number(hp.l2) })],
    [t("model.stopping"), t("model.stopping_value", { epochs: hp.max_epochs, patience: hp.patience, tolerance: i18n.number(hp.tolerance, { maximumSignificantDigits: 3 }) })],
    [t("model.training_data"), describeData(info.dataset_info)],
  ];
  const dl = $("model-info");
  dl.replaceChildren();
  for (const [k, v] of rows) dl.append(el("dt", k), el("dd", v));
}

let offlineReady = false;

/** The whole site is in the offline cache: say so in the badge. */
export function showOfflineReady() {
  offlineReady = true;
  const badge = $("health");
  if (badge.classList.contains("badge-healthy") && !badge.textContent.includes(t("health.offline"))) {
    badge.textContent += ` · ${t("health.offline")}`;
  }
}

/** The health badge: {status, model_version} or a failure text. */
export function showHealth(health) {
  const badge = $("health");
  if (typeof health === "string") {
    badge.className = "badge badge-error";
    badge.textContent = health;
    return;
  }
  badge.className = `badge badge-${health.status}`;
  badge.textContent = health.status === "healthy" ? t("health.ready") : t("health.degraded", { error: health.error ? i18n.error(health.error) : "" });
  if (health.status === "healthy" && offlineReady) badge.textContent += ` · ${t("health.offline")}`;
  badge.title = health.model_version ?? "";
}

/** Mark a loading step ("runtime" | "packages" | "model") active/done/failed. */
export function showStep(step, state) {
  const li = document.querySelector(`[data-step="${step}"]`);
  if (li) li.className = state;
}

/** First-visit progress: bytes read of the files the start needs. */
export function showDownload({ loaded, total }) {
  const mb = (n) => i18n.number(n / 1e6, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  $("download-bar").max = total;
  $("download-bar").value = loaded;
  $("download-text").textContent = t("download.progress", { loaded: mb(loaded), total: mb(total) });
}

/** Loading finished (hide the panel) or failed (show why, offer retry). */
export function showLoadResult(error) {
  const panel = $("loading");
  if (!error) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const box = $("load-error");
  box.hidden = false;
  box.textContent = error;
  $("retry").hidden = false;
}

/** A banner under the header: `message` plus buttons [{label, onClick}]; null hides it. */
export function showNotice(message, actions = []) {
  const box = $("notice");
  box.hidden = !message;
  $("notice-text").textContent = message || "";
  $("notice-actions").replaceChildren(...actions.map(({ label, onClick }) => {
    const b = el("button", label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }));
}
