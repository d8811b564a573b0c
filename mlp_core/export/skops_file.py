"""scikit-learn without pickle: a model as a ``skops`` file, and a skops file as a model.

A skops file (https://skops.readthedocs.io, protocol 2) is a zip: ``schema.json``
describes the object tree (each node names its class, module and loader), and every
NumPy array is a ``.npy`` file beside it. skops rebuilds only the types a person
trusts. This module writes that format itself, since neither scikit-learn nor skops
runs in the page, and reads it as data: nothing in a file is imported or executed, and
only the parts of an ``MLPClassifier`` (optionally behind ``CenterDrawing``) are
taken. The tests load every export with skops and scikit-learn, and import what
scikit-learn fitted.

The export is ``Pipeline([("center", CenterDrawing()), ("mlp", MLPClassifier)])``
(without the first step for a model that does not centre), ``CenterDrawing`` coming
from ``shipped/letter_centering.py``, written beside the model. Its ``predict_proba``
is the model's probabilities; the per-letter margins are the pipeline's
``none_margins_``.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import math
import zipfile
import zlib
from typing import Any

import numpy as np

from ..limits import MAX_BUNDLE_BYTES, MAX_EPOCHS, MAX_PARAMETERS, N_PIXELS, NONE_LABEL
from ..messages import coded
from ..model.network import HYPERPARAMETER_DEFAULTS
from .parts import Parts

PROTOCOL, SKOPS_VERSION = 2, "0.16.0"
#: The scikit-learn release whose attribute names the export writes (every 1.x reads them).
SKLEARN_VERSION = "1.6.1"
CENTERING = ("letter_centering", "CenterDrawing")
PIPELINE = ("sklearn.pipeline", "Pipeline")
MLP_CLASSIFIER = ("sklearn.neural_network._multilayer_perceptron", "MLPClassifier")
LABEL_BINARIZER = ("sklearn.preprocessing._label", "LabelBinarizer")
#: scikit-learn's activation names and the app's.
ACTIVATIONS = {"logistic": "sigmoid", "tanh": "tanh", "relu": "relu"}
#: The largest skops file the app reads, packed or unpacked (a bundle's limit).
MAX_FILE_BYTES = MAX_BUNDLE_BYTES


class SkopsError(ValueError):
    """A skops file the app cannot read or import; the message says why."""


# --- writing -------------------------------------------------------------------------------


class _Node(dict):
    """A schema node already built (``value`` keeps it as it is)."""


class _Writer:
    """Builds schema nodes; arrays go to ``files``. Every node gets its own id."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.files: dict[str, bytes] = {}

    def _node(self, cls: str, module: str, loader: str, **rest: Any) -> _Node:
        return _Node({"__class__": cls, "__module__": module, "__loader__": loader, **rest,
                      "__id__": next(self.ids)})

    def value(self, v: Any) -> dict[str, Any]:
        """The node of a plain value: JSON scalars, lists, tuples, dicts with string keys,
        NumPy arrays, or a node already built."""
        if isinstance(v, _Node):
            return v
        if isinstance(v, np.ndarray):
            node = self._node("ndarray", "numpy", "NdArrayNode", type="numpy", file="")
            node["file"] = f"{node['__id__']}.npy"
            buf = io.BytesIO()
            np.save(buf, v, allow_pickle=False)
            self.files[node["file"]] = buf.getvalue()
            return node
        if isinstance(v, list | tuple):
            kind = "list" if isinstance(v, list) else "tuple"
            return self._node(kind, "builtins", f"{kind.title()}Node",
                              content=[self.value(x) for x in v])
        if isinstance(v, dict):
            return self._node("dict", "builtins", "DictNode",
                              content={k: self.value(x) for k, x in v.items()},
                              key_types=self._node("list", "builtins", "ListNode", content=[
                                  self._node("str", "builtins", "TypeNode") for _ in v]))
        return self._node("str", "builtins", "JsonNode", content=json.dumps(v), is_json=True)

    def obj(self, where: tuple[str, str], attrs: dict[str, Any]) -> _Node:
        """An object of class ``where`` (module, name) with these attributes."""
        return self._node(where[1], where[0], "ObjectNode", content=self.value(attrs))


