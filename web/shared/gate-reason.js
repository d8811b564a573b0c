// Why the gate decided as it did (mlp_core/service/gate.py compare: its verdict, evidence
// and criteria), in the language of a Translator: the page shows it, and the worker keeps
// it as the note of a promotion.

/** The reason for comparison `gate` in words of `tr`. */
export function gateReason(tr, { verdict, evidence, criteria }) {
  if (verdict === "untested") return tr.t("gate.no_drawings") + failedAlso(tr, criteria);
  const { n, challenger_only: wins, champion_only: losses, p_value: p, needed } = evidence;
  let text = verdict === "equal" ? tr.t("gate.same_answers", { count: n })
    : tr.t("gate.reason", { count: n, wins, losses, p: tr.number(p, { maximumFractionDigits: 3 }) });
  if (verdict === "unsure") text += needed ? tr.t("gate.needed", { count: needed }) : tr.t("gate.no_estimate");
  return text + failedAlso(tr, criteria);
}

/** What a failed criterion beside the test drawings is about (gate.py CRITERIA). */
const FAILED = { rejection: "gate.failed.rejection", validation: "gate.failed.validation" };

/** "; it does worse on: …" for the criteria other than the test drawings that failed. */
function failedAlso(tr, criteria) {
  const failed = criteria.filter((c) => !c.passed && c.name !== "test");
  if (!failed.length) return "";
  return tr.t("gate.failed_also", { criteria: failed.map((c) => tr.t(FAILED[c.name])) });
}

/** The history note of a promotion the gate did not recommend, or "" when it did. */
export function gateWarning(tr, gate) {
  return gate.promote ? "" : tr.t("gate.warning_note", { reason: gateReason(tr, gate) });
}
