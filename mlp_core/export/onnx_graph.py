"""A registry model as an ONNX graph: centring, the network, temperature and rejection.

Input ``drawing``: float32 ``[N, 100]``, the 10x10 grid row-major, 1 = ink (a batch of
N drawings; N = 1 for one). Outputs, per drawing:

- ``probabilities``: float32 ``[N, C]``, softmax over the model's outputs in ``classes``
  order (``"(none)"`` among them when the model can reject), temperature applied;
- ``letter``: string ``[N]``, the most probable letter (never ``"(none)"``);
- ``recognized``: bool ``[N]``, ``letter``'s logit beats "none of these"'s by the
  letter's margin (always true for a model that cannot reject).

Preprocessing travels inside the graph: a model trained on centred drawings centres its
input first (``preprocess.center``), with only ONNX operators, so any runtime given the raw
grid answers as the app does. The graph uses opset 13 (ONNX 1.8, 2020), IR version 7,
supported by every maintained runtime. Weights are float32: probabilities agree with
``mlp_core`` (float64) to about 1e-6.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ..limits import GRID, N_PIXELS
from .parts import Parts
from .protobuf import field, message, repeated

OPSET, IR_VERSION = 13, 7
INPUT = "drawing"
OUTPUTS = ("probabilities", "letter", "recognized")
#: TensorProto.DataType codes.
FLOAT, INT64, STRING, BOOL = 1, 7, 8, 9
_DTYPES = {np.dtype(np.float32): FLOAT, np.dtype(np.int64): INT64, np.dtype(np.bool_): BOOL}
#: AttributeProto.AttributeType codes.
_ATTR_INT, _ATTR_INTS = 2, 7
_ACTIVATION_OPS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu"}


def _tensor(name: str, value: np.ndarray | list[str]) -> bytes:
    """TensorProto: dims 1, data_type 2, string_data 6, name 8, raw_data 9."""
    if isinstance(value, list):  # strings
        return message(repeated(1, [len(value)]), field(2, STRING),
                       repeated(6, [v.encode("utf-8") for v in value]), field(8, name))
    data = np.asarray(value)  # tobytes() is row-major; ascontiguousarray would make 0-d 1-d
    # The graph computes in float32 and indexes with int64, whatever NumPy's defaults
    # (in Pyodide, a wasm32 build, NumPy's default integer is int32).
    data = data.astype({"i": np.int64, "u": np.int64, "f": np.float32}.get(data.dtype.kind,
                                                                          data.dtype))
    return message(repeated(1, data.shape), field(2, _DTYPES[data.dtype]), field(8, name),
                   field(9, data.astype(data.dtype.newbyteorder("<")).tobytes()))


def _attribute(name: str, value: int | list[int]) -> bytes:
    """AttributeProto: name 1, i 3, ints 8, type 20 (the graph needs no other kind)."""
    if isinstance(value, list):
        return message(field(1, name), repeated(8, value), field(20, _ATTR_INTS))
    return message(field(1, name), field(3, value), field(20, _ATTR_INT))


def _value_info(name: str, elem_type: int, dims: list[int | str]) -> bytes:
    """ValueInfoProto name 1, type 2 -> TypeProto tensor_type 1 -> elem_type 1, shape 2
    -> TensorShapeProto dim 1 -> dim_value 1 | dim_param 2."""
    shape = b"".join(field(1, field(2, d) if isinstance(d, str) else field(1, d))
                     for d in dims)
    return message(field(1, name), field(2, field(1, message(field(1, elem_type),
                                                             field(2, shape)))))


class _Graph:
    """Nodes and initializers, added in order; each node's output is named for its step."""

    def __init__(self) -> None:
        self.nodes: list[bytes] = []
        self.initializers: list[bytes] = []

    def const(self, name: str, value: np.ndarray | list[str]) -> str:
        self.initializers.append(_tensor(name, value))
        return name

    def op(self, op_type: str, inputs: list[str], output: str, **attrs: Any) -> str:
        """NodeProto: input 1, output 2, name 3, op_type 4, attribute 5."""
        self.nodes.append(message(repeated(1, inputs), field(2, output), field(3, output),
                                  field(4, op_type),
                                  *(field(5, _attribute(k, v)) for k, v in attrs.items())))
        return output


