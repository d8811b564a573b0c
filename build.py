"""Build steps that run on CPython.

    python build.py pretrain   train the default model -> trained_models/registry.json
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from mlp_core import registry, store  # noqa: E402
from mlp_core.train import DEFAULT_CONFIG, train_model  # noqa: E402

DEFAULT_BUNDLE = ROOT / "trained_models" / "registry.json"


def pretrain(out: Path = DEFAULT_BUNDLE) -> registry.Entry:
    """Train the default model (fixed seeds: identical weights on every run) and write a
    one-model registry bundle with it as production."""
    result = train_model(DEFAULT_CONFIG["hyperparameters"], DEFAULT_CONFIG["data"])
    doc, entry = registry.register(
        registry.empty_registry(), result.model, accuracy=result.accuracy,
        metrics=result.metrics, dataset_info=result.dataset_info, promote=True,
        now=datetime.now(UTC))
    store.write_registry(out, doc)
    epochs = len(result.model.history_["train_loss"])
    print(f"pretrained {entry['version']}: validation accuracy {result.accuracy:.4f}, "
          f"{epochs} epochs in {result.model.fit_seconds_:.1f} s -> {out}")
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("pretrain", help="train the default model into trained_models/registry.json")
    args = parser.parse_args(argv)
    if args.step == "pretrain":
        pretrain()
    return 0


if __name__ == "__main__":
    sys.exit(main())
