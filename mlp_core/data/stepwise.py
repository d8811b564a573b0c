"""A cached function whose work can also be done a small part at a time.

Some data take a few hundred ms to make and are then kept for the process (the
evaluation's handwriting, the held-out set). Made ahead while the page is idle
(``training.preparation``), one part per step, nobody waits for them; called before,
they are made at once, as any cached function.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

R = TypeVar("R")


def stepwise(make: Callable[..., Generator[None, None, R]]) -> Stepwise[R]:
    """Decorate a generator function that ``yield``s between the parts of its work and
    ``return``s the result: calling the decorated function gives the result, made once
    per arguments (which must be hashable); ``.steps(...)`` makes it one part per
    ``next()`` instead, and keeps it."""
    return Stepwise(make)


class Stepwise(Generic[R]):
    """A function decorated with ``stepwise``."""

    def __init__(self, make: Callable[..., Generator[None, None, R]]) -> None:
        self._make = make
        self._signature = inspect.signature(make)
        self._made: dict[tuple[Any, ...], R] = {}
        functools.update_wrapper(self, make)

    def _key(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return bound.args

    def steps(self, *args: Any, **kwargs: Any) -> Iterator[None]:
        """Make the result for these arguments a part per ``next()`` (nothing when it is
        made already)."""
        key = self._key(args, kwargs)
        if key not in self._made:
            result = yield from self._make(*key)
            self._made.setdefault(key, result)

    def __call__(self, *args: Any, **kwargs: Any) -> R:
        key = self._key(args, kwargs)
        if key not in self._made:
            for _ in self.steps(*key):
                pass
        return self._made[key]
