"""Command line: ``python -m mlp_core train|finetune|predict|evaluate|info|health|registry``.

Results go to stdout as JSON (one object per line for ``predict``); progress and errors
go to stderr. Any error exits with status 1 (2 for bad usage) and a one-line message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from . import registry
from .data.drawing import parse_pattern_text
from .data.examples import drawings, with_splits
from .data.fonts import ROLES, font_report, report_markdown
from .data.handwriting import handwriting_report
from .data.handwriting import report_markdown as handwriting_markdown
from .export import FORMATS, export_model, import_sklearn
from .messages import coded
from .registry import store
from .service.gate import promotion
from .service.serving import Service
from .settings import DEFAULT_PRESET, FINETUNE, PRESETS, SETTINGS, Setting
from .training.finetune import finetune_steps
from .training.train import TrainResult, train_model


def _path(args: argparse.Namespace) -> Path:
    """Where this command's registry lives: ``--registry``, else the user's own file."""
    return Path(args.registry) if args.registry else store.user_registry_path()


def _read(args: argparse.Namespace) -> registry.Document:
    """The registry; without ``--registry``, the user's file or, until something is
    written there, the default models shipped in the package."""
    return store.read_registry(_path(args),
                               default=None if args.registry else store.DEFAULT_BUNDLE)


def _emit(obj: Any) -> None:
    print(json.dumps(obj, allow_nan=False), flush=True)


def _cmd_train(args: argparse.Namespace) -> None:
    config = PRESETS[args.preset].config() if args.preset else {
        "hyperparameters": {}, "data": {}}
    for s in SETTINGS:  # flags given override the preset
        if getattr(args, s.name) is not None:
            config[s.section][s.name] = getattr(args, s.name)

    samples = _samples(args)
    result = train_model(config["hyperparameters"], config["data"],
                         templates=_templates(args), samples=samples,
                         callback=None if args.quiet else _progress)
    _register(args, _read(args), result, samples)


def _samples(args: argparse.Namespace) -> list[Any] | None:
    """The ``--samples`` file's examples, each with its split (``examples.with_splits``:
    without one, a stable 30% of each letter's are test drawings), or None."""
    if not args.samples:
        return None
    samples = _read_json(args.samples)
    return with_splits(samples) if isinstance(samples, list) else samples


def _templates(args: argparse.Namespace) -> dict[str, Any] | None:
    """The ``--templates`` file's letters ``{letter: pattern}``, or None; each pattern is
    checked where it is trained (``synthetic.check_template``)."""
    if not args.templates:
        return None
    templates = _read_json(args.templates)
    if not isinstance(templates, dict):
        raise coded(ValueError, "field_object", where="templates")
    return templates


def _progress(info: dict[str, Any]) -> None:
    val = "" if info["val_loss"] is None else (
        f"  val_loss {info['val_loss']:.4f}  val_acc {info['val_accuracy']:.4f}")
    print(f"epoch {info['epoch']:4d}/{info['max_epochs']}  train_loss "
          f"{info['train_loss']:.4f}{val}", file=sys.stderr, flush=True)


def _register(args: argparse.Namespace, doc: registry.Document, result: TrainResult,
              samples: list[Any] | None) -> None:
    """Register the result; promote it with ``--promote``, or with
    ``--promote-if-better`` if it passes the gate on the test drawings among
    ``samples``. With samples, the output has the gate's ``verdict``, ``criteria``,
    ``evidence`` and ``reason``; a ``--promote`` that the gate would not have made keeps
    a warning in the production history."""
    doc, entry = registry.register(doc, result.model_dict(), accuracy=result.accuracy,
                                   metrics=result.metrics, dataset_info=result.dataset_info,
                                   lineage=result.lineage)
    gate = None
    if samples is not None or args.promote_if_better:
        X, y = drawings(samples or [], "test")
        gate = Service(lambda: doc).gate(entry["version"], X, y)
    promoted, note = promotion("if_better" if args.promote_if_better else args.promote, gate)
    if promoted:
        doc = registry.set_production(doc, entry["version"], note=note)
        entry = registry.get(doc, entry["version"])
    store.write_registry(_path(args), doc)
    out = {"version": entry["version"], "accuracy": entry["accuracy"],
           "is_production": entry["is_production"], "parent": result.lineage["parent"],
           "epochs": len(result.model.history_["train_loss"]),
           "fit_seconds": round(result.model.fit_seconds_, 3)}
    if gate:
        out["gate"] = {k: gate[k] for k in ("verdict", "promote", "criteria", "evidence",
                                            "reason", "difference")}
    _emit(out)


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path} is not valid JSON: {e}") from None


