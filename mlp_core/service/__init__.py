"""What the CLI and the browser worker call: prediction, model info and health over a
registry (``serving.Service``), the worker's JSON-in/JSON-out API (``webapi.App``), the
judge of models on the person's test drawings (``evaluation``) and the local prediction
log (``monitoring``).

The top of the package: it may use everything below it; nothing below imports it.
"""
