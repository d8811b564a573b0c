"""mlp_core: a pure-NumPy multilayer perceptron that recognizes letters drawn on a 10x10 grid.

Modules: ``data`` (templates, augmentation, noise, split), ``mlp`` (the network),
``metrics``, ``serialize`` (model <-> JSON), ``registry`` (pure functions over the
registry document), ``store`` (the registry in a file), ``service`` (predict / model
info / health), ``train`` (the end-to-end training recipe), ``webapi`` (the browser
worker's Python side) and ``cli``.
"""

from .data.synthetic import default_templates, make_dataset
from .model.metrics import evaluate
from .model.network import MLP, TrainingCancelled, check_hyperparameters
from .model.serialize import ModelFormatError, model_from_dict, model_to_dict
from .model.split import train_val_split
from .registry import RegistryError
from .service.serving import Service, validate_pattern

__version__ = "1.0.0"
__all__ = [
    "MLP",
    "ModelFormatError",
    "RegistryError",
    "Service",
    "TrainingCancelled",
    "check_hyperparameters",
    "default_templates",
    "evaluate",
    "make_dataset",
    "model_from_dict",
    "model_to_dict",
    "train_val_split",
    "validate_pattern",
]