def _cmd_finetune(args: argparse.Namespace) -> None:
    doc = _read(args)
    config = {s.name: getattr(args, s.name) for s in FINETUNE
              if getattr(args, s.name) is not None}
    samples = _samples(args)
    steps = finetune_steps(registry.get_production(doc), config, templates=_templates(args),
                           samples=samples)
    while True:
        try:
            info = next(steps)
        except StopIteration as done:
            return _register(args, doc, done.value, samples)
        if not args.quiet:
            _progress(info)


def _cmd_predict(args: argparse.Namespace) -> None:
    texts = [line for line in sys.stdin.read().splitlines() if line.strip()] \
        if args.patterns == ["-"] else args.patterns
    if not texts:
        raise ValueError("no pattern given: pass 100-character 0/1 strings, or '-' for stdin")
    service = Service(lambda: _read(args))
    patterns = [parse_pattern_text(t) for t in texts]  # all validated before any output
    for p in patterns:
        _emit(service.predict(p))


def _cmd_evaluate(args: argparse.Namespace) -> None:
    doc = _read(args)
    entry = registry.get(doc, args.version) if args.version else registry.get_production(doc)
    recognizer = registry.load_recognizer(entry)
    reports = {"handwriting": (handwriting_report, handwriting_markdown, "writers"),
               "fonts": (font_report, report_markdown, "font families")}
    chosen = [args.source] if args.source else list(reports)
    if args.markdown:
        for name in chosen:
            make, markdown, unit = reports[name]
            report = make(recognizer, args.role)
            print(f"Model {entry['version']}, {name}: {unit} in role {args.role!r}:\n\n"
                  f"{markdown(report)}\n")
    else:
        _emit({"version": entry["version"],
               **{name: reports[name][0](recognizer, args.role) for name in chosen}})


def _cmd_registry(args: argparse.Namespace) -> None:
    doc = _read(args)
    if args.action == "list":
        for s in registry.list_models(doc):
            _emit({k: s[k] for k in ("version", "created_at", "accuracy", "is_production",
                                     "architecture", "classes", "tags")})
        return
    if args.action == "history":
        for event in doc["history"]:
            _emit(event)
        return
    if args.action == "export" and args.format:
        return _export_as(args, doc)
    if args.action == "export":
        bundle = registry.export_bundle(doc, args.versions or None)
        text = registry.dumps(bundle)
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
            _emit({"exported": [e["version"] for e in bundle["models"]], "file": args.output})
        else:
            print(text)
        return
    if args.action == "import":
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        if raw.startswith(ZIP_MAGIC) or args.file.endswith(".skops"):  # a bundle is JSON
            doc, report = import_sklearn(doc, raw, Path(args.file).name)
        else:
            doc, report = registry.import_bundle(doc, raw)
    elif args.action == "promote":
        doc = registry.set_production(doc, args.version, note=args.note)
        report = {"production": args.version}
    elif args.action == "rollback":
        doc, version = registry.rollback(doc, args.note)
        report = {"production": version}
    else:
        doc, report = registry.delete(doc, args.version), {"deleted": args.version}
    store.write_registry(_path(args), doc)
    _emit(report)


ZIP_MAGIC = b"PK\x03\x04"


