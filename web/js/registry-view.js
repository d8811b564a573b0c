// The Models tab: sortable registry table filtered by tag, promote (gated)/roll back/
// delete, details, compare, export/import/reset, and the production timeline.
import { answersTable, renderComparison } from "./compare-view.js";
import { $, alertLine, download as offer, el, pct } from "./dom.js";
import { MAX_BUNDLE_BYTES } from "./limits.js";
import { editDetails } from "./model-details.js";
import { promoteWithGate, renderTimeline, rollBack } from "./production-view.js";
import { confusionTable, perClassTable } from "./results.js";

/** Ask before something that cannot be undone; resolves true if confirmed. */
export function confirmAction(text) {
  const dialog = $("confirm");
  $("confirm-text").textContent = text;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}

/** Offer `data` (an object) as a JSON file download. */
const download = (data, name) => offer(JSON.stringify(data), name);

const architecture = (m) => `${m.architecture.layer_sizes.join("→")} ${m.architecture.activation}`;

/** "97.3% (n=12)" for a model's accuracy on the test drawings; why not, otherwise. */
function testCell(t) {
  if (!t) return "…";
  if (t.error) return `unavailable: ${t.error}`;
  return t.n ? `${pct(t.accuracy)} (n=${t.n})` : "no test drawings";
}

/** A model on the test drawings: accuracy, per letter and the confusion matrix. */
function showTestResults({ version, test }) {
  const box = $("test-result");
  const where = "your test drawings";
  const head = el("p");
  head.append(el("strong", version), test.n
    ? ` on ${test.n} test drawing(s): ${pct(test.accuracy)} right.`
    : " has no test drawings to be judged on: add examples (My data); about 30% of each letter's become test drawings.");
  box.replaceChildren(head);
  if (test.n) {
    const metrics = { per_class: test.per_class, labels: test.labels, confusion_matrix: test.confusion };
    box.append(perClassTable(metrics, where), confusionTable(metrics, where));
  }
}