def _mlp_attrs(p: Parts, w: _Writer, hp: dict[str, Any], history: list[float]) -> dict:
    classes = np.array(p.classes)
    binarizer = w.obj(LABEL_BINARIZER, {
        "neg_label": 0, "pos_label": 1, "sparse_output": False, "y_type_": "multiclass",
        "sparse_input_": False, "classes_": classes, "_sklearn_version": SKLEARN_VERSION})
    return {
        # The settings that made it, in scikit-learn's words: SGD with (plain) momentum,
        # L2 as alpha (both scale it by 1 / (2 n)), early stopping on a validation split.
        "activation": {v: k for k, v in ACTIVATIONS.items()}[p.activation],
        "solver": "sgd", "alpha": hp["l2"], "batch_size": hp["batch_size"],
        "learning_rate": "constant", "learning_rate_init": hp["learning_rate"],
        "power_t": 0.5, "max_iter": hp["max_epochs"], "loss": "log_loss",
        "hidden_layer_sizes": tuple(hp["hidden_layer_sizes"]), "shuffle": True,
        "random_state": hp["seed"], "tol": hp["tolerance"], "verbose": False,
        "warm_start": False, "momentum": hp["momentum"], "nesterovs_momentum": False,
        "early_stopping": True, "validation_fraction": hp["validation_fraction"],
        "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8,
        "n_iter_no_change": hp["patience"], "max_fun": 15000,
        # What it learned.
        "n_features_in_": N_PIXELS, "_label_binarizer": binarizer, "classes_": classes,
        "n_outputs_": len(p.classes), "n_layers_": len(p.weights) + 1,
        "out_activation_": "softmax", "coefs_": list(p.weights), "intercepts_": list(p.biases),
        "n_iter_": len(history), "loss_curve_": history,
        "_sklearn_version": SKLEARN_VERSION}


def to_skops(p: Parts, entry: dict[str, Any]) -> bytes:
    """The model as a skops file (see the module's docstring)."""
    w = _Writer()
    hp = {**HYPERPARAMETER_DEFAULTS, **(entry.get("hyperparameters") or {})}
    history = [float(v) for v in entry["model"].get("history", {}).get("train_loss", [])]
    steps = [("mlp", w.obj(MLP_CLASSIFIER, _mlp_attrs(p, w, hp, history)))]
    if p.centers:
        steps.insert(0, ("center", w.obj(CENTERING, {})))
    tree = w.obj(PIPELINE, {
        "steps": steps, "transform_input": None, "memory": None, "verbose": False,
        "none_margins_": dict(zip(p.letters, p.margins, strict=True)),
        "_sklearn_version": SKLEARN_VERSION})
    tree.update(protocol=PROTOCOL, _skops_version=SKOPS_VERSION)
    return zip_files({"schema.json": json.dumps(tree).encode(), **w.files})


