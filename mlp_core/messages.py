"""Errors a person meets, each under a stable code with parameters.

The English text is the exception's message, as Python and the CLI show it. The code
and the parameters travel with the exception (as a note the web worker reads), so the
page can say it in its own language: its catalogues hold these messages as
``py.<code>`` (`python build.py generate` writes the English ones from ``MESSAGES``).
"""

from __future__ import annotations

import json
from typing import Any

#: code -> English message, with {name} placeholders for its parameters.
MESSAGES: dict[str, str] = {
    "letter_exists": "there is already a letter called '{letter}'",
    "letter_name": "a class name must be a non-empty string of at most 32 characters",
    "letter_reserved": "'{name}' is reserved for drawings that are none of the letters; "
                       "choose another name",
    "template_cells": "template for '{letter}' needs at least 3 inked cells",
    "unknown_label": "sample {n} is labelled '{label}', which is not one of the classes "
                     "{letters}",
    "no_model": "no model with version '{version}'; available: {known}",
    "no_production": "the registry has no production model: train and register one, or "
                     "import a bundle",
    "diverged": "training diverged at epoch {epoch} (loss is {loss}); lower the "
                "learning_rate or momentum",
}

#: What starts the note that carries an error's code and parameters.
NOTE = "mlp_core-message "


def coded(cls: type[Exception], code: str, **params: Any) -> Exception:
    """An exception of type ``cls`` saying ``MESSAGES[code]`` with ``params``; it carries
    ``code`` and ``params`` as attributes and as a note (``NOTE`` + JSON)."""
    exc = cls(MESSAGES[code].format(**params))
    exc.code, exc.params = code, params  # type: ignore[attr-defined]
    exc.add_note(NOTE + json.dumps({"code": code, "params": params}, default=str))
    return exc
