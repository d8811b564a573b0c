"""The production history: every change of the production model, oldest first.

An event is ``{"from", "to", "at", "how", "note"}``: the version that was production
(None for the first), the one that became production, when (ISO 8601, UTC), how (one of
``HOW``) and an optional note. A kind this version does not know (a newer version's, see
``KIND_RE``) is kept as it is and shown by its name: it is not damage. Pure functions
over lists of events; the registry keeps the list in its document.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, NamedTuple

from ..limits import MAX_HISTORY, MAX_NOTE_CHARS
from ..messages import coded


class HowWords(NamedTuple):
    """How a kind of production change is said in English: in the page's timeline
    (``how.<kind>`` in the catalogues) and in a model card's history
    (``card.how_<kind>``); ``build.py generate`` writes both from here."""

    timeline: str
    card: str


#: Every kind of production change (an event's ``how``), declared once: a person
#: promoted a model (or training promoted it), rolled back, imported models into an empty
#: registry, reset to the default models, or repair replaced a damaged production model.
HOW = {
    "promote": HowWords("promoted", "promoted"),
    "rollback": HowWords("rolled back", "rolled back to"),
    "import": HowWords("imported", "imported"),
    "reset": HowWords("reset to the default models", "reset to"),
    "repair": HowWords("replaced a damaged model", "repaired to"),
}
EVENT_KEYS = ("from", "to", "at", "how", "note")
#: What any version may name a kind: new kinds keep to it, so older versions keep them.
KIND_RE = re.compile(r"^[a-z][a-z_]{0,31}$")
VERSION_RE = re.compile(r"^v\d+\.\d+_\d{8}_\d{6}_acc\d\.\d{3}(-\d+)?$")

Event = dict[str, Any]


class HistoryError(ValueError):
    """A production history (or a note for it) was refused; the message says why."""


def check_note(note: Any, where: str = "note") -> str:
    """A note: text of at most ``MAX_NOTE_CHARS`` characters (None means none)."""
    if note is None:
        return ""
    if not isinstance(note, str):
        raise coded(HistoryError, "field_text", where=where, limit=MAX_NOTE_CHARS)
    if len(note) > MAX_NOTE_CHARS:
        raise coded(HistoryError, "too_long", where=where, count=len(note),
                    limit=MAX_NOTE_CHARS)
    return note


def parse_time(value: Any, where: str) -> datetime:
    """An ISO 8601 timestamp with a UTC offset, or ``HistoryError``."""
    try:
        stamp = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        stamp = None
    if stamp is None or stamp.utcoffset() is None:
        raise coded(HistoryError, "field_time", where=where)
    return stamp


def event(before: str | None, after: str, how: str, note: str | None = None,
          now: datetime | None = None) -> Event:
    """A new event: production went from ``before`` to ``after``."""
    if not isinstance(how, str) or how not in HOW:
        raise HistoryError(f"how must be one of {', '.join(HOW)}, got {how!r}")
    at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    return {"from": before, "to": after, "at": at, "how": how, "note": check_note(note)}


def append(history: list[Event], new: Event) -> list[Event]:
    """``history`` with ``new`` at the end; the oldest events go past ``MAX_HISTORY``."""
    return [*history, new][-MAX_HISTORY:]


def check_history(history: Any) -> list[Event]:
    """Check a whole history (as stored or imported): a list of at most ``MAX_HISTORY``
    well-formed events in time order. Returns it; raises ``HistoryError``."""
    if not isinstance(history, list) or len(history) > MAX_HISTORY:
        raise coded(HistoryError, "field_list", where="history", limit=MAX_HISTORY)
    previous = None
    for i, ev in enumerate(history):
        where = f"history[{i}]"
        if not isinstance(ev, dict) or set(ev) != set(EVENT_KEYS):
            raise coded(HistoryError, "field_keys", where=where, keys=", ".join(EVENT_KEYS))
        for key in ("from", "to"):
            v = ev[key]
            if not (v is None and key == "from") and not (
                    isinstance(v, str) and VERSION_RE.match(v)):
                raise coded(HistoryError, "field_version", where=f"{where}.{key}")
        if not isinstance(ev["how"], str) or not KIND_RE.match(ev["how"]):
            raise coded(HistoryError, "field_kind", where=f"{where}.how", choices=", ".join(HOW))
        check_note(ev["note"], f"{where}.note")
        at = parse_time(ev["at"], f"{where}.at")
        if previous is not None and at < previous:
            raise coded(HistoryError, "history_order", where=where)
        previous = at
    return history


def rollback_target(history: list[Event], current: str | None,
                    available: set[str]) -> str:
    """The production model before ``current``: replay the history as a stack (a
    promotion, or any other change, pushes the model it replaced; a rollback pops back to
    where it went) and take the newest model still ``available`` that is not ``current``."""
    stack: list[str] = []
    for ev in history:
        if ev["how"] == "rollback":
            while stack and stack.pop() != ev["to"]:
                pass
        elif ev["from"] is not None:
            stack.append(ev["from"])
    for version in reversed(stack):
        if version in available and version != current:
            return version
    raise coded(HistoryError, "no_rollback")
