// The Monitoring tab: what the local prediction log says about a model (predictions per
// letter, a confidence histogram, the low-confidence and rejected shares per day), the
// drawings it was unsure about, each labelled (a letter or "none of these") into an
// example or dismissed in one click, and shadow mode: a model run silently beside
// production, and the drawings where the two disagree.
import { $, statusLine, alertLine, el, pct } from "./dom.js";
import { MAX_PREDICTION_LOG, NONE_LABEL } from "../shared/limits.generated.js";
import { i18n, labelName as answerName } from "./strings.js";
import { patternThumb } from "./thumbs.js";


function table(caption, headers, rows, testid) {
  const t = el("table", undefined, "metrics");
  t.createCaption().textContent = caption;
  if (testid) t.dataset.testid = testid;
  const head = t.createTHead().insertRow();
  for (const h of headers) {
    const th = el("th", h);
    th.scope = "col";
    head.append(th);
  }
  const body = t.createTBody();
  for (const cells of rows) {
    const tr = body.insertRow();
    const th = el("th", cells[0]);
    th.scope = "row";
    tr.append(th);
    for (const c of cells.slice(1)) tr.insertCell().append(c);
  }
  return t;
}

/** `t` in a box that scrolls sideways on a narrow screen or with large text, not the page. */
function scrolls(t) {
  const box = el("div", undefined, "table-wrap");
  box.append(t);
  return box;
}

/** A bar as wide as `share` of the cell, with the number beside it. */
function barCell(n, share) {
  const wrap = el("span", undefined, "hbar");
  const b = el("span", undefined, "hbar-fill");
  b.style.width = `${Math.round(share * 100)}%`;
  wrap.append(b, el("span", String(n)));
  return wrap;
}

function renderSummary(box, s) {
  box.replaceChildren();
  const head = el("p");
  head.dataset.testid = "monitoring-count";
  if (!s.predictions) {
    head.textContent = i18n.t("monitoring.none_logged");
    box.append(head);
    return;
  }
  head.textContent = i18n.t("monitoring.count", { count: s.predictions, low: pct(s.low_confidence_share), threshold: pct(s.threshold) });
  const total = s.predictions;
  const letters = Object.entries(s.per_letter).map(([a, n]) => [answerName(a), barCell(n, n / total)]);
  const { edges, counts } = s.confidence_histogram;
  const most = Math.max(...counts, 1);
  const bins = counts.map((n, i) => [`${pct(edges[i])}–${pct(edges[i + 1])}`, barCell(n, n / most)]);
  const days = s.over_time.map((d) => [i18n.day(d.day), String(d.predictions), pct(d.low_confidence_share), pct(d.rejected_share)]);
  box.append(head,
    scrolls(table(i18n.t("monitoring.answers"), [i18n.t("monitoring.answer"), i18n.t("monitoring.predictions")], letters, "monitoring-letters")),
    scrolls(table(i18n.t("monitoring.histogram"), [i18n.t("compare.confidence"), i18n.t("monitoring.predictions")], bins, "monitoring-histogram")),
    scrolls(table(i18n.t("monitoring.per_day"), [i18n.t("monitoring.day"), i18n.t("monitoring.predictions"), i18n.t("monitoring.low"), i18n.t("monitoring.rejected")], days, "monitoring-days")));
  const { labelled, dismissed } = s.reviewed;
  if (labelled || dismissed) {
    const reviewed = el("p", i18n.t("monitoring.reviewed", { labelled, dismissed }), "note");
    reviewed.dataset.testid = "monitoring-reviewed";
    box.append(reviewed);
  }
}

/** How often each shadow model disagreed with production. */
function renderShadow(box, s) {
  box.replaceChildren(...s.shadow.map((x) => {
    const p = el("p", i18n.t("monitoring.shadow_summary", { model: x.model, count: x.compared, disagreements: x.disagreements, share: pct(x.disagreement_share) }));
    p.dataset.testid = "monitoring-shadow-count";
    return p;
  }));
}

/** One drawing to review: its thumbnail, what was answered, and a button per letter,
 * "none of these" and "dismiss", each a 44 px touch target. */
/** A logged drawing with a button per letter, None and Dismiss; `evidence`: labelling it
 * makes a test drawing (a disagreement with the shadow model) rather than a training one. */
