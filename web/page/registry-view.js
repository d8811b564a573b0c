// The Models tab: sortable registry table filtered by tag, promote (gated)/roll back/
// delete, details, compare, export/import/reset, and the production timeline.
import { answersTable, renderComparison } from "./compare-view.js";
import { ask } from "./ask.js";
import { $, statusLine, alertLine, download as offer, el, pct } from "./dom.js";
import { MAX_BUNDLE_BYTES } from "../shared/limits.generated.js";
import { editDetails } from "./model-details.js";
import { exportModel, importSkops, isSkops } from "./export-view.js";
import { promoteWithGate, renderTimeline, rollBack } from "./production-view.js";
import { confusionTable, handwritingFigure, perClassTable, testFigure } from "./results.js";
import { i18n } from "./strings.js";

/** Ask before something that cannot be undone; resolves true if confirmed. */
export async function confirmAction(text) {
  return (await ask({ title: text, confirm: i18n.t("action.confirm"), danger: true })).ok;
}

/** Offer `data` (an object) as a JSON file download. */
const download = (data, name) => offer(JSON.stringify(data), name);

const architecture = (m) => `${m.architecture.layer_sizes.join("→")} ${m.architecture.activation}`;


/** A model on the test drawings: accuracy, per letter and the confusion matrix. */
function showTestResults({ version, test }) {
  const box = $("test-result");
  const where = i18n.t("models.where_test");
  const head = el("p");
  head.append(el("strong", version), " ", test.n
    ? i18n.t("models.test_result", { count: test.n, p: pct(test.accuracy) })
    : i18n.t("models.test_none"));
  box.replaceChildren(head);
  if (test.n) {
    const metrics = { per_class: test.per_class, labels: test.labels, confusion_matrix: test.confusion };
    box.append(perClassTable(metrics, where), confusionTable(metrics, where));
  }
}

/** A button labelled `label` for screen readers, doing `onClick`. */
function button(text, label, onClick) {
  const b = el("button", text);
  b.type = "button";
  b.setAttribute("aria-label", label);
  b.addEventListener("click", onClick);
  return b;
}

/** The buttons that act on model `m`: promote, details, test results, card, export,
 * delete (`deleted(version)` is told), each guarded by the panel's error line. */
function modelActions(m, { registry, evaluate, modelCard, guard, status, deleted }) {
  const actions = el("div", undefined, "actions");
  const act = (key, labelKey, fn) => actions.append(button(i18n.t(key), i18n.t(labelKey, { version: m.version }), guard(fn)));
  if (!m.is_production) {
    act("gate.promote", "models.promote_one", async () => {
      if (await promoteWithGate(registry, m.version)) status(i18n.t("damaged.promoted", { version: m.version }));
    });
  }
  act("models.details", "models.details_of", async () => {
    if (await editDetails(m, registry.update)) status(i18n.t("models.details_saved", { version: m.version }));
  });
  act("models.test_results", "models.test_results_of", async () => showTestResults(await evaluate(m.version)));
  act("models.card", "models.card_of", async () => offer(await modelCard(m.version), `${m.version}.md`, "text/markdown"));
  act("models.export", "models.export_one", () => exportModel(registry, m.version));
  if (!m.is_production) {
    act("models.delete", "models.delete_one", async () => {
      if (!(await confirmAction(i18n.t("models.delete_confirm", { version: m.version })))) return;
      await registry.delete(m.version);
      deleted(m.version);
      status(i18n.t("models.deleted", { version: m.version }));
    });
  }
  return actions;
}

/** Add model `m`'s row to `body`: a compare checkbox (`picked(version, on)`), its
 * version, tags and notes, dates, figures (real handwriting first), architecture,
 * production mark, `actions`. */
function addModelRow(body, m, { isPicked, picked, actions }) {
  const tr = body.insertRow();
  tr.setAttribute("role", "row");
  const td = () => {
    const cell = tr.insertCell();
    cell.setAttribute("role", "cell");
    return cell;
  };
  tr.dataset.version = m.version;
  const pick = el("input");
  pick.type = "checkbox";
  pick.checked = isPicked;
  pick.setAttribute("aria-label", i18n.t("models.compare_one", { version: m.version }));
  pick.addEventListener("change", () => picked(m.version, pick.checked));
  td().append(pick);
  const th = el("th", m.version);
  th.setAttribute("role", "rowheader");
  th.scope = "row";
  for (const t of m.tags) th.append(" ", el("span", t, "tag"));
  if (m.notes) th.title = m.notes;
  tr.append(th);
  // Each cell names its column (data-label): on a phone the rows become cards.
  const cell = (labelKey, text) => {
    const c = td();
    c.textContent = text;
    c.dataset.label = i18n.t(labelKey);
    return c;
  };
  cell("models.col.created", i18n.date(m.created_at));
  cell("models.col.handwriting", handwritingFigure(m).short).dataset.testid = "handwriting";
  cell("models.col.validation", pct(m.accuracy));
  cell("models.col.test", testFigure(m.test)).dataset.testid = "test-accuracy";
  cell("models.col.architecture", architecture(m));
  td().textContent = m.is_production ? `★ ${i18n.t("models.production")}` : "";
  td().append(actions);
}

