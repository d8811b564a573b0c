// Training charts with uPlot: loss and accuracy per epoch, live or overlaid.
import uPlot from "../vendor/uPlot.esm.js";

import { palette } from "./theme.js";
import { i18n } from "./strings.js";

const SYNC_KEY = "letter-recognizer";
const SERIES = 6; // app.css --series-1 .. --series-6

// Colours are read from the theme when uPlot draws; a theme change redraws every plot
// and recolours its legend's markers (which uPlot colours once, when it makes them).
const colour = (name) => () => palette(name)[name];
const seriesColour = (i) => `series-${(i % SERIES) + 1}`;
document.addEventListener("themechange", () => {
  for (const plot of uPlot.sync(SYNC_KEY).plots) {
    plot.redraw(false, true);
    plot.root.querySelectorAll(".u-legend .u-series").forEach((row, i) => {
      const marker = row.querySelector(".u-marker");
      if (i > 0 && marker) marker.style.borderColor = colour(seriesColour(i - 1))();
    });
  }
});
const axis = (label) => ({
  label, stroke: colour("muted"), grid: { stroke: colour("line") }, ticks: { stroke: colour("line") },
});

function size(el) {
  return { width: Math.max(240, el.clientWidth || 320), height: 180 };
}

/** Epochs are whole numbers: x ticks step by one of these, never by a fraction. */
const EPOCH_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000];

/** A line chart in `el` with named series; returns {set(xs, ...ys), el}. */
export function lineChart(el, names, { yRange = null } = {}) {
  el.replaceChildren();
  const data = [[], ...names.map(() => [])];
  // The legend shows the hovered epoch's values, else the last epoch's (never "--").
  const legendValue = (column, format) => (u, value, sidx, idx) => {
    const shown = idx === null ? data[column].at(-1) : value;
    return shown === null || shown === undefined ? "–" : format(shown);
  };
  const opts = {
    ...size(el),
    legend: { show: true },
    // Every chart has epochs on x, so hovering one shows the same epoch on all of them.
    // The sync group also lists the live plots (uPlot.sync(SYNC_KEY).plots).
    cursor: { sync: { key: SYNC_KEY } },
    scales: { x: { time: false }, y: yRange ? { range: yRange } : {} },
    axes: [{
      ...axis(i18n.t("chart.epoch")),
      incrs: EPOCH_STEPS,
      values: (u, ticks) => {
        el.dataset.xTicks = ticks.join(" "); // what the axis shows, for tests and inspection
        return ticks.map(String);
      },
    }, axis()],
    series: [{ label: i18n.t("chart.epoch"), value: legendValue(0, String) },
      ...names.map((label, i) => ({ label, stroke: colour(seriesColour(i)), width: 2,
        value: legendValue(i + 1, num) }))],
  };
  const plot = new uPlot(opts, [[], ...names.map(() => [])], el);
  const alternative = dataTable(names);
  el.append(alternative.el);
  const show = () => {
    plot.setData(data);
    el.dataset.points = String(data[0].length);
    alternative.show(data);
  };
  return {
    el,
    /** Append one point per series at x. */
    push(x, ...ys) {
      data[0].push(x);
      ys.forEach((y, i) => data[i + 1].push(y ?? null));
      show();
    },
    /** Replace everything: xs and one array per series. */
    set(xs, ...series) {
      data.splice(0, data.length, xs, ...series);
      show();
    },
    destroy: () => plot.destroy(),
  };
}

const num = (v) => (v === null || v === undefined ? "–"
  : i18n.number(v, { minimumFractionDigits: 4, maximumFractionDigits: 4, useGrouping: false }));

/** What a chart shows, for people who cannot see it: a one-line summary (the last epoch)
 * and, one click away, every point as a table. */
function dataTable(names) {
  const el = document.createElement("details");
  el.className = "chart-data";
  const summary = document.createElement("summary");
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const name of [i18n.t("chart.epoch"), ...names]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  el.append(summary, table);
  return {
    el,
    show([xs, ...series]) {
      const last = xs.length - 1;
      summary.textContent = last < 0 ? i18n.t("chart.no_data") : i18n.t("chart.summary", {
        epoch: xs[last], values: names.map((n, i) => `${n} ${num(series[i][last])}`).join("; ") });
      while (body.rows.length > xs.length) body.deleteRow(-1);
      xs.forEach((x, r) => {
        const row = body.rows[r] ?? body.insertRow();
        const cells = [String(x), ...series.map((ys) => num(ys[r]))];
        cells.forEach((text, c) => {
          const cell = row.cells[c] ?? row.insertCell();
          if (cell.textContent !== text) cell.textContent = text;
        });
      });
    },
  };
}
