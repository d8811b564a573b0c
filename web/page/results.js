// Metrics display shared by the training and comparison views.
import { el, pct } from "./dom.js";
import { i18n, labelName } from "./strings.js";

/** "97.3% (n=12)" for a model's accuracy on the test drawings; why not, otherwise. */
export function testFigure(t) {
  if (!t) return "…";
  if (t.error) return i18n.t("models.unavailable", { error: i18n.error(t.error) });
  return t.n ? `${pct(t.accuracy)} (n=${t.n})` : i18n.t("models.no_test");
}

/** A model's figure on real handwriting by writers it never saw (metrics.handwriting):
 * `short` ("91.0%") for tables, `long` saying what was measured for its facts, and
 * `right` to sort by; "—" and why when there is none (imported, trained before it was
 * measured, or none of its letters is in the handwriting). */
export function handwritingFigure({ metrics = {}, dataset_info: data = {} }) {
  const h = metrics.handwriting;
  const why = data.source === "imported" ? "model.handwriting_imported"
    : typeof h?.right === "number" ? null : h === null ? "model.handwriting_no_letters" : "model.handwriting_old";
  if (why) {
    const text = `— ${i18n.t(why)}`;
    return { short: text, long: text, right: -1 };
  }
  const long = i18n.t("model.handwriting_value", { p: pct(h.right), letters: Object.keys(h.by_letter ?? {}), count: h.writers });
  return { short: pct(h.right), long, right: h.right };
}

/** Per-class precision / recall / F1 / support as a table. */
export function perClassTable(metrics, where = i18n.t("results.validation_set")) {
  const table = el("table", undefined, "metrics");
  table.createCaption().textContent = i18n.t("results.per_letter", { where });
  const head = table.createTHead().insertRow();
  for (const h of ["compare.letter", "results.precision", "results.recall", "results.f1", "results.examples"]) {
    const th = el("th", i18n.t(h));
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  // A share of nothing is no figure: "—", with the reason under the table.
  const { labels = [], confusion_matrix: cm = [] } = metrics;
  const readAs = (letter) => cm.reduce((n, row) => n + (row[labels.indexOf(letter)] ?? 0), 0);
  const reasons = new Set();
  const dash = (reason) => (reasons.add(reason), "—");
  for (const [letter, m] of Object.entries(metrics.per_class)) {
    const row = body.insertRow();
    const th = el("th", labelName(letter));
    th.scope = "row";
    row.append(th);
    const noExamples = m.support === 0;
    const neverRead = labels.includes(letter) && readAs(letter) === 0;
    const cells = [neverRead ? dash("results.never_read") : pct(m.precision),
      noExamples ? dash("results.no_examples") : pct(m.recall),
      noExamples || neverRead ? "—" : pct(m.f1), String(m.support)];
    for (const v of cells) row.insertCell().textContent = v;
  }
  if (!reasons.size) return table;
  const box = el("div");
  box.append(table, ...[...reasons].map((key) => el("p", i18n.t(key), "note")));
  return box;
}

/** The confusion matrix as a heat-map table: rows are true letters, columns predictions. */
export function confusionTable(metrics, where = i18n.t("results.validation_set")) {
  const { labels, confusion_matrix: cm } = metrics;
  const table = el("table", undefined, "confusion");
  table.dataset.testid = "confusion-matrix";
  table.createCaption().textContent = i18n.t("results.confusion", { where });
  const head = table.createTHead().insertRow();
  head.append(el("th", ""));
  for (const l of labels) {
    const th = el("th", labelName(l));
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  cm.forEach((counts, i) => {
    const row = body.insertRow();
    const th = el("th", labelName(labels[i]));
    th.scope = "row";
    row.append(th);
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    counts.forEach((n, j) => {
      const cell = row.insertCell();
      cell.textContent = String(n);
      const share = n / total;
      // Right answers in the theme's first series colour, mistakes in its error colour.
      const colour = i === j ? "var(--series-1)" : "var(--bad)";
      cell.style.backgroundColor = `color-mix(in srgb, ${colour} ${Math.round(8 + 80 * share)}%, transparent)`;
      if (share > 0.5) cell.style.color = "var(--accent-ink)";
      cell.setAttribute("aria-label", i18n.t("results.cell", { count: n, truth: labelName(labels[i]), predicted: labelName(labels[j]) }));
    });
  });
  return table;
}

