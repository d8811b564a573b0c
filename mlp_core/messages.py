"""Errors a person can meet, each under a stable code with parameters.

The English text is the exception's message, as Python and the CLI show it. The code
and the parameters travel with the exception (as a note the web worker reads), so the
page can say it in its own language: its catalogues hold these messages under
``KEY_PREFIX + code`` (`python build.py generate` writes the English ones from
``MESSAGES``).

A problem inside a larger document names its place (``where``: a JSON path such as
``models[2].lineage``, never words), so the same few messages describe every field of
every file the app reads, as JSON Schema validators do. Errors only a programmer meets (an
API called with wrong types, an unknown operation) stay plain English exceptions.
"""

from __future__ import annotations

import json
import math
from typing import Any

#: code -> English message, with {name} placeholders for its parameters.
MESSAGES: dict[str, str] = {
    # letters and examples
    "letter_exists": "there is already a letter called '{letter}'",
    "letter_name": "a class name must be a non-empty string of at most 32 characters",
    "letter_reserved": "'{name}' is reserved for drawings that are none of the letters; "
                       "choose another name",
    "template_cells": "template for '{letter}' needs at least 3 inked cells",
    "unknown_label": "sample {n} is labelled '{label}', which is not one of the classes "
                     "{letters} nor '(none)' (none of them)",
    "too_many_letters": "at most {limit} letters can be trained",
    "pattern_text": "pattern must be a list of {size} numbers (0 or 1), not a string",
    "pattern_type": "pattern must be a list of {size} values or {grid} rows of {grid}, got "
                    "{type}",
    "pattern_rows": "a nested pattern must be {grid} rows of {grid} values",
    "pattern_size": "pattern must have {size} values ({grid}x{grid}), got shape {shape}",
    "pattern_number": "pattern value {index} is {value}; use 0 or 1",
    "bits": "bits must be a string of {size} characters 0 or 1",
    "pattern_string": "pattern must be {size} cells of 0 and 1 (a {grid}x{grid} grid as a "
                      "list of rows, a flat list, or a string of {size} characters 0 and "
                      "1); got a string of {count} characters",
    "pattern_character": "pattern character {index} is '{character}'; a pattern written as "
                         "text holds only 0 and 1 (spaces, line breaks, commas, '|' and '_' "
                         "between them are ignored)",
    "pattern_value": "pattern value {index} is {value}; only 0 and 1 are allowed",
    # the registry
    "no_model": "no model with version '{version}'; available: {known}",
    "no_production": "the registry has no production model: train and register one, or "
                     "import a bundle",
    "registry_full": "the registry holds the maximum of {limit} models; delete some first",
    "delete_production": "{version} is the production model and cannot be deleted; "
                         "promote another model first",
    "import_conflict": "version {version} already exists with different content; nothing "
                       "was imported",
    "import_too_many": "importing {count} models would exceed the limit of {limit}; "
                       "nothing was imported",
    "no_rollback": "there is no earlier production model to roll back to (it was never "
                   "changed, or the earlier ones were deleted)",
    "nothing_to_register": "there is no trained model to register: train one first",
    "model_inputs": "model {version} reads {count} inputs, not a {grid}x{grid} drawing",
    # training
    "diverged": "training diverged at epoch {epoch} (loss is {loss}); lower the "
                "learning_rate or momentum",
    "needs_validation": "validation_fraction must be above 0 for this recipe: it "
                        "measures, stops early and calibrates on the validation samples",
    "class_too_small": "every class needs at least 2 samples to split off a validation set",
    # files
    "file_too_large": "the file is {size} bytes; the limit is {limit}",
    "not_json": "not valid JSON (line {line}, column {column})",
    "json_constant": "the file contains {name}, which is not a valid number",
    "json_nested": "the JSON is nested too deeply",
    "not_project": "not a project file: its format is {found}, not {expected} (a model "
                   "bundle is opened with Import bundle)",
    "not_model": "{where} is not a model: its format is {found}, not {expected}",
    "file_version": "{where}: this version of the app reads version {known} (and older), "
                    "not {found}",
    "newer_version": "{where}: made by a newer version of the app (version {found}; this "
                     "one reads {known} and older). Nothing was changed: reload the page "
                     "(or update mlp_core) to get the newer version, then try again.",
    "pickle": "{where} refers to pickle file {file}; pickles are never loaded (they can run "
              "code). Retrain the model or export it as JSON with mlp_core.",
    # exports and scikit-learn imports
    "export_format": "'{found}' is not an export format; choose one of {known}",
    "skops_file": "this file is not a complete skops file (a zip holding schema.json); "
                  "choose a .skops file saved by skops.io.dump or exported by this app",
    "skops_protocol": "this skops file uses protocol {found}; the app reads protocol "
                      "{known} (skops 0.10 or newer): save it again with a newer skops",
    "skops_damaged": "this skops file is damaged: {where} cannot be read",
    "skops_estimator": "the file holds {found}; the app imports a fitted MLPClassifier, "
                       "alone or in a Pipeline after CenterDrawing (letter_centering.py)",
    "skops_not_fitted": "the MLPClassifier in the file is not fitted (no coefs_, "
                        "intercepts_ or classes_): fit it before saving it",
    "skops_activation": "the MLPClassifier uses activation {found}; the app runs {known}",
    "skops_output": "the MLPClassifier's output is {found}, not softmax or a two-class "
                    "logistic",
    "skops_inputs": "the MLPClassifier reads {count} features; the app's drawings are "
                    "{size} (a 10x10 grid, row-major, 1 = ink)",
    # one field of a file (as JSON Schema validators name them)
    "field_object": "{where} must be an object",
    "field_keys": "{where} must be an object with exactly the keys {keys}",
    "field_list": "{where} must be a list of at most {limit} items",
    "field_text": "{where} must be text of at most {limit} characters",
    "field_bool": "{where} must be true or false",
    "field_number": "{where} must be a number from {min} to {max}",
    "field_integer": "{where} must be an integer from {min} to {max}",
    "field_kind": "{where} must be a kind of change: lowercase letters and _ (up to 32), "
                  "such as {choices}",
    "field_choice": "{where} must be one of {choices}",
    "field_version": "{where} is not a model version (v1.0_YYYYMMDD_HHMMSS_accX.XXX)",
    "field_time": "{where} must be an ISO 8601 UTC timestamp",
    "field_json": "{where} holds something JSON cannot: keep to text, finite numbers, "
                  "true/false, null, lists and objects nested at most 8 deep",
    "field_digest": "{where} must be 64 hexadecimal digits",
    "field_id": "{where} must be a positive integer, used once",
    "field_tag": "{where}: '{tag}' is not a tag (1 to {limit} characters, no commas)",
    "field_tags": "{where} has repeats or spaces around a tag",
    "too_many": "{where} has {count} items; the limit is {limit}",
    "too_long": "{where} has {count} characters; the limit is {limit}",
    "duplicates": "{where} repeats {values}",
    "many_production": "more than one production model: {versions}",
    "production_missing": "{where} has models but no production model",
    "history_order": "{where} is dated before the event it follows; a history is in time "
                     "order",
    # a model file's inside
    "weights": "{where} must be nested lists of finite numbers, of shape {shape}",
    "field_layers": "{where} must be a list of {count} layers",
    "field_numbers": "{where} must be a list of at most {limit} finite numbers",
    "layers": "{where} must be at least 3 positive layer sizes: the inputs, the hidden "
              "layers as in hidden_layer_sizes, and one output for each of its {classes} "
              "classes",
    "architecture": "{where} must name the activation of hyperparameters and a 'softmax' "
                    "output",
    "too_many_parameters": "{where} has {count} parameters; the limit is {limit}",
    "classes": "{where} must be 2 to {limit} different names, sorted",
    "hyperparameters_differ": "{where} differ from the model's own",
    "none_class": "{where} must be null or '{name}', one of the classes",
    "setting": "{setting} must be {describe}, got {value}",
    "noise_order": "noise_min must not exceed noise_max",
}

