// Rendering of results and status: DOM updates. One piece of state: whether the offline
// cache is ready, so the health badge keeps saying so when it is redrawn.

import { $, el, pct } from "./dom.js";

/** One probability bar: `label` (its name), `p` and whether it is the answer. */
function bar(label, p, best, key) {
  const li = el("li", undefined, best ? "best" : "");
  li.dataset.letter = key;
  const meter = el("div", undefined, "bar");
  meter.setAttribute("role", "meter");
  meter.setAttribute("aria-label", `probability of ${label}`);
  meter.setAttribute("aria-valuemin", "0");
  meter.setAttribute("aria-valuemax", "1");
  meter.setAttribute("aria-valuenow", p.toFixed(4));
  const fill = el("span");
  fill.style.width = pct(p);
  meter.append(fill);
  li.append(el("strong", label), meter, el("span", pct(p), "p"));
  return li;
}

/** "b, d or f" from ["b", "d", "f"]. */
const either = (letters) => letters.length < 2 ? letters.join("")
  : `${letters.slice(0, -1).join(", ")} or ${letters[letters.length - 1]}`;

/** Show a prediction {letter, recognized, probabilities, none_probability, confidence}
 * (or clear it with null). A drawing that is none of the model's letters is said so,
 * with the closest letter in smaller type. */
export function showPrediction(result, emptyMessage = "draw a letter") {
  const answer = $("answer");
  const rejected = Boolean(result) && result.recognized === false;
  answer.classList.toggle("rejected", rejected);
  const letters = result ? Object.keys(result.probabilities) : [];
  $("letter").textContent = !result ? "?" : rejected ? `Doesn't look like ${either(letters)}` : result.letter;
  $("confidence").textContent = !result ? emptyMessage
    : rejected ? `closest: ${result.letter} (${pct(result.confidence)})` : `${pct(result.confidence)} sure`;
  const bars = $("bars");
  bars.replaceChildren();
  if (!result) return;
  for (const [letter, p] of Object.entries(result.probabilities)) {
    bars.append(bar(letter, p, !rejected && letter === result.letter, letter));
  }
  if (result.none_probability !== null && result.none_probability !== undefined) {
    bars.append(bar("none of these", result.none_probability, rejected, ""));
  }
}

/** Show an error message under the prediction (or hide it with null). */
export function showError(message) {
  const box = $("error");
  box.hidden = !message;
  box.textContent = message || "";
}

function describeData(d) {
  if (!d.n_samples) return "not recorded";
  const parts = [`${d.train_samples} train / ${d.val_samples} validation samples`];
  if (d.augment) parts.push(`${Math.round(d.augment * 100)}% moved, resized or re-stroked`);
  parts.push(`${Math.round(d.noise_min * 100)}–${Math.round(d.noise_max * 100)}% of pixels flipped`);
  if (d.user_samples) parts.push(`${d.user_samples} drawn by you`);
  return parts.join(", ");
}

/** How the model says "none of these", and how well it does on held-out drawings. */
function describeRejection(info) {
  const o = info.open_set;
  const letters = o.n_letters ? ` It recognizes ${pct(o.accept_rate)} of ${o.n_letters} held-out drawings of ${either(o.letters)} correctly.` : "";
  if (!info.rejection.can_reject) {
    return `This model always answers with one of its letters: it was trained without non-letters, so it cannot say "none of these".${letters}`;
  }
  return `Says "none of these" for ${pct(o.reject_rate)} of ${o.n_other} held-out drawings that are no letter of its own.${letters}`;
}

/** Fill the model panel from model_info(). */
export function showModelInfo(info) {
  const hp = info.hyperparameters;
  const sizes = info.architecture.layer_sizes;
  const rows = [
    ["Version", info.version],
    ["Validation accuracy", pct(info.accuracy)],
    ["Created", new Date(info.created_at).toLocaleString()],
    ["Letters", info.classes.join(", ")],
    ["Not a letter?", describeRejection(info)],
    ["Architecture", `${sizes.join(" → ")} (${info.architecture.activation}, softmax output)`],
    ["Optimizer", `SGD, learning rate ${hp.learning_rate}, momentum ${hp.momentum}, batch ${hp.batch_size}, L2 ${hp.l2}`],
    ["Stopping", `at most ${hp.max_epochs} epochs, patience ${hp.patience}, tolerance ${hp.tolerance}`],
    ["Training data", describeData(info.dataset_info)],
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
  if (badge.classList.contains("badge-healthy") && !badge.textContent.includes("offline")) {
    badge.textContent += " · works offline";
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
  badge.textContent = health.status === "healthy" ? "ready" : `degraded: ${health.error ?? ""}`;
  if (health.status === "healthy" && offlineReady) badge.textContent += " · works offline";
  badge.title = health.model_version ?? "";
}

/** Mark a loading step ("runtime" | "packages" | "model") active/done/failed. */
export function showStep(step, state) {
  const li = document.querySelector(`[data-step="${step}"]`);
  if (li) li.className = state;
}

/** First-visit progress: bytes read of the files the start needs. */
export function showDownload({ loaded, total }) {
  const mb = (n) => (n / 1e6).toFixed(1);
  $("download-bar").max = total;
  $("download-bar").value = loaded;
  $("download-text").textContent = `Downloaded ${mb(loaded)} of ${mb(total)} MB`;
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
