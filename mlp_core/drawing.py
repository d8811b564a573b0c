"""A drawing as the grid sends it: checked, and read from its compact bit form."""

from __future__ import annotations

from typing import Any

import numpy as np

from .limits import GRID, N_PIXELS
from .preprocess import center_bits


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
            raise ValueError(f"a nested pattern must be {GRID} rows of {GRID} values")
        flat = [v for row in pattern for v in row]
    else:
        flat = list(pattern)
    for i, v in enumerate(flat):
        if isinstance(v, bool) or (isinstance(v, int | float) and not isinstance(v, complex)):
            continue
        raise ValueError(f"pattern value {i} is {v!r} ({type(v).__name__}); use 0 or 1")
    raise ValueError("pattern must hold only numbers (0 or 1)")


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
        raise ValueError("pattern must be a list of 100 numbers (0 or 1), not a string")
    if isinstance(pattern, np.ndarray):
        if pattern.dtype.kind not in "biuf":
            raise ValueError(f"pattern must hold numbers, got dtype {pattern.dtype}")
        values = pattern
    elif not isinstance(pattern, list | tuple):
        raise ValueError(f"pattern must be a list of {N_PIXELS} values or {GRID} rows of "
                         f"{GRID}, got {type(pattern).__name__}")
    else:
        values = _numeric_array(pattern)
        if values.ndim >= 2 and values.shape != (GRID, GRID):
            raise ValueError(f"a nested pattern must be {GRID} rows of {GRID} values")
    if values.shape not in ((N_PIXELS,), (GRID, GRID)):
        raise ValueError(f"pattern must have {N_PIXELS} values ({GRID}x{GRID}), "
                         f"got shape {tuple(values.shape)}")
    values = values.astype(np.float64).reshape(N_PIXELS)
    if np.isnan(values).any():
        raise ValueError("pattern contains NaN; use 0 or 1")
    bad = np.flatnonzero((values != 0) & (values != 1))
    if bad.size:
        raise ValueError(f"pattern value {bad[0]} is {float(values[bad[0]]):g}; only 0 and 1 "
                         "are allowed")
    return values


_BIT_CHARS = frozenset("01")
_BIT_BYTES = bytes.maketrans(b"01", b"\x00\x01")


def parse_bits(bits: str, *, centered: bool = False) -> np.ndarray:
    """A drawing sent as 100 characters "0" or "1" (row-major; the worker's compact form)
    as a boolean vector, or ``ValueError`` saying why; ``centered`` moves its ink to the
    middle first (``preprocess.center_bits``). One NumPy call: this is the prediction's
    hot path."""
    if not isinstance(bits, str) or len(bits) != N_PIXELS or not _BIT_CHARS.issuperset(bits):
        raise ValueError(f"bits must be a string of {N_PIXELS} characters 0 or 1")
    if centered:
        bits = center_bits(bits)
    return np.frombuffer(bits.encode("ascii").translate(_BIT_BYTES), np.bool_)