#: What starts the note that carries an error's code and parameters.
NOTE = "mlp_core-message "
#: Where the page's catalogues keep these messages: ``KEY_PREFIX + code``.
KEY_PREFIX = "py."


def _json(value: Any) -> str:
    """Strict JSON (what JavaScript's JSON.parse reads): a NaN or infinite number, such
    as a diverged loss, becomes its text; anything else JSON lacks, its str()."""
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(str(value))
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(map(_json, value)) + "]"
    return json.dumps(value, default=str)


def _note(exc: Exception, code: str, params: dict[str, Any], within: list[str]) -> None:
    exc.code, exc.params, exc.within = code, params, within  # type: ignore[attr-defined]
    exc.add_note(NOTE + _json({"code": KEY_PREFIX + code, "params": params, "within": within}))


def coded(cls: type[Exception], code: str, **params: Any) -> Exception:
    """An exception of type ``cls`` saying ``MESSAGES[code]`` with ``params``; it carries
    ``code`` and ``params`` as attributes and as a note (``NOTE`` + JSON)."""
    exc = cls(MESSAGES[code].format(**params))
    _note(exc, code, params, [])
    return exc


def unreadable_version(cls: type[Exception], where: str, known: int, found: Any) -> Exception:
    """A document version this code cannot read: ``newer_version`` when ``found`` is a
    later version (a newer app made it; say so), else ``file_version``."""
    if isinstance(found, int) and not isinstance(found, bool) and found > known:
        return coded(cls, "newer_version", where=where, known=known, found=repr(found))
    return coded(cls, "file_version", where=where, known=known, found=repr(found))


def within(cls: type[Exception], exc: Exception, where: str | None = None) -> Exception:
    """``exc`` as a ``cls``, its message prefixed with ``where: `` when given (the place
    inside a larger document); a coded ``exc`` stays coded, with ``where`` in front of
    its places."""
    out = cls(f"{where}: {exc}" if where else str(exc))
    if hasattr(exc, "code"):
        _note(out, exc.code, exc.params, [where, *exc.within] if where else exc.within)
    return out


def explain(exc: Exception) -> dict[str, Any]:
    """``exc`` as data for the page: ``{"message"}``, and for a coded one also
    ``"code"`` (its catalogue key), ``"params"`` and ``"within"`` (its places)."""
    out: dict[str, Any] = {"message": str(exc)}
    if hasattr(exc, "code"):
        out.update(code=KEY_PREFIX + exc.code, params=exc.params, within=exc.within)
    return json.loads(_json(out))
