// The Monitoring tab: what the local prediction log says about a model (predictions per
// letter, a confidence histogram, the low-confidence share per day) and the drawings it
// was unsure about, each labelled into an example in one click.
import { $, alertLine, el, pct } from "./dom.js";
import { MAX_PREDICTION_LOG } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";
import { patternThumb } from "./thumbs.js";

const NONE = "(none)";
const answerName = (a) => (a === NONE ? i18n.t("result.none_of_these") : a);

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
  const days = s.over_time.map((d) => [i18n.day(d.day), String(d.predictions), pct(d.low_confidence_share)]);
  box.append(head,
    table(i18n.t("monitoring.answers"), [i18n.t("monitoring.answer"), i18n.t("monitoring.predictions")], letters, "monitoring-letters"),
    table(i18n.t("monitoring.histogram"), [i18n.t("compare.confidence"), i18n.t("monitoring.predictions")], bins, "monitoring-histogram"),
    table(i18n.t("monitoring.per_day"), [i18n.t("monitoring.day"), i18n.t("monitoring.predictions"), i18n.t("monitoring.low")], days, "monitoring-days"));
}

/** Wire the Monitoring tab. `monitoring` is window.mlp.monitoring; `letters()` the
 * letters an example can have; `models()` the registry's models (summaries). */
export function setupMonitoring({ monitoring, letters, models }) {
  $("monitoring-privacy").textContent = i18n.t("monitoring.privacy", { max: i18n.number(MAX_PREDICTION_LOG) });
  const status = (text) => { $("monitoring-status").textContent = text; };
  const { guard } = alertLine("monitoring-error");

  async function refresh() {
    const select = $("monitoring-model");
    const list = await models();
    const chosen = select.value;
    select.replaceChildren(new Option(i18n.t("models.production"), ""), new Option(i18n.t("models.every"), "*"),
      ...list.map((m) => new Option(m.version, m.version)));
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
    const version = select.value || null;
    const [enabled, summary, unsure, known] = await Promise.all([
      monitoring.enabled(), monitoring.summary(version), monitoring.unsure(version), letters()]);
    $("monitoring-enabled").checked = enabled;
    renderSummary($("monitoring-summary"), summary);
    const items = $("monitoring-unsure");
    items.replaceChildren();
    if (!unsure.length) items.append(el("li", i18n.t("monitoring.none_unsure")));
    for (const u of unsure) {
      const li = el("li");
      const when = i18n.date(u.at);
      li.append(patternThumb(u.pattern, { label: i18n.t("monitoring.drawing", { answer: answerName(u.answer), when }) }),
        el("span", `${answerName(u.answer)}, ${pct(u.confidence)}`));
      const buttons = el("div", undefined, "label-buttons");
      for (const letter of known) {
        const b = el("button", letter);
        b.type = "button";
        b.setAttribute("aria-label", i18n.t("monitoring.label_as", { id: u.id, letter }));
        b.addEventListener("click", guard(async () => {
          await monitoring.label(u.id, letter);
          status(i18n.t("monitoring.labelled", { letter }));
          await refresh();
        }));
        buttons.append(b);
      }
      li.append(buttons);
      items.append(li);
    }
  }

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