def zip_files(files: dict[str, bytes]) -> bytes:
    """``files`` (name -> bytes) as one deflated zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------------


#: What reading a damaged zip member can raise (a bad CRC, a cut deflate stream, a flag for
#: encryption or an unknown compression method).
_UNREADABLE = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, OSError,
               NotImplementedError, RuntimeError)


class _Object(dict):
    """An object node read as data: its attributes, and ``where`` = (module, class)."""

    where: tuple[str, str] = ("", "")


class _Archive:
    """A skops zip's members, unpacked within ``MAX_FILE_BYTES`` in all (a small zip
    can claim gigabytes), each array read once and only if its bytes hold its shape."""

    def __init__(self, raw: bytes) -> None:
        if len(raw) > MAX_FILE_BYTES:
            raise coded(SkopsError, "file_too_large", size=len(raw), limit=MAX_FILE_BYTES)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
        except _UNREADABLE:
            raise coded(SkopsError, "skops_file") from None
        self.left = MAX_FILE_BYTES
        self.arrays: dict[str, np.ndarray] = {}

    def read(self, name: str, missing: str = "skops_file") -> bytes:
        """Member ``name``, unpacked (``zipfile`` stops at the size its header gives);
        an absent or damaged member is the coded error ``missing``."""
        try:
            size = self.zip.getinfo(name).file_size
        except KeyError:
            raise coded(SkopsError, missing, where=name[:64]) from None
        if size > self.left:
            raise coded(SkopsError, "file_too_large", size=MAX_FILE_BYTES - self.left + size,
                        limit=MAX_FILE_BYTES)
        self.left -= size
        try:
            return self.zip.read(name)
        except _UNREADABLE:
            raise coded(SkopsError, missing, where=name[:64]) from None

    def array(self, name: str) -> np.ndarray:
        if name not in self.arrays:
            data = io.BytesIO(self.read(name, "skops_damaged"))
            try:
                version = np.lib.format.read_magic(data)
                header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                          else np.lib.format.read_array_header_2_0)
                shape, _, dtype = header(data)
                if dtype.hasobject or math.prod(shape) * dtype.itemsize > len(data.getvalue()):
                    raise ValueError("not an array of numbers that its bytes hold")
                data.seek(0)
                self.arrays[name] = np.load(data, allow_pickle=False)
            except (ValueError, TypeError, EOFError, OSError):  # np.load's ways to refuse
                raise coded(SkopsError, "skops_damaged", where=name[:64]) from None
        return self.arrays[name]

    def schema(self) -> dict[str, Any]:
        text = self.read("schema.json")
        try:
            schema = json.loads(text)
        except (ValueError, RecursionError):
            raise coded(SkopsError, "skops_file") from None
        if not isinstance(schema, dict):
            raise coded(SkopsError, "skops_damaged", where="schema.json")
        if schema.get("protocol") != PROTOCOL:
            raise coded(SkopsError, "skops_protocol", found=repr(schema.get("protocol")),
                        known=PROTOCOL)
        return schema


def _data(node: Any, archive: _Archive, depth: int = 0) -> Any:
    """A schema node as plain data. Arrays are read without pickle; node kinds an
    ``MLPClassifier`` does not need to predict (random states, functions, ...) read as
    ``None``: nothing is ever imported or called."""
    def damaged() -> SkopsError:
        return coded(SkopsError, "skops_damaged", where="schema.json")

    if depth > 40 or not isinstance(node, dict):
        raise damaged()
    loader = node.get("__loader__")
    content = node.get("content")
    if loader == "JsonNode":
        try:
            return json.loads(content)
        except (TypeError, ValueError, RecursionError):
            raise damaged() from None
    if loader in ("ListNode", "TupleNode", "DictNode") and not isinstance(
            content, dict if loader == "DictNode" else list):
        raise damaged()
    if loader in ("ListNode", "TupleNode"):
        return [_data(x, archive, depth + 1) for x in content]
    if loader == "DictNode":
        return {str(k): _data(v, archive, depth + 1) for k, v in content.items()}
    if loader == "ObjectNode":
        attrs = _data(content, archive, depth + 1) if content is not None else {}
        obj = _Object(attrs if isinstance(attrs, dict) else {})
        obj.where = (str(node.get("__module__")), str(node.get("__class__")))
        return obj
    if loader == "NdArrayNode" and node.get("type") == "numpy":
        return archive.array(str(node.get("file")))
    return None


def _estimator(tree: Any) -> tuple[_Object, bool, dict[str, float]]:
    """The ``MLPClassifier``, whether it centres first, and the pipeline's margins."""
    if isinstance(tree, _Object) and tree.where == MLP_CLASSIFIER:
        return tree, False, {}
    if isinstance(tree, _Object) and tree.where == PIPELINE:
        listed = tree.get("steps")
        steps = [s[1] for s in listed if isinstance(s, list) and len(s) == 2] \
            if isinstance(listed, list) else []
        kinds = [s.where if isinstance(s, _Object) else None for s in steps]
        if kinds in ([MLP_CLASSIFIER], [CENTERING, MLP_CLASSIFIER]):
            margins = tree.get("none_margins_") or {}
            return steps[-1], len(steps) == 2, margins if isinstance(margins, dict) else {}
        found = "Pipeline(" + " -> ".join(".".join(k) if k else "?" for k in kinds) + ")"
    else:
        found = ".".join(tree.where) if isinstance(tree, _Object) else type(tree).__name__
    raise coded(SkopsError, "skops_estimator", found=found)


def _layers(coefs: list[Any], intercepts: list[Any]) -> tuple[list[np.ndarray],
                                                                list[np.ndarray]]:
    """``coefs_`` and ``intercepts_`` as float64 arrays that chain, or ``skops_damaged``."""
    arrays = [*coefs, *intercepts]
    if not all(isinstance(a, np.ndarray) and a.dtype.kind in "fiu" for a in arrays):
        raise coded(SkopsError, "skops_damaged", where="coefs_")
    weights = [W.astype(np.float64) for W in coefs]
    biases = [b.astype(np.float64) for b in intercepts]
    if sum(a.size for a in arrays) > MAX_PARAMETERS:
        raise coded(SkopsError, "too_many_parameters", where="file",
                    count=sum(a.size for a in arrays), limit=MAX_PARAMETERS)
    n_in = weights[0].shape[0] if weights[0].ndim == 2 else -1
    for W, b in zip(weights, biases, strict=True):
        if W.ndim != 2 or b.ndim != 1 or W.shape[0] != n_in or W.shape[1] != b.shape[0] \
                or not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise coded(SkopsError, "skops_damaged", where="coefs_")
        n_in = W.shape[1]
    return weights, biases


