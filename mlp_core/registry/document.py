"""The model registry: pure functions over a JSON document ``{"schema_version", "models",
"history"}``.

Nothing here reads or writes storage. Every operation takes a document and returns a new
one (inputs are never mutated), so the caller decides where documents live: a file on
CPython (``store.py``), IndexedDB in the browser. Invariants kept by every operation:
versions are unique, a non-empty registry has exactly one production model, and every
change of production is recorded in ``history`` (``history.py``).
"""

from __future__ import annotations

import copy
import json
import math
import re
from datetime import UTC, datetime
from typing import Any

from .. import settings
from ..limits import MAX_BUNDLE_BYTES, MAX_MODELS, MAX_TAG_CHARS, MAX_TAGS
from ..messages import coded, unreadable_version, within
from ..model.network import HYPERPARAMETER_DEFAULTS, MLP
from ..model.recognizer import Recognizer
from ..model.serialize import model_from_dict, model_to_dict
from . import history as hist
from .history import HistoryError, check_note, parse_time

SCHEMA_VERSION = 2  # 2 added the production history and per-model notes, tags, lineage
ALGORITHM_VERSION = "v1.0"
ENTRY_KEYS = ("version", "created_at", "accuracy", "hyperparameters", "dataset_info",
              "metrics", "is_production", "model")
#: Keys an entry may have besides ``ENTRY_KEYS`` (entries from before schema 2 lack them).
OPTIONAL_KEYS = ("notes", "tags", "lineage")
#: Where a model came from (``lineage.py`` fills it in when a model is trained).
LINEAGE_KEYS = ("parent", "data_sha256", "mlp_core", "numpy", "pyodide", "trained_in",
                "train_seconds")
TRAINED_IN = ("browser", "cpython")
DOC_KEYS = ("schema_version", "models", "history")

Document = dict[str, Any]
Entry = dict[str, Any]


class RegistryError(ValueError):
    """A registry operation was refused; the message says why and what to do."""


# --- documents and validation ------------------------------------------------------------


def empty_registry() -> Document:
    """A registry with no models."""
    return {"schema_version": SCHEMA_VERSION, "models": [], "history": []}


