"""The model registry: pure functions over a JSON document ``{"schema_version", "models"}``.

Nothing here reads or writes storage. Every operation takes a document and returns a new
one (inputs are never mutated), so the caller decides where documents live: a file on
CPython (``store.py``), IndexedDB in the browser. Invariants kept by every operation:
versions are unique, and a non-empty registry has exactly one production model.
"""

from __future__ import annotations

import copy
import json
import math
import re
from datetime import UTC, datetime
from typing import Any

from .limits import MAX_BUNDLE_BYTES, MAX_MODELS
from .mlp import MLP
from .recognizer import Recognizer
from .serialize import model_from_dict, model_to_dict

SCHEMA_VERSION = 1
ALGORITHM_VERSION = "v1.0"
ENTRY_KEYS = ("version", "created_at", "accuracy", "hyperparameters", "dataset_info",
              "metrics", "is_production", "model")
_VERSION_RE = re.compile(r"^v\d+\.\d+_\d{8}_\d{6}_acc\d\.\d{3}(-\d+)?$")

Document = dict[str, Any]
Entry = dict[str, Any]


class RegistryError(ValueError):
    """A registry operation was refused; the message says why and what to do."""


# --- documents and validation ------------------------------------------------------------


def empty_registry() -> Document:
    """A registry with no models."""
    return {"schema_version": SCHEMA_VERSION, "models": []}