def _export_as(args: argparse.Namespace, doc: registry.Document) -> None:
    """``registry export [VERSION] --format F [-o OUT]``: one model (production by
    default) in format F. A single file goes to OUT, or to stdout; several files (mlflow,
    sklearn) go into the folder OUT (made; it must be empty), or a zip when OUT ends in
    .zip."""
    if len(args.versions) > 1:
        raise ValueError(f"--format exports one model; {len(args.versions)} versions were "
                         "given (without --format, export writes a bundle of several)")
    entry = registry.get(doc, args.versions[0]) if args.versions else \
        registry.get_production(doc)
    out = export_model(entry, args.format)
    if not args.output:
        if len(out.files) > 1:
            raise ValueError(f"--format {args.format} writes several files: give -o FOLDER "
                             "or -o FILE.zip")
        sys.stdout.buffer.write(out.single())
        sys.stdout.buffer.flush()
        return
    target = Path(args.output)
    if target.suffix == ".zip" or len(out.files) == 1:
        files = {target: out.zipped() if target.suffix == ".zip" else out.single()}
    elif target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ValueError(f"{target} exists and is not an empty folder; nothing was written")
    else:
        target.mkdir(parents=True, exist_ok=True)
        files = {target / name: data for name, data in out.files.items()}
    for path, data in files.items():
        path.write_bytes(data)
    _emit({"exported": entry["version"], "format": args.format,
           "files": [str(p) for p in files], "bytes": sum(map(len, files.values()))})


def _add_setting(parser: argparse.ArgumentParser, s: Setting) -> None:
    """One flag per setting of ``settings.SETTINGS``: its type, choices and help."""
    default = ", ".join(map(str, s.default)) if s.type == "int_list" else s.default
    kinds = {"int": {"type": int}, "float": {"type": float},
             "choice": {"choices": s.choices}, "int_list": {"type": int, "nargs": "+"}}
    parser.add_argument(f"--{s.name.replace('_', '-')}", dest=s.name, **kinds[s.type],
                        metavar=None if s.type == "choice" else "N",
                        help=f"{s.help} {s.section}: {s.describe()}; default {default}")


PATTERN_HELP = ("100 zeros and ones: a list, 10 rows of 10, or a string such as "
                "'0110…' (whitespace, commas, '|' and '_' ignored)")
SAMPLES_HELP = ('JSON list of {"label": a letter or "(none)", "pattern": ' + PATTERN_HELP
                + ', "split"?: "train"|"test"}; without a split, a stable 30%% of each '
                "label's are test drawings, which judge the model (the gate) and are not "
                "trained on")
TEMPLATES_HELP = "JSON object {letter: pattern} of letters %s; a pattern is " + PATTERN_HELP


def _add_promotion(parser: argparse.ArgumentParser) -> None:
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--promote", action="store_true", help="make it the production model "
                     "(with --samples, a promotion the gate would not make keeps a warning "
                     "in the history)")
    how.add_argument("--promote-if-better", action="store_true", help="make it the "
                     "production model only if it passes the gate on the test drawings "
                     "among --samples: better at p < 0.05, rejection and validation kept")
    parser.add_argument("--quiet", action="store_true", help="no per-epoch progress")


def _add_training(sub: argparse._SubParsersAction) -> None:
    """``train`` and ``finetune``: one flag per setting, the data files, the promotion."""
    t = sub.add_parser("train", help="train a model and register it",
                       description="Train a model on synthetic letters and register it. "
                       "Settings not given take their defaults (or the --preset's).")
    t.add_argument("--preset", choices=list(PRESETS), help="start from a named setup: "
                   + "; ".join(f"{p.name}: {p.label}" for p in PRESETS.values())
                   + f" ({DEFAULT_PRESET} made the default model)")
    for s in SETTINGS:
        _add_setting(t, s)
    t.add_argument("--samples", metavar="FILE", help=SAMPLES_HELP + "; train drawings are "
                   "trained on beside the synthetic data")
    t.add_argument("--templates", metavar="FILE", help=TEMPLATES_HELP % "beyond b, d and f")
    _add_promotion(t)
    t.set_defaults(func=_cmd_train)

    f = sub.add_parser("finetune", help="fine-tune the production model on drawn examples",
                       description="Train the production model further on drawn examples "
                       "plus a replay of synthetic letters; registers a new model whose "
                       "parent is production. New letters grow the output layer.")
    f.add_argument("--samples", required=True, metavar="FILE", help=SAMPLES_HELP)
    f.add_argument("--templates", metavar="FILE",
                   help=TEMPLATES_HELP % "the model does not know")
    for s in FINETUNE:
        _add_setting(f, s)
    _add_promotion(f)
    f.set_defaults(func=_cmd_finetune)