def _check_json_value(value: Any, where: str, depth: int = 0) -> None:
    """Only plain JSON (finite numbers, bounded nesting) may sit in metadata fields."""
    if depth > 8:
        raise coded(RegistryError, "field_json", where=where)
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise coded(RegistryError, "field_json", where=where)
            _check_json_value(v, f"{where}.{k}", depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_json_value(v, f"{where}[{i}]", depth + 1)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise coded(RegistryError, "field_json", where=where)
    elif not (value is None or isinstance(value, str | int | bool)):
        raise coded(RegistryError, "field_json", where=where)


def _migrate_legacy_entry(entry: Any, i: int) -> Any:
    """Schema 0 (the server-era registry) named pickle files; only entries that already
    carry a JSON ``model`` payload can be migrated."""
    if not isinstance(entry, dict):
        return entry
    if "model" not in entry:
        raise coded(RegistryError, "pickle", where=f"models[{i}] ({entry.get('version', '?')})",
                    file=repr(entry.get("filename", "?")))
    out = {k: v for k, v in entry.items() if k != "filename"}
    if isinstance(out["model"], dict):
        out["hyperparameters"] = copy.deepcopy(out["model"].get("hyperparameters"))
    out.setdefault("metrics", {"accuracy": out.get("accuracy")})
    out.setdefault("dataset_info", {})
    return out


#: Every hyperparameter's default, as JSON writes it. A setting added later gets a default
#: that keeps the behaviour models had before it, so it is what they were trained with.
_SETTING_DEFAULTS = json.loads(json.dumps(HYPERPARAMETER_DEFAULTS))


#: Every data setting's default: a trained model's ``dataset_info`` written before one was
#: added gets it (``handwriting`` 0: trained without handwriting, as it was).
_DATA_DEFAULTS = settings.defaults("data")


def migrate_entry(entry: Any) -> Any:
    """One entry of the current schema (as IndexedDB stores them) brought up to date: the
    settings its hyperparameters lack (added after it was written) get their defaults, in
    the entry and in its model, and so do the data settings of a trained model's
    ``dataset_info`` (one with ``n_samples``). Anything else is left as it is for
    validation to judge; ``entry`` is not mutated."""
    if not isinstance(entry, dict):
        return entry
    out = entry
    info = out.get("dataset_info")
    if isinstance(info, dict) and "n_samples" in info and _DATA_DEFAULTS.keys() - info.keys():
        out = {**out, "dataset_info": {**_DATA_DEFAULTS, **info}}
    for path in (("hyperparameters",), ("model", "hyperparameters")):
        holder = out if len(path) == 1 else out.get("model")
        hp = holder.get(path[-1]) if isinstance(holder, dict) else None
        if not isinstance(hp, dict) or not (_SETTING_DEFAULTS.keys() - hp.keys()):
            continue
        filled = {**_SETTING_DEFAULTS, **hp}
        out = ({**out, "hyperparameters": filled} if len(path) == 1
               else {**out, "model": {**holder, "hyperparameters": filled}})
    return out


def migrate(doc: Any) -> Any:
    """Bring an older document to the current schema: schema 0 had no
    ``schema_version``, schema 1 no ``history`` (it starts empty); and give every setting
    added since an entry was written its default. Never mutates ``doc``."""
    if isinstance(doc, dict) and "schema_version" not in doc and isinstance(
            doc.get("models"), list):
        doc = {"schema_version": SCHEMA_VERSION, "history": [],
               "models": [_migrate_legacy_entry(e, i) for i, e in enumerate(doc["models"])]}
    if isinstance(doc, dict) and doc.get("schema_version") == 1 and "history" not in doc:
        doc = {**doc, "schema_version": SCHEMA_VERSION, "history": []}
    if (isinstance(doc, dict) and doc.get("schema_version") == SCHEMA_VERSION
            and isinstance(doc.get("models"), list)):
        doc = {**doc, "models": [migrate_entry(e) for e in doc["models"]]}
    return doc


def check_tags(tags: Any, where: str = "tags") -> list[str]:
    """Tags: at most ``MAX_TAGS`` distinct words or short phrases (no commas), each at
    most ``MAX_TAG_CHARS`` characters. Returns them stripped, in order, repeats dropped."""
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise coded(RegistryError, "field_list", where=where, limit=MAX_TAGS)
    out: list[str] = []
    for t in (t.strip() for t in tags):
        if not t or "," in t or len(t) > MAX_TAG_CHARS:
            raise coded(RegistryError, "field_tag", where=where, tag=t, limit=MAX_TAG_CHARS)
        if t not in out:
            out.append(t)
    if len(out) > MAX_TAGS:
        raise coded(RegistryError, "too_many", where=where, count=len(out), limit=MAX_TAGS)
    return out


def _check_lineage(lineage: Any, where: str) -> None:
    if not isinstance(lineage, dict) or set(lineage) != set(LINEAGE_KEYS):
        raise coded(RegistryError, "field_keys", where=where, keys=", ".join(LINEAGE_KEYS))
    parent, sha = lineage["parent"], lineage["data_sha256"]
    if parent is not None and not (isinstance(parent, str) and hist.VERSION_RE.match(parent)):
        raise coded(RegistryError, "field_version", where=f"{where}.parent")
    if sha is not None and not (isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
        raise coded(RegistryError, "field_digest", where=f"{where}.data_sha256")
    for key in ("mlp_core", "numpy", "pyodide"):
        if not (lineage[key] is None or (isinstance(lineage[key], str)
                and len(lineage[key]) <= 64)):
            raise coded(RegistryError, "field_text", where=f"{where}.{key}", limit=64)
    if lineage["trained_in"] not in (*TRAINED_IN, None):
        raise coded(RegistryError, "field_choice", where=f"{where}.trained_in",
                    choices=", ".join((*TRAINED_IN, "null")))
    seconds = lineage["train_seconds"]
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(
            seconds, int | float) or not 0 <= seconds < 1e7):
        raise coded(RegistryError, "field_number", where=f"{where}.train_seconds", min=0,
                    max=10**7)


def validate_entry(entry: Any, where: str = "entry") -> Entry:
    """Check one registry entry completely, including its model payload."""
    if not isinstance(entry, dict):
        raise coded(RegistryError, "field_object", where=where)
    if not set(ENTRY_KEYS) <= set(entry) <= {*ENTRY_KEYS, *OPTIONAL_KEYS}:
        raise coded(RegistryError, "field_keys", where=where,
                    keys=", ".join([*ENTRY_KEYS, *(f"{k}?" for k in OPTIONAL_KEYS)]))
    version = entry["version"]
    if not isinstance(version, str) or not hist.VERSION_RE.match(version):
        raise coded(RegistryError, "field_version", where=f"{where}.version")
    where = f"{where} ({version})"
    try:
        parse_time(entry["created_at"], f"{where}.created_at")
        if "notes" in entry:
            check_note(entry["notes"], f"{where}.notes")
    except HistoryError as e:
        raise within(RegistryError, e) from None
    if "tags" in entry and check_tags(entry["tags"], f"{where}.tags") != entry["tags"]:
        raise coded(RegistryError, "field_tags", where=f"{where}.tags")
    if "lineage" in entry:
        _check_lineage(entry["lineage"], f"{where}.lineage")
    acc = entry["accuracy"]
    if isinstance(acc, bool) or not isinstance(acc, int | float) or not 0 <= acc <= 1:
        raise coded(RegistryError, "field_number", where=f"{where}.accuracy", min=0, max=1)
    if not isinstance(entry["is_production"], bool):
        raise coded(RegistryError, "field_bool", where=f"{where}.is_production")
    for key in ("hyperparameters", "dataset_info", "metrics"):
        if not isinstance(entry[key], dict):
            raise coded(RegistryError, "field_object", where=f"{where}.{key}")
        _check_json_value(entry[key], f"{where}.{key}")
    try:
        model = model_from_dict(entry["model"], f"{where}.model")
    except ValueError as e:
        raise within(RegistryError, e) from None
    if entry["hyperparameters"] != model_to_dict(model)["hyperparameters"]:
        raise coded(RegistryError, "hyperparameters_differ", where=f"{where}.hyperparameters")
    return entry


def validate(doc: Any) -> Document:
    """Migrate and check a whole document (a stored registry or an imported bundle).

    Returns the migrated document. Raises ``RegistryError`` naming the first problem.
    A bundle may have no production model; it may never have more than one.
    """
    doc = migrate(doc)
    # The version first: a newer version's document may have other keys.
    if isinstance(doc, dict) and doc.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise unreadable_version(RegistryError, "schema_version", SCHEMA_VERSION,
                                 doc["schema_version"])
    if not isinstance(doc, dict) or set(doc) != set(DOC_KEYS):
        raise coded(RegistryError, "field_keys", where="registry", keys=", ".join(DOC_KEYS))
    models = doc["models"]
    if not isinstance(models, list) or len(models) > MAX_MODELS:
        raise coded(RegistryError, "field_list", where="models", limit=MAX_MODELS)
    for i, entry in enumerate(models):
        validate_entry(entry, f"models[{i}]")
    versions = [e["version"] for e in models]
    dupes = sorted({v for v in versions if versions.count(v) > 1})
    if dupes:
        raise coded(RegistryError, "duplicates", where="models", values=", ".join(dupes))
    production = [e["version"] for e in models if e["is_production"]]
    if len(production) > 1:
        raise coded(RegistryError, "many_production", versions=", ".join(production))
    try:
        hist.check_history(doc["history"])
    except HistoryError as e:
        raise within(RegistryError, e) from None
    return doc


def loads(text: str | bytes) -> Document:
    """Parse and validate a JSON registry or bundle, refusing oversize input and NaN."""
    if len(text) > MAX_BUNDLE_BYTES:
        raise coded(RegistryError, "file_too_large", size=len(text), limit=MAX_BUNDLE_BYTES)
    return validate(parse_json(text, RegistryError))


def parse_json(text: str | bytes, error: type[Exception]) -> Any:
    """JSON ``text`` as Python values; NaN, Infinity, bad syntax and deep nesting are
    refused with an ``error`` saying where."""
    def no_constants(name: str) -> None:
        raise coded(error, "json_constant", name=name)

    try:
        return json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as e:
        raise coded(error, "not_json", line=e.lineno, column=e.colno) from None
    except RecursionError:
        raise coded(error, "json_nested") from None


def dumps(doc: Document) -> str:
    """Compact JSON text of a document (exact float round trip)."""
    return json.dumps(doc, separators=(",", ":"), allow_nan=False)


# --- queries -------------------------------------------------------------------------------


def _find(doc: Document, version: str) -> int:
    for i, e in enumerate(doc["models"]):
        if e["version"] == version:
            return i
    known = ", ".join(e["version"] for e in doc["models"]) or "—"
    raise coded(RegistryError, "no_model", version=version, known=known)


def summary(entry: Entry) -> dict[str, Any]:
    """An entry without its weights, plus architecture and classes, for listings."""
    out = {"notes": "", "tags": [], "lineage": None,
           **{k: v for k, v in entry.items() if k != "model"}}
    out["architecture"] = entry["model"]["architecture"]
    none_class = entry["model"].get("none_class")
    out["classes"] = [c for c in entry["model"]["classes"] if c != none_class]
    out["can_reject"] = none_class is not None
    return out


def list_models(doc: Document) -> list[dict[str, Any]]:
    """Summaries of every model, in registration order."""
    return [summary(e) for e in doc["models"]]


def get(doc: Document, version: str) -> Entry:
    """The full entry for ``version``."""
    return doc["models"][_find(doc, version)]


def get_production(doc: Document) -> Entry:
    """The production entry; ``RegistryError`` if the registry has none."""
    for e in doc["models"]:
        if e["is_production"]:
            return e
    raise coded(RegistryError, "no_production")


def load_model(entry: Entry) -> MLP:
    """The ``MLP`` stored in an entry."""
    return model_from_dict(entry["model"])


def load_recognizer(entry: Entry) -> Recognizer:
    """The entry's model with its "none of these" output, if it has one."""
    return Recognizer(load_model(entry), entry["model"].get("none_class"),
                      entry["model"].get("preprocessing", "none"))


# --- changes -------------------------------------------------------------------------------


def _with_production(models: list[Entry], version: str | None) -> list[Entry]:
    """Copy of ``models`` where only ``version`` is production (entries copied on change)."""
    return [e if e["is_production"] == (e["version"] == version)
            else {**e, "is_production": e["version"] == version} for e in models]


def _production_version(models: list[Entry]) -> str | None:
    return next((e["version"] for e in models if e["is_production"]), None)


def _moved(doc: Document, models: list[Entry], version: str | None, how: str,
           note: str | None = None, now: datetime | None = None) -> Document:
    """``doc`` with ``models`` of which ``version`` is production; a change of production
    is recorded in the history (``how``, ``note``). Without a production model (damaged,
    or none yet), the last one the history names is the one replaced."""
    history = doc["history"]
    before = _production_version(doc["models"]) or (history[-1]["to"] if history else None)
    if version is not None and version != before:
        try:
            history = hist.append(history, hist.event(before, version, how, note, now))
        except HistoryError as e:
            raise within(RegistryError, e) from None
    return {**doc, "models": _with_production(models, version), "history": history}


def make_version(accuracy: float, created_at: datetime, taken: set[str] | list[str]) -> str:
    """``v1.0_YYYYMMDD_HHMMSS_accX.XXX``, with ``-2``, ``-3``... if that name is taken."""
    base = f"{ALGORITHM_VERSION}_{created_at:%Y%m%d_%H%M%S}_acc{accuracy:.3f}"
    version, n = base, 2
    while version in taken:
        version, n = f"{base}-{n}", n + 1
    return version


def register(doc: Document, model: MLP | dict[str, Any], *, accuracy: float,
             metrics: dict[str, Any] | None = None, dataset_info: dict[str, Any] | None = None,
             lineage: dict[str, Any] | None = None, promote: bool = False,
             note: str | None = None, now: datetime | None = None) -> tuple[Document, Entry]:
    """Add a model; the first model of a registry, or ``promote=True``, makes it production
    (recorded in the history as a promotion, with ``note``).

    Returns ``(new_document, new_entry)``.
    """
    if len(doc["models"]) >= MAX_MODELS:
        raise coded(RegistryError, "registry_full", limit=MAX_MODELS)
    payload = model_to_dict(model) if isinstance(model, MLP) else model
    now = (now or datetime.now(UTC)).astimezone(UTC)
    entry = {
        "version": make_version(accuracy, now, {e["version"] for e in doc["models"]}),
        "created_at": now.isoformat(timespec="microseconds"),
        "accuracy": float(accuracy),
        "hyperparameters": copy.deepcopy(payload.get("hyperparameters"))
        if isinstance(payload, dict) else None,
        "dataset_info": dataset_info or {},
        "metrics": metrics or {"accuracy": float(accuracy)},
        "is_production": False,
        "model": payload,
    }
    if lineage is not None:
        entry["lineage"] = lineage
    validate_entry(entry, "new model")
    models = [*doc["models"], entry]
    if promote or not doc["models"]:
        doc = _moved(doc, models, entry["version"], "promote", note, now)
        return doc, doc["models"][-1]
    return {**doc, "models": models}, entry


def set_production(doc: Document, version: str, *, how: str = "promote",
                   note: str | None = None, now: datetime | None = None) -> Document:
    """Make ``version`` the one production model, recording how (and why: ``note``)."""
    _find(doc, version)
    return _moved(doc, doc["models"], version, how, note, now)


def rollback(doc: Document, note: str | None = None,
             now: datetime | None = None) -> tuple[Document, str]:
    """Make the production model before the current one production again (see
    ``history.rollback_target``). Returns ``(new_document, version)``."""
    try:
        target = hist.rollback_target(doc["history"], _production_version(doc["models"]),
                                      {e["version"] for e in doc["models"]})
    except HistoryError as e:
        raise within(RegistryError, e) from None
    return set_production(doc, target, how="rollback", note=note, now=now), target


def annotate(doc: Document, version: str, *, notes: str | None = None,
             tags: list[str] | None = None) -> tuple[Document, Entry]:
    """Change a model's notes and/or tags (``None`` leaves one as it is).
    Returns ``(new_document, new_entry)``."""
    i = _find(doc, version)
    entry = dict(doc["models"][i])
    if notes is not None:
        try:
            entry["notes"] = check_note(notes, "notes")
        except HistoryError as e:
            raise within(RegistryError, e) from None
    if tags is not None:
        entry["tags"] = check_tags(tags)
    return {**doc, "models": [*doc["models"][:i], entry, *doc["models"][i + 1:]]}, entry


def delete(doc: Document, version: str) -> Document:
    """Remove a model. The production model cannot be deleted: promote another first."""
    i = _find(doc, version)
    if doc["models"][i]["is_production"]:
        raise coded(RegistryError, "delete_production", version=version)
    return {**doc, "models": doc["models"][:i] + doc["models"][i + 1:]}


def export_bundle(doc: Document, versions: list[str] | None = None) -> Document:
    """A bundle (same format as a registry) with all models or the chosen ``versions``,
    and the production history."""
    models = list(doc["models"]) if versions is None else [
        doc["models"][_find(doc, v)] for v in versions]
    return {"schema_version": SCHEMA_VERSION, "models": models,
            "history": list(doc["history"])}


def import_bundle(doc: Document, bundle: Any) -> tuple[Document, dict[str, list[str]]]:
    """Add every model of ``bundle`` (a dict or JSON text) or none of them.

    The whole bundle is validated first (its history too). A version already present is
    skipped if its model and metadata are identical (notes and tags may differ: the
    registry keeps its own) and refused otherwise. The registry keeps its production
    model and its history; an empty registry takes the bundle's production model (or its
    newest) and, if it has none of its own, the bundle's history; a change of production
    is recorded as an import.
    Returns ``(new_document, {"imported": [...], "skipped": [...]})``.
    """
    bundle = loads(bundle) if isinstance(bundle, str | bytes) else validate(bundle)
    existing = {e["version"]: e for e in doc["models"]}
    imported, skipped = [], []

    def strip(e: Entry) -> Entry:
        return {k: v for k, v in e.items() if k not in ("is_production", "notes", "tags")}

    for e in bundle["models"]:
        old = existing.get(e["version"])
        if old is None:
            imported.append(e)
        elif strip(old) == strip(e):
            skipped.append(e["version"])
        else:
            raise coded(RegistryError, "import_conflict", version=e["version"])
    if len(doc["models"]) + len(imported) > MAX_MODELS:
        raise coded(RegistryError, "import_too_many", count=len(imported), limit=MAX_MODELS)
    models = [*doc["models"], *imported]
    try:
        production = get_production(doc)["version"]
    except RegistryError:
        if not doc["models"] and not doc["history"]:
            doc = {**doc, "history": list(bundle["history"])}
        flagged = [e["version"] for e in imported if e["is_production"]]
        newest = max(imported, key=lambda e: e["created_at"])["version"] if imported else None
        production = flagged[0] if flagged else newest
    return (_moved(doc, models, production, "import"),
            {"imported": [e["version"] for e in imported], "skipped": skipped})


def reset(doc: Document, bundle: Any) -> tuple[Document, dict[str, list[str]]]:
    """Replace every model with the bundle's (as ``import_bundle`` into an empty
    registry); the history is kept and the change recorded as a reset."""
    new, report = import_bundle(empty_registry(), bundle)
    return _moved(doc, new["models"], _production_version(new["models"]), "reset"), report