/** The tools above the table: export all, import a file, reset to the default models,
 * run the drawing through every model. */
function wireTools({ registry, predictAll, currentPattern, guard, status, onReset }) {
  $("export-all").addEventListener("click", guard(async () => {
    download(await registry.export(), "letter-recognizer-registry.json");
  }));
  $("import-file").addEventListener("change", guard(async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    if (file.size > MAX_BUNDLE_BYTES) {
      throw new Error(i18n.t("models.too_big", { name: file.name, mb: Math.round(file.size / 1e6), max: MAX_BUNDLE_BYTES / 1e6 }));
    }
    try {
      const report = await ((await isSkops(file)) ? importSkops(registry, file) : registry.import(await file.text()));
      status(i18n.t("models.imported", { count: report.imported.length }) + (report.skipped.length ? ` ${i18n.t("models.skipped", { count: report.skipped.length })}` : ""));
    } catch (err) {
      throw new Error(i18n.t("models.not_imported", { name: file.name, error: err.message }), { cause: err });
    }
  }));
  $("reset").addEventListener("click", guard(async () => {
    if (!(await confirmAction(i18n.t("models.reset_confirm")))) return;
    await registry.reset();
    onReset();
    status(i18n.t("models.reset_done"));
  }));
  $("run-all").addEventListener("click", guard(async () => {
    const pattern = currentPattern();
    if (!pattern) throw new Error(i18n.t("error.grid_empty"));
    $("run-all-result").replaceChildren(answersTable(await predictAll(pattern)));
  }));
}

/** The tag filter offers every tag in use; a filter on a tag no longer used is dropped. */
function renderTagFilter(models) {
  const select = $("tag-filter");
  const tags = [...new Set(models.flatMap((m) => m.tags))].sort();
  const chosen = tags.includes(select.value) ? select.value : "";
  select.replaceChildren(new Option(i18n.t("models.every"), ""), ...tags.map((t) => new Option(i18n.t("models.tagged", { tag: t }), t)));
  select.value = chosen;
}

/** Wire the Models tab. Its table shows what `refresh()` last read from the registry
 * (called on every "registry-changed"); it keeps no other copy. */
export function setupRegistry({ registry, predictAll, evaluate, evaluateAll, modelCard, currentPattern }) {
  let models = [];
  let sortKey = "created_at";
  let ascending = false;
  const selected = new Set();
  const status = statusLine("models-status");
  const { guard } = alertLine("models-error");
  const sortValue = (m) => (sortKey === "architecture" ? architecture(m)
    : sortKey === "test_accuracy" ? m.test?.accuracy ?? -1
      : sortKey === "handwriting" ? handwritingFigure(m).right : m[sortKey]);

  const picked = (version, on) => {
    if (on) selected.add(version); else selected.delete(version);
    $("compare").disabled = selected.size !== 2;
  };
  const deps = { registry, evaluate, modelCard, guard, status, deleted: (v) => selected.delete(v) };

  function render() {
    const body = $("models-table").tBodies[0];
    body.replaceChildren();
    const tag = $("tag-filter").value;
    const rows = models.filter((m) => !tag || m.tags.includes(tag)).sort((a, b) => {
      const x = sortValue(a), y = sortValue(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    for (const m of rows) addModelRow(body, m, { isPicked: selected.has(m.version), picked, actions: modelActions(m, deps) });
    $("compare").disabled = selected.size !== 2;
    for (const b of document.querySelectorAll("#models-table [data-sort]")) {
      b.parentElement.setAttribute("aria-sort", b.dataset.sort === sortKey ? (ascending ? "ascending" : "descending") : "none");
    }
  }

  for (const b of document.querySelectorAll("#models-table [data-sort]")) {
    b.addEventListener("click", () => {
      [ascending, sortKey] = [b.dataset.sort === sortKey ? !ascending : true, b.dataset.sort];
      render();
    });
  }
  $("tag-filter").addEventListener("change", render);
  $("rollback").addEventListener("click", guard(async () => {
    const back = await rollBack(registry, models.find((m) => m.is_production)?.version);
    if (back) status(i18n.t("rollback.done", { version: back }));
  }));
  wireTools({ registry, predictAll, currentPattern, guard, status, onReset: () => selected.clear() });
  let comparison = null; // the comparison chart on screen, destroyed when replaced
  $("compare").addEventListener("click", guard(async () => {
    const [a, b] = [...selected].map((v) => models.find((m) => m.version === v));
    const [ha, hb] = await Promise.all([a, b].map((m) => registry.trainingHistory(m.version)));
    comparison?.destroy();
    comparison = renderComparison(a, b, ha, hb);
  }));

  return {
    async refresh() {
      // Without the test drawings (e.g. examples that cannot be read) the table still
      // lists every model; its test cells say why.
      const [list, tests, events] = await Promise.all([registry.list(), evaluateAll().then(
        (all) => Object.fromEntries(all.map((t) => [t.version, t])),
        (err) => ({ failed: { error: err.message } })), registry.history()]);
      models = list.map((m) => ({ ...m, test: tests.failed ?? tests[m.version] }));
      for (const v of [...selected]) if (!models.some((m) => m.version === v)) selected.delete(v);
      renderTagFilter(models);
      render();
      renderTimeline($("timeline"), events);
    },
  };
}
