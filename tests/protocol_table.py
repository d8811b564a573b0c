"""The tables of web/shared/protocol.js, read from its source (for checks in Python)."""

from __future__ import annotations

import re
from pathlib import Path

PROTOCOL = Path(__file__).resolve().parent.parent / "web" / "shared" / "protocol.js"


def table(name: str) -> list[str]:
    """The keys of ``export const <name> = {...};`` in protocol.js, in order."""
    body = PROTOCOL.read_text().split(f"export const {name} = {{", 1)[1].split("\n};", 1)[0]
    body = re.sub(r"/\*\*.*?\*/", "", body, flags=re.S)
    return re.findall(r'^  "?([\w.-]+)"?:', body, flags=re.M)
