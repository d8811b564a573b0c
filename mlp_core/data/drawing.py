"""A drawing as the grid sends it: checked, and read from its compact bit form; and a
drawing in any form a person writes one (``read_pattern``: values, or text)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..limits import GRID, N_PIXELS
from ..messages import coded
from ..model.preprocess import center_bits


def _numeric_array(pattern: list | tuple) -> np.ndarray:
    """The list as a numeric array (one C call in the common case); when numpy cannot
    make one, find the first offending value and say what it is."""
    try:
        values = np.array(pattern)
    except ValueError:  # ragged rows
        values = None
    if values is not None and values.dtype.kind in "biuf":
        return values
    nested = [isinstance(v, list | tuple) for v in pattern]
    if any(nested):
        if not all(nested) or len(pattern) != GRID or any(len(r) != GRID for r in pattern):
            raise coded(ValueError, "pattern_rows", grid=GRID)
        flat = [v for row in pattern for v in row]
    else:
        flat = list(pattern)
    for i, v in enumerate(flat):
        if isinstance(v, bool) or (isinstance(v, int | float) and not isinstance(v, complex)):
            continue
        raise coded(ValueError, "pattern_number", index=i, value=f"{v!r} ({type(v).__name__})")
    raise coded(ValueError, "pattern_type", size=N_PIXELS, grid=GRID,
                type=type(pattern).__name__)


_PLAIN_NUMBERS = frozenset((int, float, bool))
_BITS = frozenset((0, 1))  # 0 == 0.0 == False and 1 == 1.0 == True: all are in here


def validate_pattern(pattern: Any) -> np.ndarray:
    """A drawing as a float64 vector of 100 zeros and ones, or ``ValueError`` saying why.

    Accepts 100 values (row-major) or 10 rows of 10 values; each value is 0 or 1
    (``bool``, ``int`` or a float equal to 0.0 or 1.0). Strings are refused.
    """
    if (type(pattern) is list and len(pattern) == N_PIXELS
            and _PLAIN_NUMBERS.issuperset(map(type, pattern)) and _BITS.issuperset(pattern)):
        return np.array(pattern, dtype=np.float64)  # the common case, checked in C loops
    if isinstance(pattern, str | bytes):
        raise coded(ValueError, "pattern_text", size=N_PIXELS)
    if isinstance(pattern, np.ndarray):
        if pattern.dtype.kind not in "biuf":
            raise coded(ValueError, "pattern_type", size=N_PIXELS, grid=GRID,
                        type=f"ndarray[{pattern.dtype}]")
        values = pattern
    elif not isinstance(pattern, list | tuple):
        raise coded(ValueError, "pattern_type", size=N_PIXELS, grid=GRID,
                    type=type(pattern).__name__)
    else:
        values = _numeric_array(pattern)
        if values.ndim >= 2 and values.shape != (GRID, GRID):
            raise coded(ValueError, "pattern_rows", grid=GRID)
    if values.shape not in ((N_PIXELS,), (GRID, GRID)):
        raise coded(ValueError, "pattern_size", size=N_PIXELS, grid=GRID,
                    shape=str(tuple(values.shape)))
    values = values.astype(np.float64).reshape(N_PIXELS)
    nan = np.flatnonzero(np.isnan(values))
    if nan.size:
        raise coded(ValueError, "pattern_number", index=int(nan[0]), value="NaN")
    bad = np.flatnonzero((values != 0) & (values != 1))
    if bad.size:
        raise coded(ValueError, "pattern_value", index=int(bad[0]),
                    value=f"{float(values[bad[0]]):g}")
    return values


_BIT_CHARS = frozenset("01")
_BIT_BYTES = bytes.maketrans(b"01", b"\x00\x01")


def parse_bits(bits: str, *, centered: bool = False) -> np.ndarray:
    """A drawing sent as 100 characters "0" or "1" (row-major; the worker's compact form)
    as a boolean vector, or ``ValueError`` saying why; ``centered`` moves its ink to the
    middle first (``preprocess.center_bits``). One NumPy call: this is the prediction's
    hot path."""
    if not isinstance(bits, str) or len(bits) != N_PIXELS or not _BIT_CHARS.issuperset(bits):
        raise coded(ValueError, "bits", size=N_PIXELS)
    if centered:
        bits = center_bits(bits)
    return np.frombuffer(bits.encode("ascii").translate(_BIT_BYTES), np.bool_)


#: What may stand between the cells of a pattern written as text (besides whitespace).
TEXT_SEPARATORS = ",|_"
_DROP_SEPARATORS = str.maketrans("", "", TEXT_SEPARATORS)


def parse_pattern_text(text: str) -> np.ndarray:
    """A drawing written as text: 100 characters "0" or "1", row-major, with any
    whitespace, commas, '|' and '_' between them ignored (``"0110…"``,
    ``"0110000000|0110000000|…"``); as a float64 vector, or ``ValueError`` saying what is
    wrong. The one reader of text patterns: ``predict`` on the command line, templates and
    examples in files."""
    cells = "".join(text.split()).translate(_DROP_SEPARATORS)
    if not _BIT_CHARS.issuperset(cells):
        index, character = next((i, c) for i, c in enumerate(text) if c not in _BIT_CHARS
                                and not c.isspace() and c not in TEXT_SEPARATORS)
        raise coded(ValueError, "pattern_character", index=index, character=character)
    if len(cells) != N_PIXELS:
        raise coded(ValueError, "pattern_string", size=N_PIXELS, grid=GRID, count=len(cells))
    return parse_bits(cells).astype(np.float64)


def read_pattern(pattern: Any) -> np.ndarray:
    """A drawing as a person's file holds it: text (``parse_pattern_text``) or values
    (``validate_pattern``); a float64 vector of 100 zeros and ones, or ``ValueError``."""
    return parse_pattern_text(pattern) if isinstance(pattern, str) else validate_pattern(pattern)
