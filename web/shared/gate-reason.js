// Why the gate decided as it did (mlp_core.evaluation.compare's reason), in the language
// of a Translator: the page shows it, and the worker keeps it as the note of a promotion.

/** The reason for comparison `gate` ({verdict, champion, challenger}) in words of `tr`. */
export function gateReason(tr, { verdict, champion, challenger }) {
  if (verdict === "untested") return tr.t("gate.no_drawings");
  const [a, b] = [champion.test, challenger.test];
  return tr.t("gate.reason", { count: b.n, challenger: tr.pct(b.accuracy), champion: tr.pct(a.accuracy) });
}
