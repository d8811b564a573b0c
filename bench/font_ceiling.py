"""How well *any* small network can read b, d and f in fonts it never saw, by style.

A network trained on the training families' b, d and f glyphs only (no other characters,
no rejection, balanced) is a ceiling for the recognizer's "right and accepted": it cannot
do better on held-out families than their top-1. Run:

    python bench/font_ceiling.py        # a few seconds a seed

It prints each held-out role and style's top-1 for a few seeds, next to the shipped
default model's top-1 (ignoring rejection) and its right-and-accepted share.
"""

from __future__ import annotations

import numpy as np

from mlp_core import registry
from mlp_core.data.fonts import STYLES, shipped
from mlp_core.model.network import MLP
from mlp_core.model.preprocess import center
from mlp_core.registry import store

LETTERS = "bdf"
SEEDS = (0, 1, 2)


def main() -> None:
    fonts = shipped()
    style_of = np.array(fonts.styles)

    def rows(role: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r = fonts.rows(role, LETTERS)
        return center(fonts.grids(r)), fonts.chars[r], style_of[fonts.family[r]]

    X_train, y_train, _ = rows("train")
    held = {role: rows(role) for role in ("validation", "evaluation")}
    recognizer = registry.load_recognizer(
        registry.get_production(store.read_registry(store.DEFAULT_BUNDLE)))
    print("| role | style | grids | families | dedicated top-1 (seeds) | default top-1 "
          "| default right and accepted |")
    print("|---|---|---|---|---|---|---|")
    top1 = {}
    for seed in SEEDS:
        net = MLP(hidden_layer_sizes=[64], activation="relu", learning_rate=0.05,
                  momentum=0.9, l2=0.01, seed=seed, max_epochs=200)
        X_val, y_val, _ = held["validation"]
        net.fit(np.vstack([X_train] * 5), np.concatenate([y_train] * 5), X_val=X_val,
                y_val=y_val)
        for role, (X, y, _) in held.items():
            top1[role, seed] = net.predict(X) == y
    for role, (X, y, style) in held.items():
        letter, ok, _ = recognizer.predict_many(X)
        for s in STYLES:
            m = style == s
            fams = len({fonts.family[i] for i in fonts.rows(role, LETTERS)[m]})
            dedicated = " / ".join(f"{100 * top1[role, seed][m].mean():.1f}%" for seed in SEEDS)
            print(f"| {role} | {s} | {m.sum()} | {fams} | {dedicated} | "
                  f"{100 * np.mean(letter[m] == y[m]):.1f}% | "
                  f"{100 * np.mean(ok[m] & (letter[m] == y[m])):.1f}% |")


if __name__ == "__main__":
    main()