export function setupRegistry({ registry, predictAll, evaluate, evaluateAll, modelCard, currentPattern }) {
  let models = [];
  let sortKey = "created_at";
  let ascending = false;
  const selected = new Set();
  const status = (text) => { $("models-status").textContent = text; };
  const { guard } = alertLine("models-error");

  function sortValue(m) {
    if (sortKey === "architecture") return architecture(m);
    if (sortKey === "test_accuracy") return m.test?.accuracy ?? -1;
    return m[sortKey];
  }

  /** The tag filter offers every tag in use; a filter on a tag no longer used is dropped. */
  function renderTagFilter() {
    const select = $("tag-filter");
    const tags = [...new Set(models.flatMap((m) => m.tags))].sort();
    const chosen = tags.includes(select.value) ? select.value : "";
    select.replaceChildren(new Option("every model", ""), ...tags.map((t) => new Option(`models tagged “${t}”`, t)));
    select.value = chosen;
  }

  function render() {
    const body = $("models-table").tBodies[0];
    body.replaceChildren();
    const tag = $("tag-filter").value;
    const rows = models.filter((m) => !tag || m.tags.includes(tag)).sort((a, b) => {
      const x = sortValue(a), y = sortValue(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    for (const m of rows) {
      const tr = body.insertRow();
      tr.dataset.version = m.version;
      const pick = el("input");
      pick.type = "checkbox";
      pick.checked = selected.has(m.version);
      pick.setAttribute("aria-label", `compare ${m.version}`);
      pick.addEventListener("change", () => {
        if (pick.checked) selected.add(m.version); else selected.delete(m.version);
        $("compare").disabled = selected.size !== 2;
      });
      tr.insertCell().append(pick);
      const th = el("th", m.version);
      th.scope = "row";
      for (const t of m.tags) th.append(" ", el("span", t, "tag"));
      if (m.notes) th.title = m.notes;
      tr.append(th);
      tr.insertCell().textContent = new Date(m.created_at).toLocaleString();
      tr.insertCell().textContent = pct(m.accuracy);
      const test = tr.insertCell();
      test.textContent = testCell(m.test);
      test.dataset.testid = "test-accuracy";
      tr.insertCell().textContent = architecture(m);
      tr.insertCell().textContent = m.is_production ? "★ production" : "";
      const actions = el("div", undefined, "actions");
      tr.insertCell().append(actions);
      if (!m.is_production) {
        actions.append(button("Promote", `promote ${m.version}`, guard(async () => {
          if (await promoteWithGate(registry, m.version)) status(`${m.version} is now in production.`);
        })));
      }
      actions.append(button("Details", `details of ${m.version}`, guard(async () => {
        if (await editDetails(m, registry.update)) status(`Saved the notes and tags of ${m.version}.`);
      })));
      actions.append(button("Test results", `test results of ${m.version}`, guard(async () => {
        showTestResults(await evaluate(m.version));
      })));
      actions.append(button("Model card", `model card of ${m.version}`, guard(async () => {
        offer(await modelCard(m.version), `${m.version}.md`, "text/markdown");
      })));
      actions.append(button("Export", `export ${m.version}`, guard(async () => {
        download(await registry.export([m.version]), `${m.version}.json`);
      })));
      if (!m.is_production) {
        actions.append(button("Delete", `delete ${m.version}`, guard(async () => {
          if (!(await confirmAction(`Delete model ${m.version}? This cannot be undone.`))) return;
          await registry.delete(m.version);
          selected.delete(m.version);
          status(`Deleted ${m.version}.`);
        })));
      }
    }
    $("compare").disabled = selected.size !== 2;
    for (const b of document.querySelectorAll("#models-table [data-sort]")) {
      const th = b.parentElement;
      th.setAttribute("aria-sort", b.dataset.sort === sortKey ? (ascending ? "ascending" : "descending") : "none");
    }
  }

  function button(text, label, onClick) {
    const b = el("button", text);
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }

  for (const b of document.querySelectorAll("#models-table [data-sort]")) {
    b.addEventListener("click", () => {
      ascending = b.dataset.sort === sortKey ? !ascending : true;
      sortKey = b.dataset.sort;
      render();
    });
  }

  $("tag-filter").addEventListener("change", render);
  $("rollback").addEventListener("click", guard(async () => {
    const current = models.find((m) => m.is_production)?.version;
    const back = await rollBack(registry, current);
    if (back) status(`Rolled back: ${back} is in production again.`);
  }));

  $("export-all").addEventListener("click", guard(async () => {
    download(await registry.export(), "letter-recognizer-registry.json");
  }));
  $("import-file").addEventListener("change", guard(async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    if (file.size > MAX_BUNDLE_BYTES) {
      throw new Error(`${file.name} is ${(file.size / 1e6).toFixed(0)} MB; bundles are limited to ${MAX_BUNDLE_BYTES / 1e6} MB. Nothing changed.`);
    }
    try {
      const report = await registry.import(await file.text());
      status(`Imported ${report.imported.length} model(s)` + (report.skipped.length ? `, skipped ${report.skipped.length} already present.` : "."));
    } catch (err) {
      throw new Error(`${file.name} was not imported, nothing changed: ${err.message}`);
    }
  }));
  $("reset").addEventListener("click", guard(async () => {
    if (!(await confirmAction("Replace every model with the default models? Models you trained will be deleted (export them first if you want to keep them)."))) return;
    await registry.reset();
    selected.clear();
    status("The registry is back to the default models.");
  }));
  $("run-all").addEventListener("click", guard(async () => {
    const pattern = currentPattern();
    if (!pattern) throw new Error("The grid is empty: draw a letter first.");
    $("run-all-result").replaceChildren(answersTable(await predictAll(pattern)));
  }));
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
      renderTagFilter();
      render();
      renderTimeline($("timeline"), events);
    },
  };
}
