"""A saved project: everything a person made in the page, in one JSON file.

``{"format", "format_version", "saved_at", "registry": {schema_version, models, history},
"letters": [{"letter", "template", "created_at"}], "examples": [{"id", "label",
"pattern", "split", "created_at"}]}``. Opening one replaces the page's state with exactly
that, so it is checked as a whole first (``check_project``) and refused with the first
reason, all or nothing.
"""

from __future__ import annotations

from typing import Any

from ..data.examples import SPLITS, check_new_letter, check_sample, with_splits
from ..data.synthetic import default_templates
from ..limits import MAX_BUNDLE_BYTES, MAX_CLASSES, MAX_USER_SAMPLES
from ..messages import coded, unreadable_version, within
from . import document
from .history import HistoryError, parse_time

FORMAT = "letter-recognizer/project"
#: 2: an example may be labelled ``NONE_LABEL`` (a drawing of none of the letters).
#: Version 1 files read as they are.
FORMAT_VERSION = 2
KEYS = ("format", "format_version", "saved_at", "registry", "letters", "examples")
LETTER_KEYS = ("letter", "template", "created_at")
EXAMPLE_KEYS = ("id", "label", "pattern", "split", "created_at")


class ProjectError(ValueError):
    """A project file was refused; the message says why (nothing was changed)."""


def make_project(doc: document.Document, letters: list[dict[str, Any]],
                 examples: list[dict[str, Any]], saved_at: str) -> dict[str, Any]:
    """A project from the registry ``doc`` and the stored ``letters`` and ``examples``
    (each example with its split: its own, or its default one)."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "saved_at": saved_at,
            "registry": document.export_bundle(doc),
            "letters": [{k: c[k] for k in LETTER_KEYS} for c in letters],
            "examples": [{k: s[k] for k in EXAMPLE_KEYS} for s in with_splits(examples)]}


def _time(value: Any, where: str) -> None:
    try:
        parse_time(value, where)
    except HistoryError as e:
        raise within(ProjectError, e) from None


def _exact(obj: Any, keys: tuple[str, ...], where: str) -> None:
    if not isinstance(obj, dict) or set(obj) != set(keys):
        raise coded(ProjectError, "field_keys", where=where, keys=", ".join(keys))


def check_project(project: Any) -> dict[str, Any]:
    """Check a whole project (an object, or JSON text up to ``MAX_BUNDLE_BYTES``):
    format, registry (as a bundle import checks it, and a non-empty one must have its
    production model), letters (new names, drawable templates) and examples (known
    letters, valid drawings and splits, distinct ids). Returns it normalized."""
    if isinstance(project, str | bytes):
        if len(project) > MAX_BUNDLE_BYTES:
            raise coded(ProjectError, "file_too_large", size=len(project),
                        limit=MAX_BUNDLE_BYTES)
        project = document.parse_json(project, ProjectError)
    if isinstance(project, dict) and project.get("format") != FORMAT:
        raise coded(ProjectError, "not_project", found=repr(project.get("format")),
                    expected=repr(FORMAT))
    # The version first: a newer version's project may have other keys.
    found = project.get("format_version", FORMAT_VERSION) if isinstance(project, dict) else None
    if found is not None and found not in range(1, FORMAT_VERSION + 1):
        raise unreadable_version(ProjectError, "format_version", FORMAT_VERSION, found)
    _exact(project, KEYS, "project")
    _time(project["saved_at"], "saved_at")
    try:
        doc = document.validate(project["registry"])
    except document.RegistryError as e:
        raise within(ProjectError, e, "registry") from None
    if doc["models"] and not any(e["is_production"] for e in doc["models"]):
        raise coded(ProjectError, "production_missing", where="registry")

    letters, known = [], sorted(default_templates())
    raw_letters = project["letters"]
    if not isinstance(raw_letters, list) or len(known) + len(raw_letters) > MAX_CLASSES:
        raise coded(ProjectError, "field_list", where="letters",
                    limit=MAX_CLASSES - len(known))
    for i, c in enumerate(raw_letters):
        where = f"letters[{i}]"
        _exact(c, LETTER_KEYS, where)
        _time(c["created_at"], f"{where}.created_at")
        try:
            checked = check_new_letter(c, known)
        except ValueError as e:
            raise within(ProjectError, e, where) from None
        letters.append({**checked, "created_at": c["created_at"]})
        known.append(checked["letter"])

    examples, ids = [], set()
    raw_examples = project["examples"]
    if not isinstance(raw_examples, list) or len(raw_examples) > MAX_USER_SAMPLES:
        raise coded(ProjectError, "field_list", where="examples", limit=MAX_USER_SAMPLES)
    for i, s in enumerate(raw_examples):
        where = f"examples[{i}]"
        _exact(s, EXAMPLE_KEYS, where)
        _time(s["created_at"], f"{where}.created_at")
        if not isinstance(s["id"], int) or isinstance(s["id"], bool) or s["id"] < 1 \
                or s["id"] in ids:
            raise coded(ProjectError, "field_id", where=f"{where}.id")
        ids.add(s["id"])
        if s["split"] is None:
            raise coded(ProjectError, "field_choice", where=f"{where}.split",
                        choices=", ".join(SPLITS))
        try:
            checked = check_sample(s, known)
        except ValueError as e:
            raise within(ProjectError, e, where) from None
        examples.append({**checked, "id": s["id"], "created_at": s["created_at"]})
    examples.sort(key=lambda s: s["id"])  # the order they were added in
    return {**project, "registry": doc, "letters": letters, "examples": examples}
