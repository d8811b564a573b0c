"""A registry kept in a JSON file (the CPython edge; the browser keeps it in IndexedDB).

Two places matter: ``DEFAULT_BUNDLE``, the default models shipped inside the package
(read-only, ``build.py pretrain`` writes it), and ``user_registry_path()``, where a
person's own registry lives unless they pass another path. Nothing is ever written
inside the installed package.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ..messages import coded, within
from . import document

#: The default models, shipped as package data (``trained_models/registry.json`` in the
#: repository points here).
DEFAULT_BUNDLE = Path(__file__).resolve().with_name("default_registry.json")


def user_registry_path() -> Path:
    """This user's registry file: ``$XDG_DATA_HOME/mlp-core/registry.json`` (default
    ``~/.local/share``), ``~/Library/Application Support/mlp-core`` on macOS and
    ``%APPDATA%\\mlp-core`` on Windows."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "mlp-core" / "registry.json"


def read_registry(path: str | os.PathLike,
                  default: str | os.PathLike | None = None) -> document.Document:
    """The validated document in ``path``. If the file does not exist: the document in
    ``default`` when given (e.g. ``DEFAULT_BUNDLE``), else an empty registry."""
    path = Path(path)
    if not path.exists():
        return read_registry(default) if default is not None else document.empty_registry()
    size = path.stat().st_size
    if size > document.MAX_BUNDLE_BYTES:
        raise within(document.RegistryError, coded(
            document.RegistryError, "file_too_large", size=size,
            limit=document.MAX_BUNDLE_BYTES), str(path))
    try:
        return document.loads(path.read_bytes())
    except document.RegistryError as e:
        raise within(document.RegistryError, e, str(path)) from None


def write_registry(path: str | os.PathLike, doc: document.Document) -> None:
    """Write ``doc`` atomically: a temp file in the same folder, fsync, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = document.dumps(doc) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a registry is not a secret
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
