"""The local prediction log, summarized: pure functions and the worker's Python side."""

from __future__ import annotations

import json

import pytest

from mlp_core import registry
from mlp_core.messages import MESSAGES
from mlp_core.service import monitoring
from mlp_core.service.webapi import App


def logged(i: int, model: str, letter: str, p: float, *, recognized: bool = True,
           day: int = 1) -> dict:
    return {"id": i, "at": f"2026-11-{day:02d}T10:00:{i % 60:02d}+00:00", "model": model,
            "letter": letter, "recognized": recognized,
            "confidence": p if recognized else 1 - p,
            "none_probability": None if recognized is None else (0.0 if recognized else p),
            "bits": "01" * 50}


LOG = [logged(1, "m1", "b", 0.99), logged(2, "m1", "b", 0.55), logged(3, "m1", "d", 0.95),
       logged(4, "m1", "f", 0.9, recognized=False, day=2),  # "none of these", 90% sure
       logged(5, "m2", "d", 0.3, day=2)]


def test_summary_per_model():
    s = monitoring.summary(LOG, "m1")
    assert s["predictions"] == 4
    assert s["per_letter"] == {"(none)": 1, "b": 2, "d": 1}
    assert s["low_confidence_share"] == 0.25  # only the 55% b
    assert sum(s["confidence_histogram"]["counts"]) == 4
    assert s["confidence_histogram"]["counts"][5] == 1  # 0.5-0.6
    assert s["rejected_share"] == 0.25
    assert s["over_time"] == [
        {"day": "2026-11-01", "predictions": 3, "low_confidence_share": 1 / 3,
         "rejected_share": 0.0},
        {"day": "2026-11-02", "predictions": 1, "low_confidence_share": 0.0,
         "rejected_share": 1.0}]
    assert s["reviewed"] == {"labelled": 0, "dismissed": 0} and s["shadow"] == []
    assert monitoring.summary(LOG)["predictions"] == 5
    empty = monitoring.summary([], "m1")
    assert empty["predictions"] == 0 and empty["low_confidence_share"] is None


def test_unsure_drawings_newest_first():
    picked = monitoring.unsure(LOG)
    assert [(u["id"], u["answer"]) for u in picked] == [(5, "d"), (2, "b")]
    assert picked[0]["pattern"] == [0, 1] * 50
    assert monitoring.unsure(LOG, "m1", limit=1)[0]["id"] == 2


def review(label: str | None) -> dict:
    return {"review": {"label": label, "at": "2026-11-03T09:00:00+00:00"}}


def test_a_review_is_recorded_beside_the_counts():
    reviewed = [{**LOG[0]}, {**LOG[1], **review("d")}, {**LOG[2]},
                {**LOG[3], **review("(none)")}, {**LOG[4], **review(None)}]
    assert monitoring.check_log(reviewed) == reviewed
    before, after = monitoring.summary(LOG), monitoring.summary(reviewed)
    assert {k: v for k, v in after.items() if k != "reviewed"} == {
        k: v for k, v in before.items() if k != "reviewed"}  # what was seen stays
    assert after["reviewed"] == {"labelled": 2, "dismissed": 1}
    assert monitoring.unsure(reviewed) == []  # each was labelled or dismissed


def test_shadow_disagreements_are_counted_and_offered_for_review():
    def shadow(letter: str, recognized: bool = True) -> dict:
        return {"shadow": {"model": "m2", "letter": letter, "recognized": recognized,
                           "confidence": 0.9, "none_probability": 0.1}}
    log = [{**LOG[0], **shadow("b")},  # agrees
           {**LOG[1], **shadow("d")},  # b against d
           {**LOG[2], **shadow("d", recognized=False)},  # d against "none of these"
           {**LOG[3], **shadow("f", recognized=False)},  # both: none of these
           LOG[4]]  # no shadow then
    s = monitoring.summary(log, "m1")
    assert s["shadow"] == [{"model": "m2", "compared": 4, "disagreements": 2,
                            "disagreement_share": 0.5}]
    picked = monitoring.disagreements(log)
    assert [(d["id"], d["answer"], d["shadow"]["answer"]) for d in picked] == [
        (3, "d", "(none)"), (2, "b", "d")]
    log[2] = {**log[2], **review("d")}
    assert [d["id"] for d in monitoring.disagreements(log)] == [2]


@pytest.mark.parametrize(("change", "message"), [
    ({"confidence": 1.5}, "from 0 to 1"), ({"bits": "012"}, "100"),
    ({"at": "now"}, "ISO 8601"), ({"recognized": "yes"}, "true or false"),
    ({"extra": 1}, "exactly the keys"), ({"id": 0}, "positive integer"),
    ({"review": {"label": "b"}}, "exactly the keys"),
    ({"review": {"label": 3, "at": "2026-11-03T09:00:00+00:00"}}, "text"),
    ({"shadow": {"model": "m2"}}, "exactly the keys"),
])
def test_a_damaged_log_is_refused_with_the_reason(change, message):
    with pytest.raises(ValueError, match=message) as refused:
        monitoring.check_log([{**LOG[0], **change}])
    assert refused.value.code in MESSAGES


def test_the_worker_summarizes_production_by_default(two_model_registry):
    app = App()
    app.load(json.dumps(two_model_registry["models"]))
    production = registry.get_production(two_model_registry)["version"]
    result = json.loads(app.predict(json.dumps([0, 1] * 50)))
    entry = {"id": 1, "at": "2026-11-27T10:00:00+00:00", "bits": "01" * 50,
             **{k: result[k] for k in ("letter", "recognized", "confidence",
                                       "none_probability")},
             "model": result["model_version"]}
    s = json.loads(app.monitoring_summary(json.dumps([entry, {**entry, "id": 2,
                                                             "model": "other"}])))
    assert s["version"] == production and s["predictions"] == 1
    everything = json.loads(app.monitoring_summary(json.dumps([entry]), "*"))
    assert everything["version"] is None
