"""The ONNX export as an MLflow model directory (``mlflow.pyfunc.load_model`` loads it).

MLflow's own ``mlflow.onnx.save_model`` needs MLflow, ``onnx`` and their dependencies,
none of which run in the page. The directory is small and documented
(https://mlflow.org/docs/latest/models.html#storage-format): ``MLmodel`` (YAML: the
``onnx`` flavor, the ``python_function`` flavor that loads it, the signature, the input
example), the model file, and the environment files MLflow uses to serve it. A test loads
what this writes with MLflow's ``pyfunc`` and compares its answers with ``mlp_core``'s.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

from ..limits import N_PIXELS
from .onnx_graph import INPUT, to_onnx
from .parts import Parts

#: What the directory asks MLflow to install to serve it (``requirements.txt``): the
#: versions the tests load it with.
REQUIREMENTS = ("mlflow-skinny==3.18.0", "onnx==1.23.2", "onnxruntime==1.32.0")
PYTHON = "3.12"


def _signature(p: Parts) -> dict[str, str]:
    def spec(name: str, dtype: str, shape: list[int]) -> dict:
        return {"name": name, "type": "tensor", "tensor-spec": {"dtype": dtype, "shape": shape}}

    return {"inputs": json.dumps([spec(INPUT, "float32", [-1, N_PIXELS])]),
            "outputs": json.dumps([spec("probabilities", "float32", [-1, len(p.classes)]),
                                   spec("letter", "str", [-1]),
                                   spec("recognized", "bool", [-1])])}


def _yaml_text(value: str) -> str:
    """A YAML scalar: JSON's string form is valid YAML (flow style, double quotes)."""
    return json.dumps(value)


def to_mlflow(p: Parts, producer_version: str, example: list[float],
              now: datetime | None = None) -> dict[str, bytes]:
    """``{file name: content}`` of the model directory; ``example`` is one drawing (100
    numbers), saved as the input example."""
    model = to_onnx(p, producer_version)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    sig = _signature(p)
    mlmodel = "\n".join([
        "flavors:",
        "  onnx:",
        "    code: null",
        "    data: model.onnx",
        "    onnx_session_options: null",
        "    providers:",
        "    - CPUExecutionProvider",
        "  python_function:",
        "    data: model.onnx",
        "    env:",
        "      virtualenv: python_env.yaml",
        "    loader_module: mlflow.onnx",
        f"    python_version: {_yaml_text(PYTHON)}",
        f"metadata: {{model_version: {_yaml_text(p.version)}, "
        f"classes: {_yaml_text(json.dumps(p.classes))}}}",
        f"model_size_bytes: {len(model)}",
        f"model_uuid: {secrets.token_hex(16)}",  # what uuid4().hex looks like
        "saved_input_example_info:",
        "  artifact_path: input_example.json",
        "  serving_input_path: serving_input_example.json",
        "  type: ndarray",
        "signature:",
        f"  inputs: {_yaml_text(sig['inputs'])}",
        f"  outputs: {_yaml_text(sig['outputs'])}",
        "  params: null",
        f"utc_time_created: {_yaml_text(now.strftime('%Y-%m-%d %H:%M:%S.%f'))}",
        ""])
    batch = [[float(v) for v in example]]
    return {
        "MLmodel": mlmodel.encode("utf-8"),
        "model.onnx": model,
        "input_example.json": json.dumps({INPUT: batch}).encode("utf-8"),
        "serving_input_example.json": json.dumps({"inputs": {INPUT: batch}},
                                                 indent=2).encode("utf-8"),
        "requirements.txt": ("\n".join(REQUIREMENTS) + "\n").encode("utf-8"),
        "python_env.yaml": (f"python: {_yaml_text(PYTHON)}\nbuild_dependencies:\n- pip\n"
                            "dependencies:\n- -r requirements.txt\n").encode(),
    }
