"""Models leaving the app, and coming in.

``export_model`` writes one registry model in a format another runtime loads: ONNX, an
MLflow model directory, scikit-learn (skops), or a dependency-free JavaScript or Python
predictor. ``FORMATS`` is the one list of them: the CLI's ``--format`` choices and the
page's download menu come from it. ``import_sklearn`` registers a fitted scikit-learn
``MLPClassifier``. Every format is written by this package alone (it runs in the page),
and the tests load each with the target's own runtime.

Depends on ``model/`` and ``registry/``; nothing depends on it but the CLI and the
service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..data.heldout import heldout_set, open_set_report
from ..limits import N_PIXELS
from ..messages import coded, within
from ..model.recognizer import Recognizer
from ..model.serialize import ModelFormatError, model_from_dict
from ..registry import document as registry
from ..training.lineage import software
from .mlflow_model import to_mlflow
from .onnx_graph import INPUT, OPSET, to_onnx
from .parts import parts
from .predictors import template, to_javascript, to_python
from .skops_file import SkopsError, from_skops, to_skops, zip_files


@dataclass(frozen=True)
class Format:
    """An export format: what the page's menu and the CLI's help call it, and its file."""

    name: str
    #: What it is called everywhere (a product name: the same in every language).
    title: str
    label: str
    #: The file name of a single-file export (``{version}`` filled in), or of the zip a
    #: several-file export downloads as.
    file: str
    media_type: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("onnx", "ONNX", "ONNX (onnxruntime, any language)", "{version}.onnx",
           "application/octet-stream"),
    Format("mlflow", "MLflow", "MLflow model (ONNX flavor)", "{version}-mlflow.zip",
           "application/zip"),
    Format("sklearn", "scikit-learn", "scikit-learn Pipeline (skops)", "{version}-sklearn.zip",
           "application/zip"),
    Format("js", "JavaScript", "JavaScript module (no dependencies)", "letter-predictor.js",
           "text/javascript"),
    Format("py", "Python", "Python file (no dependencies)", "letter_predictor.py", "text/x-python"),
)}


@dataclass(frozen=True)
class Export:
    """What an export writes: ``files`` (name -> bytes), one for single-file formats."""

    format: Format
    version: str
    files: dict[str, bytes]

    @property
    def file_name(self) -> str:
        return self.format.file.format(version=self.version)

    def single(self) -> bytes:
        """The one file, or a zip of the files (as the page downloads it)."""
        return next(iter(self.files.values())) if len(self.files) == 1 else self.zipped()

    def zipped(self) -> bytes:
        """The files in one zip."""
        return zip_files(self.files)


_SKLEARN_README = """\
{version}, exported from the letter-recognizer app as a scikit-learn Pipeline (skops).

    import skops.io as sio, letter_centering       # this folder on sys.path
    pipe = sio.load("model.skops", trusted=["letter_centering.CenterDrawing"])
    pipe.predict_proba(X)                          # X: (n, 100), row-major, 1 = ink
    letters, recognized, P = letter_centering.recognize(pipe, X)

Classes (predict_proba's columns): {classes}.
"""


def export_model(entry: dict[str, Any], fmt: str) -> Export:
    """Registry model ``entry`` in format ``fmt`` (a key of ``FORMATS``)."""
    if fmt not in FORMATS:
        raise coded(ValueError, "export_format", found=fmt, known=", ".join(FORMATS))
    p = parts(entry)
    version = software()["mlp_core"]
    name = FORMATS[fmt].file.format(version=p.version)  # the name of a one-file export
    if fmt == "onnx":
        files = {name: to_onnx(p, version)}
    elif fmt == "mlflow":
        X, _, _, _ = heldout_set()
        files = to_mlflow(p, version, X[0].tolist())
    elif fmt == "sklearn":
        files = {"model.skops": to_skops(p, entry),
                 "letter_centering.py": template("letter_centering.py").encode("utf-8"),
                 "README.txt": _SKLEARN_README.format(version=p.version,
                                                      classes=", ".join(p.classes)).encode()}
    elif fmt == "js":
        files = {name: to_javascript(p)}
    else:
        files = {name: to_python(p)}
    return Export(FORMATS[fmt], p.version, files)


def card_facts(entry: dict[str, Any]) -> dict[str, Any]:
    """What a model card says of the exports (``model_card``'s ``exports``)."""
    model = entry["model"]
    return {"onnx": {"file": FORMATS["onnx"].file.format(version=entry["version"]),
                     "opset": OPSET, "input": INPUT, "pixels": N_PIXELS,
                     "classes": model["classes"],
                     "centres": model.get("preprocessing") == "center"},
            "others": [f.title for f in FORMATS.values() if f.name != "onnx"]}


def import_sklearn(doc: registry.Document, raw: bytes, file_name: str
                   ) -> tuple[registry.Document, dict[str, Any]]:
    """Register the fitted ``MLPClassifier`` in skops file ``raw`` (named ``file_name``);
    returns the new document and ``{"imported": [version], "skipped": [], "from":
    "sklearn"}`` (as ``registry.import_bundle`` reports).

    Its lineage has no parent and no training data; ``dataset_info`` says where it came
    from (the file, its sha256, the scikit-learn and skops versions). Its accuracy is
    measured on the shipped held-out drawings of the letters b, d and f it knows (0 when
    it knows none). Raises ``SkopsError`` and changes nothing when the file is not one.
    """
    model, facts = from_skops(raw)
    try:
        mlp = model_from_dict(model, "file")
    except ModelFormatError as e:
        raise within(SkopsError, e) from None
    held_out = open_set_report(Recognizer(mlp, model["none_class"], model["preprocessing"]))
    known = held_out["letters"]
    info = {"source": "imported", **facts, "file": file_name[:200],
            "accuracy_measured_on": f"held-out drawings of {', '.join(known)}"
            if known else "nothing: it knows none of b, d, f"}
    lineage = {"parent": None, "data_sha256": None, **software(), "trained_in": None,
               "train_seconds": None}
    accuracy = held_out["accept_rate"] or 0.0
    doc, entry = registry.register(doc, model, accuracy=accuracy, dataset_info=info,
                                   metrics={"accuracy": accuracy}, lineage=lineage)
    return doc, {"imported": [entry["version"]], "skipped": [], "from": "sklearn"}


__all__ = ["FORMATS", "Export", "Format", "SkopsError", "card_facts", "export_model",
           "import_sklearn"]
