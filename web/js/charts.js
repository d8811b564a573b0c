// Training charts with uPlot: loss and accuracy per epoch, live or overlaid.
import uPlot from "../vendor/uPlot.esm.js";

const SYNC_KEY = "letter-recognizer";
const COLORS = ["#3056d3", "#e0663a", "#1e8e4e", "#9b3fd1", "#b7791f", "#c53030"];

function size(el) {
  return { width: Math.max(240, el.clientWidth || 320), height: 180 };
}

/** A line chart in `el` with named series; returns {set(xs, ...ys), el}. */
export function lineChart(el, names, { yRange = null } = {}) {
  el.replaceChildren();
  const opts = {
    ...size(el),
    legend: { show: true },
    // Every chart has epochs on x, so hovering one shows the same epoch on all of them.
    // The sync group also lists the live plots (uPlot.sync(SYNC_KEY).plots).
    cursor: { sync: { key: SYNC_KEY } },
    scales: { x: { time: false }, y: yRange ? { range: yRange } : {} },
    axes: [{ label: "epoch" }, {}],
    series: [{}, ...names.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 2 }))],
  };
  const plot = new uPlot(opts, [[], ...names.map(() => [])], el);
  const data = [[], ...names.map(() => [])];
  return {
    el,
    /** Append one point per series at x. */
    push(x, ...ys) {
      data[0].push(x);
      ys.forEach((y, i) => data[i + 1].push(y ?? null));
      plot.setData(data);
      el.dataset.points = String(data[0].length);
    },
    /** Replace everything: xs and one array per series. */
    set(xs, ...series) {
      data.splice(0, data.length, xs, ...series);
      plot.setData(data);
      el.dataset.points = String(xs.length);
    },
    destroy: () => plot.destroy(),
  };
}