def _add_reading(sub: argparse._SubParsersAction) -> None:
    """``predict``, ``info``, ``health`` and ``evaluate``: what uses a model, changing
    nothing."""
    pr = sub.add_parser("predict", help="predict letters; one JSON line per pattern")
    pr.add_argument("patterns", nargs="+", metavar="PATTERN",
                    help="100 characters of 0/1 (row-major), or '-' to read lines from stdin")
    pr.set_defaults(func=_cmd_predict)

    sub.add_parser("info", help="production model info").set_defaults(
        func=lambda a: _emit(Service(lambda: _read(a)).model_info()))
    sub.add_parser("health", help="service health").set_defaults(
        func=lambda a: _emit(Service(lambda: _read(a)).health()))

    ev = sub.add_parser("evaluate", help="how a model reads the handwriting of people and "
                        "the fonts it was never trained on",
                        description="Judge a model (production by default) on the shipped "
                        "handwriting of writers (mlp_core/data/handwriting.py) and font "
                        "families (mlp_core/data/fonts.py) held out of training: letters "
                        "right, rejected or wrong (by letter and pen width, by style and ink "
                        "level), the writers' median and 10th percentile, and each other "
                        "character's rejection.")
    ev.add_argument("version", nargs="?", help="model version (default: production)")
    ev.add_argument("--role", choices=ROLES, default="evaluation",
                    help="which writers and families: evaluation (never used in training, "
                    "the default), validation (chose the temperature and rejection margins) "
                    "or train")
    ev.add_argument("--source", choices=("handwriting", "fonts"),
                    help="only this source (default: both)")
    ev.add_argument("--markdown", action="store_true", help="tables instead of JSON")
    ev.set_defaults(func=_cmd_evaluate)


def _add_registry(sub: argparse._SubParsersAction) -> None:
    """``registry`` and its actions: list, promote, rollback, history, delete, export,
    import."""
    r = sub.add_parser("registry", help="list, promote, roll back, history, delete, "
                       "export, import")
    rs = r.add_subparsers(dest="action", required=True)
    rs.add_parser("list")
    note = {"help": "why (kept in the production history)"}
    promote = rs.add_parser("promote", help="make a model the production one")
    promote.add_argument("version")
    promote.add_argument("--note", **note)
    rs.add_parser("rollback", help="make the previous production model production again"
                  ).add_argument("--note", **note)
    rs.add_parser("history", help="every change of the production model, oldest first, "
                  "one JSON line each")
    rs.add_parser("delete").add_argument("version")
    ex = rs.add_parser("export", help="a JSON bundle of models, or one model in another "
                       "format (--format)")
    ex.add_argument("versions", nargs="*", help="versions to export (default: all; with "
                    "--format, one, production by default)")
    ex.add_argument("--format", choices=list(FORMATS), help="; ".join(
        f"{f.name}: {f.label}" for f in FORMATS.values()) + " (docs/export.md)")
    ex.add_argument("-o", "--output", help="file to write (default: stdout); with --format "
                    "mlflow or sklearn, a folder or a .zip")
    rs.add_parser("import", help="import a bundle, or a scikit-learn MLPClassifier saved "
                  "with skops").add_argument(
        "file", help="bundle JSON file or .skops file, or '-' for stdin")
    r.set_defaults(func=_cmd_registry)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and --help)."""
    p = argparse.ArgumentParser(prog="python -m mlp_core", description=__doc__.split("\n")[0])
    p.add_argument("--registry", metavar="PATH",
                   help=f"registry JSON file (default: {store.user_registry_path()}, which "
                        "starts as a copy of the default models shipped with mlp_core)")
    sub = p.add_subparsers(dest="command", required=True)
    _add_training(sub)
    _add_reading(sub)
    _add_registry(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (ValueError, OSError, FloatingPointError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0
