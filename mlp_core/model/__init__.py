"""The network and how it reads a drawing: the multilayer perceptron (``network``), its
preprocessing, calibration, metrics, the validation split, rejection (``recognizer``)
and the model's JSON form (``serialize``).

Depends only on the shared tables (``limits``, ``messages``, ``settings``): no data
recipe, registry, storage or I/O.
"""
