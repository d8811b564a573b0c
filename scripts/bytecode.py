"""Python modules as sourceless bytecode for Pyodide's Python (build.py runs this).

    python -X no_debug_ranges scripts/bytecode.py [KEEP ...] < sources > bytecode

Reads ``{name: (path, source)}`` (marshal) and writes ``{name: bytecode}``: each module
compiled as the file ``path`` where the runtime finds it, as the contents of a sourceless
``.pyc``. Docstrings and asserts go (as ``python -OO``), but for the modules named KEEP.
``-X no_debug_ranges`` leaves out the column positions that tracebacks mark with ``^^^``
(only a setting at start-up turns that off, hence a process of its own); line numbers
stay. Then the bytecode deflates smaller than the source for NumPy (356 kB against
504 kB) and a little larger for the standard library (+13%) and mlp_core (+35%).
"""

from __future__ import annotations

import importlib.util
import marshal
import sys


def bytecode(path: str, source: bytes, keep_docstrings: bool) -> bytes:
    """The contents of the sourceless ``.pyc`` of ``path``: a header (magic number; flags 0,
    checked by timestamp; source time and size, unused when there is no source), then
    the marshalled code."""
    code = compile(source, path, "exec", optimize=1 if keep_docstrings else 2,
                   dont_inherit=True)
    return importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code)


def main(argv: list[str]) -> int:
    if "no_debug_ranges" not in sys._xoptions:
        print("run as python -X no_debug_ranges scripts/bytecode.py ...", file=sys.stderr)
        return 2
    sources = marshal.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(marshal.dumps({name: bytecode(path, source, name in argv)
                                           for name, (path, source) in sources.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
