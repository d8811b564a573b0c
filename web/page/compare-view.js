// Models side by side: two models' settings, metrics and validation-loss curves, and one
// drawing's answers from every model.
import { lineChart } from "./charts.js";
import { $, el, pct } from "./dom.js";
import { handwritingFigure, testFigure } from "./results.js";
import { i18n } from "./strings.js";

/** The answers of every model to one drawing (mlp.predictAll's result) as a table. */
export function answersTable(results) {
  const table = el("table", undefined, "metrics");
  table.createCaption().textContent = i18n.t("compare.every_model");
  const head = table.createTHead().insertRow();
  for (const h of ["compare.model", "compare.letter", "compare.confidence"]) head.append(el("th", i18n.t(h)));
  const body = table.createTBody();
  for (const r of results) {
    const row = body.insertRow();
    row.insertCell().textContent = r.model_version;
    if (r.error) {
      row.insertCell().textContent = "—";
      row.insertCell().textContent = i18n.error(r.error);
      continue;
    }
    row.insertCell().textContent = r.recognized ? r.letter : i18n.t("compare.none_closest", { letter: r.letter });
    row.insertCell().textContent = pct(r.recognized ? r.confidence : r.none_probability);
  }
  return table;
}

/** A setting's value as text: numbers in the page's language, lists comma-separated. */
const setting = (v) => (Array.isArray(v) ? v.map(setting).join(", ")
  : typeof v === "number" ? i18n.number(v, { maximumFractionDigits: 6 }) : String(v));


/** Show models `a` and `b` (summaries) and their training histories side by side;
 * returns the chart (to destroy when replaced). */
export function renderComparison(a, b, ha, hb) {
  const box = $("compare-result");
  box.replaceChildren();
  const table = el("table", undefined, "metrics compare");
  table.createCaption().textContent = i18n.t("compare.side_by_side");
  const head = table.createTHead().insertRow();
  head.append(el("th", ""), el("th", a.version), el("th", b.version));
  const body = table.createTBody();
  const row = (name, x, y) => {
    const tr = body.insertRow();
    const th = el("th", name);
    th.scope = "row";
    tr.append(th);
    tr.insertCell().textContent = x;
    tr.insertCell().textContent = y;
    if (x !== y) tr.className = "differs";
  };
  row(i18n.t("model.handwriting"), handwritingFigure(a).short, handwritingFigure(b).short);
  row(i18n.t("compare.accuracy"), pct(a.accuracy), pct(b.accuracy));
  row(i18n.t("models.col.test"), testFigure(a.test), testFigure(b.test));
  row(i18n.t("compare.macro_f1"), pct(a.metrics.macro_f1 ?? 0), pct(b.metrics.macro_f1 ?? 0));
  row(i18n.t("compare.letters"), a.classes.join(" "), b.classes.join(" "));
  row(i18n.t("compare.layers"), a.architecture.layer_sizes.join("→"), b.architecture.layer_sizes.join("→"));
  const settingRow = (k, x, y) => {
    const label = `setting.${k}.label`;
    row(label in i18n.messages ? i18n.t(label) : k, x === undefined ? "—" : setting(x), y === undefined ? "—" : setting(y));
  };
  for (const k of Object.keys(a.hyperparameters)) settingRow(k, a.hyperparameters[k], b.hyperparameters[k]);
  // The data settings, as each model's dataset_info records them (the settings table's
  // names: every one the page has a label for).
  const data = new Set([...Object.keys(a.dataset_info ?? {}), ...Object.keys(b.dataset_info ?? {})]);
  for (const k of data) {
    if (`setting.${k}.label` in i18n.messages && !(k in a.hyperparameters)) settingRow(k, a.dataset_info?.[k], b.dataset_info?.[k]);
  }
  row(i18n.t("compare.epochs"), String(ha.train_loss.length), String(hb.train_loss.length));
  const figure = el("figure");
  const chart = el("div");
  chart.dataset.testid = "chart-compare";
  figure.append(chart, el("figcaption", i18n.t("compare.chart")));
  box.append(table, figure);
  const la = ha.val_loss, lb = hb.val_loss;
  const n = Math.max(la.length, lb.length);
  const xs = Array.from({ length: n }, (_, i) => i + 1);
  const plot = lineChart(chart, [a.version, b.version]);
  plot.set(xs, xs.map((_, i) => la[i] ?? null), xs.map((_, i) => lb[i] ?? null));
  return plot;
}