def _check_json_value(value: Any, where: str, depth: int = 0) -> None:
    """Only plain JSON (finite numbers, bounded nesting) may sit in metadata fields."""
    if depth > 8:
        raise RegistryError(f"{where} is nested too deeply")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise RegistryError(f"{where} has a non-string key {k!r}")
            _check_json_value(v, f"{where}.{k}", depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_json_value(v, f"{where}[{i}]", depth + 1)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise RegistryError(f"{where} is {value}, which is not a finite number")
    elif not (value is None or isinstance(value, str | int | bool)):
        raise RegistryError(f"{where} has a value of type {type(value).__name__}")


def _migrate_legacy_entry(entry: Any, i: int) -> Any:
    """Schema 0 (the server-era registry) named pickle files; only entries that already
    carry a JSON ``model`` payload can be migrated."""
    if not isinstance(entry, dict):
        return entry
    if "model" not in entry:
        raise RegistryError(
            f"models[{i}] ({entry.get('version', '?')}) refers to pickle file "
            f"{entry.get('filename', '?')!r}; pickles are never loaded (they can run code). "
            "Retrain the model or export it as JSON with mlp_core.")
    out = {k: v for k, v in entry.items() if k != "filename"}
    if isinstance(out["model"], dict):
        out["hyperparameters"] = copy.deepcopy(out["model"].get("hyperparameters"))
    out.setdefault("metrics", {"accuracy": out.get("accuracy")})
    out.setdefault("dataset_info", {})
    return out


def migrate(doc: Any) -> Any:
    """Bring an older document to the current schema (schema 0 had no ``schema_version``)."""
    if isinstance(doc, dict) and "schema_version" not in doc and isinstance(
            doc.get("models"), list):
        return {"schema_version": SCHEMA_VERSION,
                "models": [_migrate_legacy_entry(e, i) for i, e in enumerate(doc["models"])]}
    return doc


def validate_entry(entry: Any, where: str = "entry") -> Entry:
    """Check one registry entry completely, including its model payload."""
    if not isinstance(entry, dict):
        raise RegistryError(f"{where} must be an object, got {type(entry).__name__}")
    missing = [k for k in ENTRY_KEYS if k not in entry]
    extra = sorted(set(entry) - set(ENTRY_KEYS))
    if missing or extra:
        raise RegistryError(f"{where} has missing fields {missing} / unknown fields {extra}")
    version = entry["version"]
    if not isinstance(version, str) or not _VERSION_RE.match(version):
        raise RegistryError(f"{where}.version {version!r} is not of the form "
                            "v1.0_YYYYMMDD_HHMMSS_accX.XXX")
    where = f"{where} ({version})"
    created = entry["created_at"]
    try:
        stamp = datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        stamp = None
    if stamp is None or stamp.utcoffset() is None:
        raise RegistryError(f"{where}: created_at must be an ISO 8601 UTC timestamp, "
                            f"got {created!r}")
    acc = entry["accuracy"]
    if isinstance(acc, bool) or not isinstance(acc, int | float) or not 0 <= acc <= 1:
        raise RegistryError(f"{where}: accuracy must be a number from 0 to 1, got {acc!r}")
    if not isinstance(entry["is_production"], bool):
        raise RegistryError(f"{where}: is_production must be true or false")
    for key in ("hyperparameters", "dataset_info", "metrics"):
        if not isinstance(entry[key], dict):
            raise RegistryError(f"{where}: {key} must be an object")
        _check_json_value(entry[key], f"{where}.{key}")
    try:
        model = model_from_dict(entry["model"])
    except ValueError as e:
        raise RegistryError(f"{where}: {e}") from None
    if entry["hyperparameters"] != model_to_dict(model)["hyperparameters"]:
        raise RegistryError(f"{where}: hyperparameters differ from the model's own")
    return entry


def validate(doc: Any) -> Document:
    """Migrate and check a whole document (a stored registry or an imported bundle).

    Returns the migrated document. Raises ``RegistryError`` naming the first problem.
    A bundle may have no production model; it may never have more than one.
    """
    doc = migrate(doc)
    if not isinstance(doc, dict) or set(doc) != {"schema_version", "models"}:
        raise RegistryError("a registry must be an object with exactly the keys "
                            "'schema_version' and 'models'")
    if doc["schema_version"] != SCHEMA_VERSION:
        raise RegistryError(f"unknown schema_version {doc['schema_version']!r}; this version "
                            f"of mlp_core reads {SCHEMA_VERSION} (and older)")
    models = doc["models"]
    if not isinstance(models, list):
        raise RegistryError("'models' must be a list")
    if len(models) > MAX_MODELS:
        raise RegistryError(f"{len(models)} models exceed the limit of {MAX_MODELS}")
    for i, entry in enumerate(models):
        validate_entry(entry, f"models[{i}]")
    versions = [e["version"] for e in models]
    dupes = sorted({v for v in versions if versions.count(v) > 1})
    if dupes:
        raise RegistryError(f"duplicate versions: {', '.join(dupes)}")
    production = [e["version"] for e in models if e["is_production"]]
    if len(production) > 1:
        raise RegistryError(f"more than one production model: {', '.join(production)}")
    return doc


def loads(text: str | bytes) -> Document:
    """Parse and validate a JSON registry or bundle, refusing oversize input and NaN."""
    if len(text) > MAX_BUNDLE_BYTES:
        raise RegistryError(f"the file is {len(text)} bytes; the limit is {MAX_BUNDLE_BYTES}")

    def no_constants(name: str) -> None:
        raise RegistryError(f"the JSON contains {name}, which is not a valid number")

    try:
        doc = json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as e:
        raise RegistryError(f"not valid JSON: {e}") from None
    except RecursionError:
        raise RegistryError("the JSON is nested too deeply") from None
    return validate(doc)


def dumps(doc: Document) -> str:
    """Compact JSON text of a document (exact float round trip)."""
    return json.dumps(doc, separators=(",", ":"), allow_nan=False)


# --- queries -------------------------------------------------------------------------------


def _find(doc: Document, version: str) -> int:
    for i, e in enumerate(doc["models"]):
        if e["version"] == version:
            return i
    known = ", ".join(e["version"] for e in doc["models"]) or "none"
    raise RegistryError(f"no model with version {version!r}; available: {known}")


def summary(entry: Entry) -> dict[str, Any]:
    """An entry without its weights, plus architecture and classes, for listings."""
    out = {k: v for k, v in entry.items() if k != "model"}
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
    raise RegistryError("the registry has no production model: train and register one, "
                        "or import a bundle")


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


def make_version(accuracy: float, created_at: datetime, taken: set[str] | list[str]) -> str:
    """``v1.0_YYYYMMDD_HHMMSS_accX.XXX``, with ``-2``, ``-3``... if that name is taken."""
    base = f"{ALGORITHM_VERSION}_{created_at:%Y%m%d_%H%M%S}_acc{accuracy:.3f}"
    version, n = base, 2
    while version in taken:
        version, n = f"{base}-{n}", n + 1
    return version


def register(doc: Document, model: MLP | dict[str, Any], *, accuracy: float,
             metrics: dict[str, Any] | None = None, dataset_info: dict[str, Any] | None = None,
             promote: bool = False, now: datetime | None = None) -> tuple[Document, Entry]:
    """Add a model; the first model of a registry, or ``promote=True``, makes it production.

    Returns ``(new_document, new_entry)``.
    """
    if len(doc["models"]) >= MAX_MODELS:
        raise RegistryError(f"the registry holds the maximum of {MAX_MODELS} models; "
                            "delete some first")
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
    validate_entry(entry, "new model")
    models = [*doc["models"], entry]
    if promote or not doc["models"]:
        models = _with_production(models, entry["version"])
        entry = models[-1]
    return {**doc, "models": models}, entry


def set_production(doc: Document, version: str) -> Document:
    """Make ``version`` the one production model."""
    _find(doc, version)
    return {**doc, "models": _with_production(doc["models"], version)}


def delete(doc: Document, version: str) -> Document:
    """Remove a model. The production model cannot be deleted: promote another first."""
    i = _find(doc, version)
    if doc["models"][i]["is_production"]:
        raise RegistryError(f"{version} is the production model and cannot be deleted; "
                            "promote another model first")
    return {**doc, "models": doc["models"][:i] + doc["models"][i + 1:]}


def export_bundle(doc: Document, versions: list[str] | None = None) -> Document:
    """A bundle (same format as a registry) with all models or the chosen ``versions``."""
    if versions is None:
        return {"schema_version": SCHEMA_VERSION, "models": list(doc["models"])}
    return {"schema_version": SCHEMA_VERSION,
            "models": [doc["models"][_find(doc, v)] for v in versions]}


def import_bundle(doc: Document, bundle: Any) -> tuple[Document, dict[str, list[str]]]:
    """Add every model of ``bundle`` (a dict or JSON text) or none of them.

    The whole bundle is validated first. A version already present is skipped if its
    content is identical and refused otherwise. The registry keeps its production model;
    an empty registry takes the bundle's (or its newest model).
    Returns ``(new_document, {"imported": [...], "skipped": [...]})``.
    """
    bundle = loads(bundle) if isinstance(bundle, str | bytes) else validate(bundle)
    existing = {e["version"]: e for e in doc["models"]}
    imported, skipped = [], []

    def strip(e: Entry) -> Entry:
        return {k: v for k, v in e.items() if k != "is_production"}

    for e in bundle["models"]:
        old = existing.get(e["version"])
        if old is None:
            imported.append(e)
        elif strip(old) == strip(e):
            skipped.append(e["version"])
        else:
            raise RegistryError(f"version {e['version']} already exists with different "
                                "content; nothing was imported")
    if len(doc["models"]) + len(imported) > MAX_MODELS:
        raise RegistryError(f"importing {len(imported)} models would exceed the limit of "
                            f"{MAX_MODELS}; nothing was imported")
    models = [*doc["models"], *imported]
    try:
        production = get_production(doc)["version"]
    except RegistryError:
        flagged = [e["version"] for e in imported if e["is_production"]]
        newest = max(imported, key=lambda e: e["created_at"])["version"] if imported else None
        production = flagged[0] if flagged else newest
    return ({**doc, "models": _with_production(models, production)},
            {"imported": [e["version"] for e in imported], "skipped": skipped})
