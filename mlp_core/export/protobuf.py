"""Protocol Buffers' wire format, writing only: enough to write an ONNX model.

ONNX files are protobuf messages (``onnx.proto``). Pyodide 0.27.7 ships ``protobuf`` but
not ``onnx``, so using protobuf would still need classes generated from ``onnx.proto``
(``protoc``), kept in step with the runtime's protobuf version. The wire format itself is
small and frozen: a field is a key (field number and wire type) followed by a varint or
by a length and bytes (floats travel as raw little-endian arrays). These functions write
exactly that, and the tests read every export back with ``onnx`` and run it in
``onnxruntime``.
"""

from __future__ import annotations

from collections.abc import Iterable

VARINT, LENGTH = 0, 2


def varint(n: int) -> bytes:
    """``n`` as a base-128 varint; a negative int64 takes its 64-bit two's complement."""
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        if n:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _key(number: int, wire: int) -> bytes:
    return varint(number << 3 | wire)


def field(number: int, value: int | str | bytes) -> bytes:
    """One field: an int as a varint, text as UTF-8, bytes (strings, raw arrays or an
    encoded message) length-delimited."""
    if isinstance(value, bool | int):
        return _key(number, VARINT) + varint(int(value))
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return _key(number, LENGTH) + varint(len(data)) + data


def repeated(number: int, values: Iterable[int | str | bytes]) -> bytes:
    """A repeated field, one entry per value (not packed: readers accept both)."""
    return b"".join(field(number, v) for v in values)


def message(*parts: bytes | None) -> bytes:
    """The fields given, in order (``None`` leaves an optional field out)."""
    return b"".join(p for p in parts if p is not None)
