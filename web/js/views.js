// Rendering of results and status. Pure DOM updates; no state of their own.

const $ = (id) => document.getElementById(id);
const pct = (p) => `${(p * 100).toFixed(1)}%`;

/** Show a prediction {letter, probabilities, confidence} (or clear it with null). */
export function showPrediction(result, emptyMessage = "draw a letter") {
  $("letter").textContent = result ? result.letter : "?";
  $("confidence").textContent = result ? `${pct(result.confidence)} sure` : emptyMessage;
  const bars = $("bars");
  bars.replaceChildren();
  if (!result) return;
  for (const [letter, p] of Object.entries(result.probabilities)) {
    const li = document.createElement("li");
    li.className = letter === result.letter ? "best" : "";
    li.dataset.letter = letter;
    const name = document.createElement("strong");
    name.textContent = letter;
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.setAttribute("role", "meter");
    bar.setAttribute("aria-label", `probability of ${letter}`);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "1");
    bar.setAttribute("aria-valuenow", p.toFixed(4));
    const fill = document.createElement("span");
    fill.style.width = pct(p);
    bar.append(fill);
    const value = document.createElement("span");
    value.className = "p";
    value.textContent = pct(p);
    li.append(name, bar, value);
    bars.append(li);
  }
}

/** Show an error message under the prediction (or hide it with null). */
export function showError(message) {
  const el = $("error");
  el.hidden = !message;
  el.textContent = message || "";
}

function describeData(d) {
  if (!d.n_samples) return "not recorded";
  const parts = [`${d.train_samples} train / ${d.val_samples} validation samples`];
  if (d.augment) parts.push(`${Math.round(d.augment * 100)}% moved, resized or re-stroked`);
  parts.push(`${Math.round(d.noise_min * 100)}–${Math.round(d.noise_max * 100)}% of pixels flipped`);
  if (d.user_samples) parts.push(`${d.user_samples} drawn by you`);
  return parts.join(", ");
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
    ["Architecture", `${sizes.join(" → ")} (${info.architecture.activation}, softmax output)`],
    ["Optimizer", `SGD, learning rate ${hp.learning_rate}, momentum ${hp.momentum}, batch ${hp.batch_size}, L2 ${hp.l2}`],
    ["Stopping", `at most ${hp.max_epochs} epochs, patience ${hp.patience}, tolerance ${hp.tolerance}`],
    ["Training data", describeData(info.dataset_info)],
  ];
  const dl = $("model-info");
  dl.replaceChildren();
  for (const [k, v] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    dl.append(dt, dd);
  }
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

/** Loading finished (hide the panel) or failed (show why, offer retry). */
export function showLoadResult(error) {
  const panel = $("loading");
  if (!error) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const el = $("load-error");
  el.hidden = false;
  el.textContent = error;
  $("retry").hidden = false;
}

/** A banner under the header: `message` plus buttons [{label, onClick}]; null hides it. */
export function showNotice(message, actions = []) {
  const box = $("notice");
  box.hidden = !message;
  $("notice-text").textContent = message || "";
  $("notice-actions").replaceChildren(...actions.map(({ label, onClick }) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }));
}
