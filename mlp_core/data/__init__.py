"""Drawings: the synthetic recipe (``synthetic``: templates, augmentation, noise), the
non-letters (``negatives``), the held-out drawings that judge rejection (``heldout``),
a drawing as the grid sends it (``drawing``) and the person's own examples
(``examples``).

Depends on the shared tables and on ``model`` (to center drawings and to report how a
recognizer does on the held-out set); never on the registry, training or service.
"""
