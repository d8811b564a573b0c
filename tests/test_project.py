"""Saved projects: made, checked as a whole, restored exactly; fuzzed for all or nothing."""

from __future__ import annotations

import copy
import json

import pytest
from drawings import DRAWINGS, as_bits
from hypothesis import given
from hypothesis import strategies as st

from mlp_core import registry
from mlp_core.messages import MESSAGES
from mlp_core.registry import store
from mlp_core.registry.project import ProjectError, check_project, make_project
from mlp_core.service.webapi import App

X = [1 if r == c or r + c == 9 else 0 for r in range(10) for c in range(10)]
T = "2026-11-27T10:00:00+00:00"


@pytest.fixture(scope="module")
def project() -> dict:
    doc = store.read_registry(store.DEFAULT_BUNDLE)
    examples = [{"id": i + 1, "label": k, "pattern": as_bits(d), "created_at": T}
                for i, (k, d) in enumerate((k, d) for k in "bdf" for d in DRAWINGS[k])]
    examples.append({"id": 40, "label": "x", "pattern": X, "created_at": T,
                     "split": "test"})
    letters = [{"letter": "x", "template": X, "created_at": T}]
    return json.loads(json.dumps(make_project(doc, letters, examples, T)))


def test_a_project_restores_exactly_what_was_saved(project):
    assert {s["split"] for s in project["examples"]} == {"train", "test"}  # made explicit
    app = App()
    app.load(json.dumps(registry.empty_registry()["models"]))
    plan = json.loads(app.plan("restore", json.dumps({"project": json.dumps(project)})))
    app.adopt()
    assert plan["result"]["examples"] == 13 and plan["result"]["letters"] == 1
    assert plan["put"] == project["registry"]["models"]
    assert plan["history"] == project["registry"]["history"]
    assert plan["data"] == {"letters": project["letters"], "examples": project["examples"]}
    again = json.loads(app.project(json.dumps(plan["data"]["letters"]),
                                   json.dumps(plan["data"]["examples"]), T))
    assert again == project


@pytest.mark.parametrize(("path", "value", "message"), [
    (("format",), "letter-recognizer/bundle", "not a project file"),
    (("format_version",), 3, "^format_version: made by a newer version"),
    (("format_version",), 0, "^format_version: this version of the app reads version 2"),
    (("registry", "history", 0, "how"), "Magic!", "registry: history"),
    (("registry", "models", 0, "is_production"), False, "no production model"),
    (("letters", 0, "letter"), "b", "already a letter"),
    (("examples", 0, "label"), "q", "not one of the classes"),
    (("examples", 1, "id"), 1, "used once"),
    (("examples", 0, "split"), None, "split"),
    (("examples", 0, "pattern"), [2] * 100, "pattern value 0 is 2; only 0 and 1"),
])
def test_a_bad_project_is_refused_with_the_reason(project, path, value, message):
    broken = copy.deepcopy(project)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ProjectError, match=message) as refused:
        check_project(json.dumps(broken))
    assert refused.value.code in MESSAGES


def _mutations(project):
    """Paths to every value in the project (models' weights skipped: too many)."""
    out = []

    def walk(v, path):
        out.append(path)
        if isinstance(v, dict) and path[-1:] != ("model",):
            for k, x in v.items():
                walk(x, (*path, k))
        elif isinstance(v, list) and len(v) <= 20:
            for i, x in enumerate(v):
                walk(x, (*path, i))

    walk(project, ())
    return out


JUNK = st.one_of(st.none(), st.booleans(), st.integers(-3, 200), st.floats(allow_nan=False),
                 st.text(max_size=5), st.just([]), st.just({}), st.just([0] * 100))


@given(data=st.data())
def test_fuzzed_projects_are_opened_whole_or_not_at_all(project, data):
    """Any one value replaced or removed: the project opens (and then restores what it
    says) or is refused with a ProjectError, coded (so the page says it in its language),
    and nothing changes."""
    broken = copy.deepcopy(project)
    path = data.draw(st.sampled_from(_mutations(project)[1:]))
    parent = broken
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(JUNK)
    app = App()
    doc = store.read_registry(store.DEFAULT_BUNDLE)
    app.load(json.dumps(doc["models"]), json.dumps(doc["history"]))
    before = app.export()
    try:
        plan = json.loads(app.plan("restore", json.dumps({"project": broken})))
    except ValueError as e:
        assert isinstance(e, ProjectError) and e.code in MESSAGES, repr(e)
        assert app.export() == before  # refused: nothing changed
        return
    app.adopt()
    assert json.loads(app.export()) == check_project(broken)["registry"]
    assert plan["data"]["examples"] == check_project(broken)["examples"]
