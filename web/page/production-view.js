// Changing production, with the evidence in view: promotion gated on the person's test
// drawings (champion against challenger), rollback, and the production timeline.
import { el, pct } from "./dom.js";
import { MAX_NOTE_CHARS } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";
import { gateReason } from "../shared/gate-reason.js";
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

const figure = (m) => (m.accuracy === null || m.accuracy === undefined ? "—"
  : `${pct(m.accuracy)}${m.n ? ` (n=${m.n})` : ""}`);

/** Champion against challenger on validation data and test drawings, with the difference. */
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
  const rows = [
    [i18n.t("gate.validation"), champion.validation, challenger.validation, difference.validation],
    [i18n.t("gate.test"), champion.test, challenger.test, difference.test],
  ];
  for (const [name, a, b, d] of rows) {
    const tr = body.insertRow();
    const th = el("th", name);
    th.scope = "row";
    tr.append(th);
    for (const text of [figure(a), figure(b), points(d)]) tr.insertCell().textContent = text;
    if (d < 0) tr.className = "worse";
  }
  return table;
}

/** What the gate concluded, in a sentence. */
export function verdictText(gate) {
  const lead = { better: "gate.better", equal: "gate.equal", worse: "gate.worse", untested: "gate.untested" }[gate.verdict];
  return i18n.t("gate.verdict", { lead: i18n.t(lead), reason: gateReason(i18n, gate) });
}

/** Ask with a note for the production history. */
const askWithNote = (question) => ask({ ...question, note: MAX_NOTE_CHARS });

/** Promote `version` after showing it against production (mlp.registry.compare); when it
 * is worse on the test drawings the page says so and asks again. Resolves true if done. */
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
  // Without test drawings, a lower validation accuracy is the only warning there is.
  const lower = gate.verdict === "untested" && gate.difference.validation < 0;
  const worse = gate.verdict === "worse" || lower;
  const message = el("p", verdictText(gate) + (lower ? ` ${i18n.t("gate.lower_validation")}` : ""),
    worse ? "error" : "note");
  message.dataset.testid = "gate-verdict";
  const { ok, note } = await askWithNote({
    title: i18n.t("gate.title", { version }),
    body: [gateTable(gate), message],
    confirm: i18n.t(worse ? "gate.promote_anyway" : "gate.promote"),
    danger: worse,
  });
  if (!ok) return false;
  await registry.setProduction(version, note);
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
