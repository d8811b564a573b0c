"""Recipes that turn data into a model: a training from scratch (``train``), a
fine-tuning of a registered model (``finetune``), both run an epoch at a time by
``trainer.Trainer`` (the browser worker's training session), and the lineage a trained
model records (``lineage``).

Depends on ``model``, ``data`` and the registry's model loading; nothing here writes a
registry: the caller registers the result.
"""
