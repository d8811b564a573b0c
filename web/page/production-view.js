// Changing production, with the evidence in view: promotion gated on the person's test
// drawings (champion against challenger), rollback, and the production timeline.
import { el, pct } from "./dom.js";
import { MAX_NOTE_CHARS } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";
import { gateReason, gateWarning } from "../shared/gate-reason.js";
import { ask } from "./ask.js";

/** How production changed (the history's "how", mlp_core/registry/history.py HOW,
 * worded as `how.<kind>`); a kind this version does not know is shown as it is. */
const howChanged = (how) => (`how.${how}` in i18n.messages ? i18n.t(`how.${how}`) : how);

/** "+4.2 points" / "−1.0 points" / "±0", or "—" when either side is missing. */
function points(d) {
  if (d === null || d === undefined) return "—";
  if (Math.abs(d) < 5e-4) return "±0";
  const size = i18n.number(Math.abs(d * 100), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return i18n.t("gate.points", { points: `${d > 0 ? "+" : "−"}${size}` });
}

/** A share with its count and 95% interval: "91.7% (n=12, 64.6–98.5%)". */
function figure(share) {
  if (share.rate === null || share.rate === undefined) return "—";
  const interval = share.interval ? `, ${pct(share.interval[0])}–${pct(share.interval[1])}` : "";
  return `${pct(share.rate)} (n=${share.n}${interval})`;
}

/** The rows of the gate table: what each model did, as {rate, n, interval} shares. */
const ROWS = [
  ["gate.test", (side) => ({ ...side.test, rate: side.test.accuracy }), "test"],
  ["gate.rejection", (side) => side.rejection, "rejection"],
  ["gate.validation", (side) => side.gate_validation, "gate_validation"],
];

/** Champion against challenger on the test drawings, non-letters and the gate's
 * validation set, with the difference. */
export function gateTable({ champion, challenger, difference }) {
  const table = el("table", undefined, "metrics gate");
  table.dataset.testid = "gate-table";
  table.createCaption().textContent = i18n.t("gate.caption");
  const head = table.createTHead().insertRow();
  for (const h of ["", i18n.t("gate.production", { version: champion.version }),
    i18n.t("gate.candidate", { version: challenger.version }), i18n.t("gate.difference")]) {
    const th = el("th", h);
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  for (const [name, share, key] of ROWS) {
    const tr = body.insertRow();
    const th = el("th", i18n.t(name));
    th.scope = "row";
    tr.append(th);
    const d = difference[key];
    for (const text of [figure(share(champion)), figure(share(challenger)), points(d)]) tr.insertCell().textContent = text;
    if (d < 0) tr.className = "worse";
  }
  return table;
}

/** Each criterion's message (mlp_core/service/gate.py CRITERIA). */
const CRITERION = { test: "gate.criterion.test", rejection: "gate.criterion.rejection",
  validation: "gate.criterion.validation" };
/** Each verdict's lead (gate.py VERDICTS). */
const VERDICT = { better: "gate.better", equal: "gate.equal", unsure: "gate.unsure",
  worse: "gate.worse", untested: "gate.untested" };

/** Each criterion of the gate, passed or failed, as a list. */
export function gateCriteria(gate) {
  const list = el("ul", undefined, "criteria");
  list.dataset.testid = "gate-criteria";
  list.setAttribute("aria-label", i18n.t("gate.criteria"));
  const n = { test: gate.evidence.n, rejection: gate.challenger.rejection.n,
    validation: gate.challenger.gate_validation.n };
  for (const c of gate.criteria) {
    const limit = i18n.number(c.limit * 100, { maximumFractionDigits: 1 });
    const alpha = i18n.number(c.limit, { maximumFractionDigits: 3 });
    const item = el("li", `${c.passed ? "✓" : "✗"} ${i18n.t(c.passed ? "gate.passed" : "gate.failed")}: `
      + i18n.t(CRITERION[c.name], { points: limit, alpha, n: n[c.name] }), c.passed ? "passed" : "failed");
    item.dataset.criterion = c.name;
    list.append(item);
  }
  return list;
}

/** What the gate concluded, in a sentence. */
export function verdictText(gate) {
  return i18n.t("gate.verdict", { lead: i18n.t(VERDICT[gate.verdict]), reason: gateReason(i18n, gate) });
}

/** Ask with a note for the production history. */
const askWithNote = (question) => ask({ ...question, note: MAX_NOTE_CHARS });

/** The person's note, then the gate's warning when it did not recommend the promotion,
 * within the history's limit. */
const withWarning = (note, warning) => [note, warning].filter(Boolean).join(" — ").slice(0, MAX_NOTE_CHARS) || null;

/** Promote `version` after showing it against production (mlp.registry.compare): the
 * figures, each criterion and the verdict. A promotion the gate does not recommend is
 * still possible, after a warning the history keeps. Resolves true if done. */
export async function promoteWithGate(registry, version) {
  let gate;
  try {
    gate = await registry.compare(version);
  } catch (err) {
    // A model that is gone (RegistryError) cannot be promoted: the caller says so. One
    // that cannot be judged (e.g. it does not read drawings) can, after a warning.
    if (err.name === "RegistryError") throw err;
    const { ok, note } = await askWithNote({
      title: i18n.t("gate.title", { version }),
      body: [el("p", i18n.t("gate.not_compared", { error: err.message }), "error")],
      confirm: i18n.t("gate.promote_anyway"),
      danger: true,
    });
    if (ok) await registry.setProduction(version, note);
    return ok;
  }
  if (gate.champion.version === version) return true; // already production
  const message = el("p", verdictText(gate), gate.promote ? "note" : "error");
  message.dataset.testid = "gate-verdict";
  const body = [el("div", undefined, "table-wrap"), gateCriteria(gate), message];
  body[0].append(gateTable(gate)); // a wide table scrolls in its own box
  if (!gate.promote) {
    const warning = el("p", i18n.t("gate.warning"), "warning");
    warning.dataset.testid = "gate-warning";
    body.push(warning);
  }
  const { ok, note } = await askWithNote({
    title: i18n.t("gate.title", { version }),
    body,
    confirm: i18n.t(gate.promote ? "gate.promote" : "gate.promote_anyway"),
    danger: !gate.promote,
  });
  if (!ok) return false;
  await registry.setProduction(version, withWarning(note, gateWarning(i18n, gate)));
  return true;
}

/** Roll production back one step, after asking (with an optional note). Resolves the
 * new production version, or null if the person cancelled. */
export async function rollBack(registry, current) {
  const { ok, note } = await askWithNote({
    title: i18n.t("rollback.title"),
    body: [el("p", i18n.t("rollback.body", { version: current }))],
    confirm: i18n.t("rollback.confirm"),
  });
  if (!ok) return null;
  return (await registry.rollback(note)).production;
}

/** The production history as a timeline, newest first. */
export function renderTimeline(list, events) {
  list.replaceChildren();
  if (!events.length) {
    list.append(el("li", i18n.t("timeline.empty")));
    return;
  }
  for (const e of [...events].reverse()) {
    const li = el("li");
    const when = el("time", i18n.date(e.at));
    when.dateTime = e.at;
    li.append(when, ` · ${howChanged(e.how)}: `, el("strong", e.to));
    if (e.from) li.append(` ${i18n.t("timeline.was", { version: e.from })}`);
    if (e.note) li.append(el("q", e.note));
    list.append(li);
  }
}
