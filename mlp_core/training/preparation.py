"""What a process's first training or fine-tuning would make before its first epoch,
made ahead, one small part per step: the glyph variants of the built-in letters and of
the fonts' non-letters, the evaluation's handwriting drawings and the held-out set. Each
part caches itself, so every later training reuses it either way; preparing only moves
the work to a moment when nobody waits (worker/training.js runs a step while the page
is idle, and a prediction waits for one step at most).

Needs the data files installed (``service.webapi.App.install_data``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..data import handwriting
from ..data.heldout import heldout_set
from ..data.negatives import font_glyphs
from ..data.synthetic import default_templates, prepare_glyphs


def preparation_steps() -> Iterator[str]:
    """Make the parts one per ``next()``; each step yields what it made."""
    for letter in prepare_glyphs({**default_templates(), **font_glyphs()}):
        yield f"glyph variants of {letter!r}"
    for pen in handwriting.PENS:
        for _ in handwriting.exact_drawings.steps("evaluation", pen):
            yield f"the evaluation writers' handwriting, {pen} pen"
    for _ in heldout_set.steps():
        yield "the held-out drawings"
