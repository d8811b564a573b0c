"""Stored data outlives code. Every version of what the site stores (fixtures written by
the site itself, tests/fixtures/stored/db<N>/, see scripts/write_stored_fixtures.py) is
read by today's code with its models, history, examples and log intact; a setting added
later gets its default; a history kind this version does not know is kept; a file from a
newer version is refused as such and changes nothing; any change to a stored format
raises the IndexedDB version; and a tab of an older version, meeting a newer version's
database, offers a reload instead of calling its records damaged."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from browser import app_page
from playwright.sync_api import expect

from mlp_core import registry, settings
from mlp_core.data import examples
from mlp_core.model import serialize
from mlp_core.model.network import HYPERPARAMETER_DEFAULTS
from mlp_core.registry import history, model_card, project
from mlp_core.service import monitoring
from mlp_core.service.webapi import App
from mlp_core.training import train

ROOT = Path(__file__).resolve().parents[1]
STORED = ROOT / "tests" / "fixtures" / "stored"
VERSIONS = sorted(STORED.glob("db*"), key=lambda p: int(p.name[2:]))
STORAGE_JS = ROOT / "web" / "worker" / "storage.js"


def db_version() -> int:
    return int(re.search(r"^const DB_VERSION = (\d+);", STORAGE_JS.read_text(), re.M).group(1))


def load(folder: Path, name: str):
    return json.loads((folder / name).read_text())


def records(db: dict, store: str) -> list:
    return [r["value"] for r in db["stores"][store]["records"]]


def meta(db: dict, key: str):
    return next((r["value"] for r in db["stores"]["meta"]["records"] if r["key"] == key), None)


# --- every stored version, read by today's code ---------------------------------------


def test_there_are_fixtures_for_the_current_database_version():
    assert VERSIONS and VERSIONS[-1].name == f"db{db_version()}", (
        "run scripts/write_stored_fixtures.py for the new DB_VERSION and commit its output")


@pytest.mark.parametrize("folder", VERSIONS, ids=lambda p: p.name)
def test_what_the_browser_stored_loads_whole(folder):
    db = load(folder, "db.json")
    models, stored_history = records(db, "models"), meta(db, "history")
    app = App()
    loaded = json.loads(app.load(json.dumps(models), json.dumps(stored_history)))
    assert loaded == {"models": len(models), "bad": []}
    listed = json.loads(app.list())
    assert sorted(m["version"] for m in listed) == sorted(m["version"] for m in models)
    assert json.loads(app.production_history()) == stored_history
    assert [e["how"] for e in stored_history] == ["promote", "promote", "rollback"]
    samples = records(db, "samples")
    split = json.loads(App.with_splits(json.dumps(samples)))
    assert [(s["label"], s["split"]) for s in split] == [
        (s["label"], s.get("split", t["split"])) for s, t in zip(samples, split, strict=True)]
    assert {s["split"] for s in split} <= set(examples.SPLITS)
    letters = [c["letter"] for c in records(db, "classes")]
    for sample in samples:
        App.check_sample(json.dumps({k: sample[k] for k in ("label", "pattern")}),
                         json.dumps(["b", "d", "f", *letters]))
    log = records(db, "predictions")
    assert monitoring.check_log(log) == log
    assert json.loads(app.monitoring_summary(json.dumps(log), "*"))["predictions"] == len(log)


@pytest.mark.parametrize("folder", VERSIONS, ids=lambda p: p.name)
def test_saved_projects_and_bundles_open_whole(folder):
    saved = load(folder, "project.json")
    opened = project.check_project(copy.deepcopy(saved))
    assert [m["version"] for m in opened["registry"]["models"]] == [
        m["version"] for m in saved["registry"]["models"]]
    assert opened["registry"]["history"] == saved["registry"]["history"]
    assert opened["examples"] == saved["examples"] and opened["letters"] == saved["letters"]
    bundle = load(folder, "bundle.json")
    doc = registry.validate(copy.deepcopy(bundle))
    assert [m["version"] for m in doc["models"]] == [m["version"] for m in bundle["models"]]
    assert doc["history"] == bundle["history"]


# --- upgrades ----------------------------------------------------------------------------


def _without(entry: dict, setting: str) -> dict:
    entry = copy.deepcopy(entry)
    entry["hyperparameters"].pop(setting)
    entry["model"]["hyperparameters"].pop(setting)
    return entry


def test_a_setting_added_later_gets_its_default_not_damage():
    """A stored model written before a setting existed lacks it; it is given the default
    (which keeps the old behaviour), in stored records and in files alike."""
    bundle = load(VERSIONS[-1], "bundle.json")
    entry = bundle["models"][0]
    setting = next(k for k, v in entry["hyperparameters"].items()
                   if json.loads(json.dumps(HYPERPARAMETER_DEFAULTS[k])) == v)
    older = _without(entry, setting)
    app = App()
    loaded = json.loads(app.load(json.dumps([older]), "[]"))
    assert loaded["bad"] == []
    assert json.loads(app.get(entry["version"]))["hyperparameters"] == entry["hyperparameters"]
    doc = registry.validate({**bundle, "models": [older, *bundle["models"][1:]]})
    assert doc["models"][0]["hyperparameters"] == entry["hyperparameters"]
    assert setting not in older["hyperparameters"]  # the input is not changed
    grid = np.array([1.0 if i % 7 < 3 else 0.0 for i in range(100)])
    before = registry.load_recognizer(entry).predict_one(grid)
    after = registry.load_recognizer(doc["models"][0]).predict_one(grid)
    assert after == before


def test_a_history_kind_from_a_newer_version_is_kept_and_shown():
    bundle = load(VERSIONS[-1], "bundle.json")
    production = next(m["version"] for m in bundle["models"] if m["is_production"])
    other = next(m["version"] for m in bundle["models"] if not m["is_production"])
    newer = {"from": other, "to": production, "at": "2099-01-01T00:00:00.000000+00:00",
             "how": "audit", "note": "a kind a later version added"}
    doc = registry.validate({**copy.deepcopy(bundle), "history": [*bundle["history"], newer]})
    assert doc["history"][-1] == newer
    merged, _ = registry.import_bundle(registry.empty_registry(), doc)
    assert merged["history"][-1]["how"] == "audit"
    assert history.rollback_target(doc["history"], production,
                                   {m["version"] for m in doc["models"]}) == other
    card = model_card.model_card(registry.get(doc, production), history=doc["history"])
    assert "audit" in card
    app = App()
    loaded = json.loads(app.load(json.dumps(doc["models"]), json.dumps(doc["history"])))
    assert loaded["bad"] == []


@pytest.mark.parametrize("kind", ["bundle", "project", "model"])
def test_a_file_from_a_newer_version_is_refused_as_such(kind):
    folder = VERSIONS[-1]
    if kind == "project":
        newer = {**load(folder, "project.json"), "format_version": project.FORMAT_VERSION + 1,
                 "a_later_field": {}}
        with pytest.raises(project.ProjectError, match="^format_version: made by a newer"):
            project.check_project(newer)
    elif kind == "bundle":
        newer = {**load(folder, "bundle.json"), "schema_version": registry.SCHEMA_VERSION + 1,
                 "a_later_field": []}
        with pytest.raises(registry.RegistryError, match="^schema_version: made by a newer"):
            registry.validate(newer)
    else:
        model = {**load(folder, "bundle.json")["models"][0]["model"],
                 "format_version": serialize.FORMAT_VERSION + 1}
        with pytest.raises(serialize.ModelFormatError, match="made by a newer version"):
            serialize.model_from_dict(model)


def test_the_cli_leaves_its_registry_untouched_by_a_newer_bundle(tmp_path):
    reg = tmp_path / "reg.json"
    reg.write_text(json.dumps(load(VERSIONS[-1], "bundle.json")))
    before = reg.read_bytes()
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"schema_version": registry.SCHEMA_VERSION + 1, "models": []}))
    p = subprocess.run([sys.executable, "-m", "mlp_core", "--registry", str(reg), "registry",
                        "import", str(newer)], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert p.returncode == 1 and "made by a newer version of the app" in p.stderr
    assert reg.read_bytes() == before


# --- a format change raises the database version ---------------------------------------

#: What the stored records' formats are made of, per DB_VERSION. A change to any of them
#: needs a new DB_VERSION (web/worker/storage.js), so that tabs of older versions close
#: the database and offer a reload rather than read records they do not know.
FINGERPRINTS = {
    3: {"registry_schema": 2, "model_format": 1, "project_format": 1,
        "entry_keys": ["accuracy", "created_at", "dataset_info", "hyperparameters",
                       "is_production", "lineage", "metrics", "model", "notes", "tags",
                       "version"],
        "lineage_keys": ["data_sha256", "mlp_core", "numpy", "parent", "pyodide",
                         "train_seconds", "trained_in"],
        "hyperparameters": ["activation", "batch_size", "hidden_layer_sizes", "l2",
                            "learning_rate", "max_epochs", "momentum", "patience", "seed",
                            "tolerance", "validation_fraction"],
        "event_keys": ["at", "from", "how", "note", "to"],
        "log_keys": ["at", "bits", "confidence", "id", "letter", "model", "none_probability",
                     "recognized"],
        "splits": ["test", "train"],
        "stores": ["classes", "meta", "models", "predictions", "samples"]},
}
# 4: a data setting (fonts) and per-letter rejection margins (calibration.none_margins).
FINGERPRINTS[4] = {
    **FINGERPRINTS[3],
    "data_settings": ["augment", "augment_noise_max", "clean_fraction", "fonts", "n_samples",
                      "negatives", "noise_max", "noise_min"],
    "calibration_keys": ["none_margins", "temperature"],
}

# 5: logged predictions may carry a shadow answer and a review; examples may be labelled
# "(none)" (project format 2).
FINGERPRINTS[5] = {**FINGERPRINTS[4], "project_format": 2,
                   "log_optional_keys": ["review", "shadow"]}

# 6: a data setting (handwriting), a hyperparameter (learning_rate_decay) and the
# handwriting figure in a model's metrics (metrics.handwriting).
FINGERPRINTS[6] = {
    **FINGERPRINTS[5],
    "data_settings": sorted([*FINGERPRINTS[5]["data_settings"], "handwriting"]),
    "hyperparameters": sorted([*FINGERPRINTS[5]["hyperparameters"], "learning_rate_decay"]),
    "metrics_keys": ["accuracy", "calibration", "confusion_matrix", "correct", "handwriting",
                     "labels", "macro_f1", "open_set", "per_class", "total"],
}


def fingerprint() -> dict:
    stores = re.findall(r'createObjectStore\("(\w+)"', STORAGE_JS.read_text())
    return {"registry_schema": registry.SCHEMA_VERSION,
            "model_format": serialize.FORMAT_VERSION,
            "project_format": project.FORMAT_VERSION,
            "entry_keys": sorted([*registry.ENTRY_KEYS, *registry.OPTIONAL_KEYS]),
            "lineage_keys": sorted(registry.LINEAGE_KEYS),
            "hyperparameters": sorted(HYPERPARAMETER_DEFAULTS),
            "data_settings": sorted(settings.defaults("data")),
            "calibration_keys": sorted(serialize.CALIBRATION_KEYS),
            "metrics_keys": sorted(train.METRICS_KEYS),
            "event_keys": sorted(history.EVENT_KEYS),
            "log_keys": sorted(monitoring.LOG_KEYS),
            "log_optional_keys": sorted(monitoring.OPTIONAL_LOG_KEYS),
            "splits": sorted(examples.SPLITS),
            "stores": sorted(stores)}


def test_a_stored_format_change_raises_the_database_version():
    now = fingerprint()
    assert FINGERPRINTS.get(db_version()) == now, (
        "a stored format changed: raise DB_VERSION in web/worker/storage.js, add its "
        f"fingerprint here ({json.dumps(now)}), and run scripts/write_stored_fixtures.py")


# --- in the page ---------------------------------------------------------------------------

# Put a stored database (db.json) into a fresh profile's IndexedDB, as that version wrote it.
SEED = """async (db) => {
    await new Promise((ok, no) => {
        const open = indexedDB.open("letter-recognizer", db.version);
        open.onupgradeneeded = () => {
            for (const [name, store] of Object.entries(db.stores)) {
                open.result.createObjectStore(name, store.keyPath === null
                    ? { autoIncrement: store.autoIncrement }
                    : { keyPath: store.keyPath, autoIncrement: store.autoIncrement });
            }
        };
        open.onsuccess = () => {
            const tx = open.result.transaction(Object.keys(db.stores), "readwrite");
            for (const [name, store] of Object.entries(db.stores)) {
                for (const { key, value } of store.records) {
                    if (store.keyPath === null) tx.objectStore(name).put(value, key);
                    else tx.objectStore(name).put(value);
                }
            }
            tx.oncomplete = () => { open.result.close(); ok(); };
            tx.onerror = () => no(tx.error);
        };
        open.onerror = () => no(open.error);
    });
}"""

# Open the database at `version` (a newer version of the app upgrading it), then close it.
UPGRADE = """async (version) => new Promise((ok, no) => {
    const open = indexedDB.open("letter-recognizer", version);
    open.onsuccess = () => { open.result.close(); ok(open.result.version); };
    open.onerror = () => no(open.error);
    open.onblocked = () => {};  // the app's tab closes its connection, then this goes on
})"""

COUNT = """async () => new Promise((ok) => {
    const open = indexedDB.open("letter-recognizer");
    open.onsuccess = () => {
        const r = open.result.transaction("models").objectStore("models").count();
        r.onsuccess = () => { open.result.close(); ok(r.result); };
    };
})"""


@pytest.mark.browser
@pytest.mark.parametrize("folder", VERSIONS, ids=lambda p: p.name)
def test_the_page_opens_what_every_version_stored(context, folder):
    db = load(folder, "db.json")
    page = context.new_page()
    page.goto(context.url + "LICENSE.txt")  # the site's origin, without the app
    page.evaluate(SEED, db)
    page.goto(context.url)
    page.evaluate("window.mlp.ready")
    listed = page.evaluate("window.mlp.registry.list()")
    stored = records(db, "models")
    assert sorted(m["version"] for m in listed) == sorted(m["version"] for m in stored)
    hist = page.evaluate("window.mlp.registry.history()")
    assert [(e["how"], e["note"]) for e in hist] == [
        (e["how"], e["note"]) for e in meta(db, "history")]
    assert len(page.evaluate("window.mlp.samples.list()")) == len(records(db, "samples"))
    assert [c["letter"] for c in page.evaluate("window.mlp.classes.list()")] == ["x"]
    summary = page.evaluate("window.mlp.monitoring.summary('*')")
    assert summary["predictions"] == len(records(db, "predictions"))
    expect(page.locator("#notice")).to_be_hidden()  # nothing called damaged


@pytest.mark.browser
def test_an_older_tab_meeting_a_newer_database_offers_a_reload(chromium, server):
    with app_page(chromium, server.url) as page:
        stored = page.evaluate(COUNT)
        other = page.context.new_page()
        other.goto(server.url + "LICENSE.txt")
        # A newer version of the app opens the database: this tab lets it, and says so.
        assert other.evaluate(UPGRADE, db_version() + 1) == db_version() + 1
        notice = page.locator("#notice")
        expect(notice).to_contain_text("A newer version of this app is open in another tab")
        expect(notice.get_by_role("button", name="Reload")).to_be_visible()
        # A tab of this (older) version opened now: no damaged records, nothing removed,
        # and saving says why it cannot.
        late = page.context.new_page()
        late.goto(server.url)
        late.evaluate("window.mlp.ready")
        expect(late.locator("#notice")).to_contain_text("A newer version of this app")
        expect(late.locator("#notice")).not_to_contain_text("damaged")
        refused = late.evaluate("""() => window.mlp.registry.reset().then(() => null,
            (e) => e.message)""")
        assert "saved by a newer version of the app" in refused
        assert other.evaluate(COUNT) == stored
