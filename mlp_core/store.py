"""A registry kept in a JSON file (the CPython edge; the browser keeps it in IndexedDB)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import registry

DEFAULT_PATH = Path("trained_models") / "registry.json"


def read_registry(path: str | os.PathLike) -> registry.Document:
    """The validated document in ``path``; an empty registry if the file does not exist."""
    path = Path(path)
    if not path.exists():
        return registry.empty_registry()
    size = path.stat().st_size
    if size > registry.MAX_BUNDLE_BYTES:
        raise registry.RegistryError(f"{path} is {size} bytes; the limit is "
                                     f"{registry.MAX_BUNDLE_BYTES}")
    try:
        return registry.loads(path.read_bytes())
    except registry.RegistryError as e:
        raise registry.RegistryError(f"{path}: {e}") from None


def write_registry(path: str | os.PathLike, doc: registry.Document) -> None:
    """Write ``doc`` atomically: a temp file in the same folder, fsync, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = registry.dumps(doc) + "\n"
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