def _history(curve: Any) -> list[float]:
    """``loss_curve_`` as the model's training loss history: its finite numbers, at most
    the last ``MAX_EPOCHS`` (history is optional: a strange one never blocks an import)."""
    values = [float(v) for v in curve if type(v) in (int, float) and math.isfinite(v)] \
        if isinstance(curve, list) else []
    return values[-MAX_EPOCHS:]


def from_skops(raw: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """A fitted ``MLPClassifier`` (on 100 features, alone or after ``CenterDrawing``) as
    ``(model dict for the registry, facts about the file)``. Raises ``SkopsError``."""
    archive = _Archive(raw)
    schema = archive.schema()
    mlp, centers, margins = _estimator(_data(schema, archive))
    coefs, intercepts = mlp.get("coefs_"), mlp.get("intercepts_")
    activation = mlp.get("activation")
    activation = ACTIVATIONS.get(activation) if isinstance(activation, str) else None
    classes = mlp.get("classes_")
    if not (isinstance(coefs, list) and isinstance(intercepts, list) and coefs
            and len(coefs) == len(intercepts) and isinstance(classes, np.ndarray)):
        raise coded(SkopsError, "skops_not_fitted")
    if activation is None:
        raise coded(SkopsError, "skops_activation", found=repr(mlp.get("activation")),
                    known=", ".join(ACTIVATIONS))
    weights, biases = _layers(coefs, intercepts)
    if weights[0].shape[0] != N_PIXELS:
        raise coded(SkopsError, "skops_inputs", count=weights[0].shape[0], size=N_PIXELS)
    names = [str(c) for c in classes.ravel().tolist()]
    if mlp.get("out_activation_") == "logistic" and len(names) == 2 and weights[-1].shape[1] == 1:
        # A two-class MLPClassifier has one logistic output: softmax over [0, z] is it.
        weights[-1] = np.hstack([np.zeros_like(weights[-1]), weights[-1]])
        biases[-1] = np.concatenate([[0.0], biases[-1]])
    elif mlp.get("out_activation_") != "softmax":
        raise coded(SkopsError, "skops_output", found=repr(mlp.get("out_activation_")))
    if weights[-1].shape[1] != len(names):
        raise coded(SkopsError, "skops_damaged", where="classes_")
    order = np.argsort(names, kind="stable")  # the app keeps classes sorted as strings
    weights[-1], biases[-1] = weights[-1][:, order], biases[-1][order]
    names = [names[i] for i in order]
    hidden = [W.shape[1] for W in weights[:-1]]
    model = {
        "format": "mlp_core/model", "format_version": 1, "classes": names,
        "none_class": NONE_LABEL if NONE_LABEL in names else None,
        "calibration": {"temperature": 1.0,
                        "none_margins": {str(k): v for k, v in margins.items()}},
        "preprocessing": "center" if centers else "none",
        "hyperparameters": {**HYPERPARAMETER_DEFAULTS, "hidden_layer_sizes": hidden,
                            "activation": activation},
        "architecture": {"layer_sizes": [N_PIXELS, *hidden, len(names)],
                         "activation": activation, "output": "softmax"},
        "weights": [W.tolist() for W in weights], "biases": [b.tolist() for b in biases],
        "history": {"train_loss": _history(mlp.get("loss_curve_"))},
        "training": {"best_epoch": 0, "stop_reason": "imported", "fit_seconds": 0.0},
    }
    facts = {"format": "sklearn", "sha256": hashlib.sha256(raw).hexdigest(),
             "sklearn_version": str(mlp.get("_sklearn_version") or "unknown")[:32],
             "skops_version": str(schema.get("_skops_version") or "unknown")[:32],
             "estimator": "CenterDrawing -> MLPClassifier" if centers else "MLPClassifier"}
    return model, facts