def _centre(g: _Graph, x: str) -> str:
    """``preprocess.center`` as ONNX: find each drawing's first and last inked row and
    column, work out the shift, and move the grid with two 0/1 shift matrices
    (``S_rows @ grid @ S_cols``, each output cell the sum of exactly one product, so
    the move is exact)."""
    grid = g.op("Reshape", [x, g.const("grid_shape", np.array([-1, GRID, GRID]))], "grid")
    zero = g.const("zero", np.zeros((), np.float32))
    inked = g.op("Cast", [g.op("Not", [g.op("Equal", [grid, zero], "blank")], "ink")],
                 "ink_float", to=FLOAT)
    nine = g.const("grid_last", np.array(GRID - 1, np.int64))
    two = g.const("two", np.array(2, np.int64))
    index = np.arange(GRID)
    shifts = {}
    for axis, name in ((2, "row"), (1, "col")):
        any_ink = g.op("ReduceMax", [inked], f"{name}_inked", axes=[axis], keepdims=0)
        first = g.op("ArgMax", [any_ink], f"{name}_first", axis=1, keepdims=1)
        last = g.op("ArgMax", [any_ink], f"{name}_last", axis=1, keepdims=1,
                    select_last_index=1)
        # shift = (GRID - (last - first + 1)) // 2 - first. The free space is never
        # negative, so Div's truncation is floor; a blank drawing (first 0, last
        # GRID - 1) gets 0.
        free = g.op("Sub", [g.op("Add", [first, nine], f"{name}_end"), last], f"{name}_free")
        shift = g.op("Sub", [g.op("Div", [free, two], f"{name}_half"), first], f"{name}_shift")
        shifts[name] = g.op("Reshape", [shift, g.const(f"{name}_to3", np.array([-1, 1, 1]))],
                            f"{name}_shift3")
    # rows: out[r] = grid[r - dr]  (S[r, j] = 1 where r - j = dr); cols: S[j, c] where c - j = dc
    moves_rows = g.op("Cast", [g.op("Equal", [g.const("r_minus_j", index[:, None] - index),
                                              shifts["row"]], "rows_eq")], "move_rows", to=FLOAT)
    moves_cols = g.op("Cast", [g.op("Equal", [g.const("c_minus_j", index - index[:, None]),
                                              shifts["col"]], "cols_eq")], "move_cols", to=FLOAT)
    moved = g.op("MatMul", [g.op("MatMul", [moves_rows, grid], "rows_moved"), moves_cols],
                 "moved")
    return g.op("Reshape", [moved, g.const("flat_shape", np.array([-1, N_PIXELS]))],
                "centred")


def _network(g: _Graph, x: str, p: Parts) -> str:
    """Hidden layers, then the output layer's logits (temperature already applied)."""
    for i, (W, b) in enumerate(zip(p.weights, p.biases, strict=True)):
        z = g.op("Add", [g.op("MatMul", [x, g.const(f"W{i}", W.astype(np.float32))],
                              f"xW{i}"), g.const(f"b{i}", b.astype(np.float32))],
                 "logits" if i == len(p.weights) - 1 else f"z{i}")
        x = z if i == len(p.weights) - 1 else g.op(_ACTIVATION_OPS[p.activation], [z],
                                                   f"h{i}")
    return x


def _decide(g: _Graph, logits: str, p: Parts) -> None:
    """``letter`` and ``recognized`` from the logits, as ``Recognizer`` decides."""
    letter_logits = g.op("Gather", [logits, g.const("letter_index", np.array(p.letter_index))],
                         "letter_logits", axis=1)
    best = g.op("ArgMax", [letter_logits], "best", axis=1, keepdims=0)
    g.op("Gather", [g.const("letters", p.letters), best], "letter")
    if not p.can_reject:
        g.op("Expand", [g.const("yes", np.array(True)), g.op("Shape", [best], "n")],
             "recognized")
        return
    top = g.op("ReduceMax", [letter_logits], "best_logit", axes=[1], keepdims=0)
    none = g.op("Gather", [logits, g.const("none_index", np.array(p.none_index))],
                "none_logit", axis=1)
    margin = g.op("Gather", [g.const("margins", np.array(p.margins, np.float32)), best],
                  "margin")
    g.op("Greater", [g.op("Sub", [top, none], "lead"), margin], "recognized")


def to_onnx(p: Parts, producer_version: str) -> bytes:
    """The model as an ONNX file (``ModelProto``), self-describing: its metadata names the
    classes, the input layout, the preprocessing and the margins."""
    g = _Graph()
    x = _centre(g, INPUT) if p.centers else INPUT
    logits = _network(g, x, p)
    g.op("Softmax", [logits], "probabilities", axis=1)
    _decide(g, logits, p)
    n_classes = len(p.classes)
    graph = message(
        *(field(1, n) for n in g.nodes), field(2, f"letter_recognizer_{p.version}"),
        *(field(5, t) for t in g.initializers),
        field(10, "A drawing on a 10x10 grid -> its letter, or none of these."),
        field(11, _value_info(INPUT, FLOAT, ["N", N_PIXELS])),
        field(12, _value_info("probabilities", FLOAT, ["N", n_classes])),
        field(12, _value_info("letter", STRING, ["N"])),
        field(12, _value_info("recognized", BOOL, ["N"])))
    meta = {**p.describe(), "input": f"{INPUT}: float32 [N, {N_PIXELS}], the {GRID}x{GRID} "
            "grid row-major, 1 = ink", "outputs": ", ".join(OUTPUTS)}
    return message(
        field(1, IR_VERSION), field(2, "mlp_core"), field(3, producer_version),
        field(4, "letter-recognizer"), field(6, f"Letter recognizer {p.version}"),
        field(7, graph), field(8, message(field(1, ""), field(2, OPSET))),
        *(field(14, message(field(1, k), field(2, v if isinstance(v, str) else json.dumps(v))))
          for k, v in meta.items()))