function reviewItem(u, known, { label, dismiss }, evidence = false) {
  const li = el("li");
  const when = i18n.date(u.at);
  li.append(patternThumb(u.pattern, { label: i18n.t("monitoring.drawing", { answer: answerName(u.answer), when }) }),
    el("span", `${answerName(u.answer)}, ${pct(u.confidence)}`));
  if (u.shadow) li.append(el("span", i18n.t("monitoring.shadow_answer", { model: u.shadow.model, answer: answerName(u.shadow.answer) }), "note"));
  const buttons = el("div", undefined, "label-buttons");
  const button = (text, name, onClick) => {
    const b = el("button", text);
    b.type = "button";
    b.setAttribute("aria-label", name);
    b.addEventListener("click", onClick);
    buttons.append(b);
  };
  for (const letter of known) button(letter, i18n.t("monitoring.label_as", { id: u.id, letter }), () => label(u, letter, evidence));
  button(i18n.t("monitoring.none_button"), i18n.t("monitoring.label_none", { id: u.id }), () => label(u, NONE_LABEL, evidence));
  button(i18n.t("monitoring.dismiss_button"), i18n.t("monitoring.dismiss_as", { id: u.id }), () => dismiss(u));
  li.append(buttons);
  return li;
}

/** Wire the Monitoring tab. `monitoring` is window.mlp.monitoring; `letters()` the
 * letters an example can have; `models()` the registry's models (summaries). */
export function setupMonitoring({ monitoring, letters, models }) {
  $("monitoring-privacy").textContent = i18n.t("monitoring.privacy", { max: i18n.number(MAX_PREDICTION_LOG) });
  const status = statusLine("monitoring-status");
  const { guard } = alertLine("monitoring-error");

  const panel = $("panel-monitoring");
  async function refresh() {
    panel.setAttribute("aria-busy", "true"); // until everything below is shown
    try {
      await render();
    } finally {
      panel.setAttribute("aria-busy", "false");
    }
  }

  async function render() {
    const select = $("monitoring-model");
    const list = await models();
    const chosen = select.value;
    select.replaceChildren(new Option(i18n.t("models.production"), ""), new Option(i18n.t("models.every"), "*"),
      ...list.map((m) => new Option(m.version, m.version)));
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
    const version = select.value || null;
    const [enabled, summary, unsure, known, shadow, disagreements, productionSummary] = await Promise.all([
      monitoring.enabled(), monitoring.summary(version), monitoring.unsure(version), letters(),
      monitoring.shadow(), monitoring.disagreements(), version === null ? null : monitoring.summary(null)]);
    $("monitoring-enabled").checked = enabled;
    renderSummary($("monitoring-summary"), summary);
    const actions = {
      // A disagreement, once labelled, is a test drawing: evidence for the gate.
      label: guard(async (u, letter, evidence) => {
        await monitoring.label(u.id, letter, { split: evidence ? "test" : null });
        status(i18n.t(evidence ? "monitoring.labelled_test" : "monitoring.labelled", { letter: answerName(letter) }));
        await refresh();
      }),
      dismiss: guard(async (u) => {
        await monitoring.dismiss(u.id);
        status(i18n.t("monitoring.dismissed"));
        await refresh();
      }),
    };
    const items = $("monitoring-unsure");
    items.replaceChildren(...unsure.map((u) => reviewItem(u, known, actions)));
    if (!unsure.length) items.append(el("li", i18n.t("monitoring.none_unsure")));

    const shadowSelect = $("monitoring-shadow");
    const production = list.find((m) => m.is_production)?.version;
    shadowSelect.replaceChildren(new Option(i18n.t("monitoring.shadow_off"), ""),
      ...list.filter((m) => m.version !== production).map((m) => new Option(m.version, m.version)));
    shadowSelect.value = shadow && [...shadowSelect.options].some((o) => o.value === shadow) ? shadow : "";
    renderShadow($("monitoring-shadow-summary"), productionSummary ?? summary); // shadow stats are production's
    const disagreeing = $("monitoring-disagreements");
    disagreeing.replaceChildren(...disagreements.map((u) => reviewItem(u, known, actions, true)));
    if (!disagreements.length) disagreeing.append(el("li", i18n.t("monitoring.no_disagreements")));
  }

  $("monitoring-shadow").addEventListener("change", guard(async (e) => {
    const version = e.target.value || null;
    await monitoring.setShadow(version);
    status(version ? i18n.t("monitoring.shadow_on", { version }) : i18n.t("monitoring.shadow_stopped"));
    await refresh();
  }));

  $("monitoring-model").addEventListener("change", guard(refresh));
  $("monitoring-enabled").addEventListener("change", guard(async (e) => {
    await monitoring.enabled(e.target.checked);
    status(i18n.t(e.target.checked ? "monitoring.on" : "monitoring.off"));
  }));
  $("monitoring-clear").addEventListener("click", guard(async () => {
    await monitoring.clear();
    status(i18n.t("monitoring.cleared"));
    await refresh();
  }));
  return { refresh: guard(refresh) };
}
