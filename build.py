"""Build steps that run on CPython.

    python build.py pretrain      train the default model -> mlp_core/registry/default_registry.json
    python build.py build         assemble the static site in dist/
    python build.py serve [PORT]  serve dist/ on 127.0.0.1 (default port 8000)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import gzip
import hashlib
import http.server
import io
import json
import marshal
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import manifest  # noqa: E402
from mlp_core import export, limits, messages, registry, settings  # noqa: E402
from mlp_core.data import sources  # noqa: E402
from mlp_core.registry import history, model_card, store  # noqa: E402
from mlp_core.training.train import DEFAULT_CONFIG, train_model  # noqa: E402

DEFAULT_BUNDLE = store.DEFAULT_BUNDLE  # package data; trained_models/registry.json links here
DIST = ROOT / "dist"
WEB = ROOT / "web"
NODE = ROOT / "node_modules"
PYODIDE = NODE / "pyodide"
PYODIDE_LOCK = PYODIDE / "pyodide-lock.json"  # its Python's version
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
VENDOR = {  # npm file -> dist/vendor name
    NODE / "idb" / "build" / "index.js": "idb.js",
    NODE / "uplot" / "dist" / "uPlot.esm.js": "uPlot.esm.js",
    NODE / "uplot" / "dist" / "uPlot.min.css": "uPlot.min.css",
}

# NumPy for Pyodide 0.27.7 is not on npm, and NumPy publishes no wasm wheels: the exact
# official file (the one Pyodide's own lock file names, same sha256) is vendored in
# vendor/pyodide/ (provenance, license and how to refresh it in its README).
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
NUMPY_SHA256 = "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08"
VENDORED = ROOT / "vendor" / "pyodide"
LICENSES = ROOT / "vendor" / "licenses"
#: The data files training reads (``sources.DATA_FILES``): the site's wheel leaves them out
#: and serves each at its root, where the worker fetches it before a training.
DATA_FILES = {s.data_file.name: s.data_file for s in sources.SOURCES if s.data_file}
FONT_LICENSES = LICENSES / "fonts-copyright.txt"  # written by scripts/render_fonts.py
#: The credits for what others made (the data's attribution, the software's licences): in
#: the wheel (pyproject.toml's license-files) and at the top of dist/THIRD-PARTY-NOTICES.txt,
#: which the page's footer links to.
NOTICES = ROOT / "THIRD-PARTY-NOTICES.md"
#: What dist/ ships that others wrote: (name, where its version is read, license, source,
#: license text). Written to dist/THIRD-PARTY-NOTICES.txt by every build.
THIRD_PARTY = (
    ("Pyodide", "npm:pyodide", "MPL-2.0", "https://github.com/pyodide/pyodide",
     LICENSES / "pyodide-LICENSE.txt"),
    ("CPython (in Pyodide: the interpreter and python_stdlib.zip)", "lock:python",
     "PSF-2.0", "https://github.com/python/cpython", LICENSES / "cpython-LICENSE.txt"),
    ("NumPy (Pyodide's build)", "lock:numpy", "BSD-3-Clause", "https://github.com/numpy/numpy",
     LICENSES / "numpy-LICENSE.txt"),
    ("idb", "npm:idb", "ISC", "https://github.com/jakearchibald/idb",
     NODE / "idb" / "LICENSE"),
    ("uPlot", "npm:uplot", "MIT", "https://github.com/leeoniya/uPlot",
     NODE / "uplot" / "LICENSE"),
)


class BuildError(RuntimeError):
    """A build step failed; the message says what to do."""


# --- ship only what runs ------------------------------------------------------------------
# Measured in Pyodide 0.27.7 (tests/test_pyodide.py checks it stays true): the top-level
# standard-library modules and packages that starting Pyodide, loading the packages and
# every App operation import. The standard library's encodings are cut to what is used.
STDLIB_KEEP = frozenset({
    "__future__", "_compat_pickle", "_compression", "_pyodide", "_weakrefset",
    "argparse", "ast", "asyncio", "base64", "bisect", "bz2", "calendar", "collections",
    "concurrent", "contextlib", "contextvars", "copy", "copyreg", "csv", "ctypes",
    "dataclasses", "datetime", "dis", "email", "encodings", "enum", "fnmatch",
    "functools", "gettext", "hashlib", "heapq", "hmac", "importlib", "inspect",
    "ipaddress", "json", "keyword", "linecache", "locale", "logging", "numbers",
    "opcode", "operator", "pathlib", "pickle", "platform", "pyodide", "quopri",
    "random", "re", "reprlib", "secrets", "selectors", "shutil", "signal", "socket",
    "string", "struct", "subprocess", "tarfile", "tempfile", "textwrap", "threading",
    "token", "tokenize", "traceback", "types", "typing", "urllib", "warnings",
    "weakref", "zipfile"})
ENCODINGS_KEEP = frozenset({"__init__", "aliases", "utf_8", "utf_8_sig", "ascii", "latin_1",
                            "cp437"})
#: What a first prediction does not import, of what is shipped: starting Pyodide and the
#: packages, importing mlp_core.service.webapi, loading the default models and predicting
#: import everything else (measured in Pyodide; tests/test_pyodide.py checks both ways).
#: These parts go to ``LATER``, which the worker installs once Python is ready and before
#: any operation that needs them (worker/handlers.js): top-level standard-library modules,
#: and paths inside NumPy's and mlp_core's packages (a folder ends in "/", a module's file
#: name is given up to its suffix).
STDLIB_LATER = frozenset({"argparse", "calendar", "csv", "email", "gettext", "hmac", "quopri",
                          "secrets", "tarfile"})
NUMPY_LATER = ("testing/", "random/", "_core/lib/", "linalg/lapack_lite.",
               "_core/_rational_tests.", "_core/_umath_tests.", "_core/_struct_ufunc_tests.",
               "_core/_operand_flag_tests.", "_core/_simd.", "_core/defchararray.",
               "_core/strings.", "_core/cversions.", "lib/recfunctions.",
               "lib/_user_array_impl.", "lib/user_array.", "_utils/_pep440.",
               "_typing/_add_docstring.", "_typing/_extended_precision.")
MLP_CORE_LATER = ("export/", "cli.", "__main__.", "registry/store.")
#: Where Pyodide's Python finds the standard library, the packages' files, and LATER's.
STDLIB_IN = "/lib/python312.zip/"
SITE_PACKAGES = "/lib/python3.12/site-packages/"
LATER_IN = "/lib/python3.12/"
#: The archive of those parts, in dist/pyodide/: paths below /lib/python3.12/, where the
#: worker unpacks it (site-packages/ for the packages' files).
LATER = "runtime-later.zip"
#: NumPy's parts that its import and mlp_core use (numpy.testing: the core suite's).
NUMPY_KEEP = frozenset({"_core", "lib", "linalg", "matrixlib", "random", "testing",
                        "_typing", "_utils", "__init__.py", "__config__.py",
                        "_distributor_init.py", "_expired_attrs_2_0.py", "_globals.py",
                        "_pytesttester.py", "dtypes.py", "exceptions.py", "version.py"})
#: Never needed at run time: stubs, C headers and sources, static libraries, Cython.
DROP_SUFFIXES = (".pyi", ".h", ".c", ".a", ".pxd", ".pyx", ".rst", ".md")


def _stdlib_kept(name: str) -> bool:
    parts = name.split("/")
    top = parts[0].removesuffix(".py")
    if top == "encodings" and len(parts) > 1:
        return parts[1].removesuffix(".py") in ENCODINGS_KEEP
    return top in STDLIB_KEEP


def _numpy_kept(name: str) -> bool:
    parts = name.split("/")
    if parts[0].endswith(".dist-info"):
        return True
    return (len(parts) > 1 and parts[1] in NUMPY_KEEP and not {"tests", "_examples", "include"}
            & set(parts) and not name.endswith(DROP_SUFFIXES))


def _later(name: str, package: str, later: tuple[str, ...]) -> bool:
    """Whether ``name`` (a path in a wheel) is one of ``package``'s ``later`` parts."""
    return name.startswith(f"{package}/") and name[len(package) + 1:].startswith(later)


def _stdlib_later(name: str) -> bool:
    return name.split("/")[0].removesuffix(".py") in STDLIB_LATER


def _numpy_later(name: str) -> bool:
    return _later(name, "numpy", NUMPY_LATER)


def _mlp_core_later(name: str) -> bool:
    return _later(name, "mlp_core", MLP_CORE_LATER)


def _rezip(src: Path, out: Path, kept, later: zipfile.ZipFile | None = None,
           deferred=lambda name: False, prefix: str = "", compiled_in: str | None = None) -> None:
    """Copy the zip ``src`` to ``out`` with only the entries ``kept(name)`` accepts, those
    ``deferred(name)`` accepts to ``later`` instead (under ``prefix``). With ``compiled_in``
    (the folder the runtime finds ``out``'s files in), Python modules go as bytecode
    (``_bytecode``). A wheel's RECORD is cut to the entries in ``out``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                      compresslevel=9) as zout:
        entries = {i.filename: (i, zin.read(i)) for i in zin.infolist() if kept(i.filename)}
        record = next((entries.pop(n) for n in list(entries) if n.endswith(".dist-info/RECORD")),
                      None)
        compiled = {} if compiled_in is None else _bytecode({
            n: ((LATER_IN + prefix if deferred(n) else compiled_in) + n, data)
            for n, (_, data) in entries.items() if _is_module(n, entries)})
        shipped: dict[str, str] = {}  # name in src -> name in out
        for name, (info, data) in entries.items():
            new = name + "c" if name in compiled else name
            data = compiled.get(name, data)
            if later is not None and deferred(name):
                later.writestr(_renamed(info, prefix + new), data)
            else:
                shipped[name] = new
                zout.writestr(info if new == name else _renamed(info, new), data)
        if record is not None:  # bytecode has no hash (the wheel format allows that)
            info, data = record
            rows = [line.split(",", 1) for line in data.decode().splitlines()]
            zout.writestr(info, "".join(f"{shipped[n]},,\n" if shipped[n] != n else f"{n},{rest}\n"
                                        for n, rest in rows if n in shipped)
                          + f"{info.filename},,\n")


def _is_module(name: str, names) -> bool:
    """Whether the file ``name`` among ``names`` is a Python module: a ``.py`` file at the
    top or in a package, as opposed to one read as data (mlp_core/export/shipped/)."""
    folders = name.split("/")[:-1]
    return name.endswith(".py") and all(
        "/".join(folders[:i]) + "/__init__.py" in names for i in range(1, len(folders) + 1))


#: The modules whose docstrings are used: NumPy's array-function dispatchers' become the C
#: functions' (``add_docstring``, which refuses None unless Python runs with -OO); the
#: command line's describes it.
KEEPS_DOCSTRINGS = ("numpy/_core/multiarray.py", "mlp_core/cli.py")


def _bytecode(sources: dict[str, tuple[str, bytes]]) -> dict[str, bytes]:
    """``sources`` ({name: (its path at run time, Python source)}) as sourceless bytecode
    for Pyodide's Python (``build`` checks it is this one's minor version), by
    scripts/bytecode.py: without docstrings (but ``KEEPS_DOCSTRINGS``') or column
    positions. A start without the runtime snapshot then compiles no Python (a cold
    start in Chromium: 6.3 s -> 3.9 s), and the files deflate to about the source's size."""
    result = subprocess.run([sys.executable, "-X", "no_debug_ranges",
                             str(ROOT / "scripts" / "bytecode.py"), *KEEPS_DOCSTRINGS],
                            input=marshal.dumps(sources), capture_output=True)
    if result.returncode:
        raise BuildError(f"compiling to bytecode failed:\n{result.stderr.decode()}")
    return marshal.loads(result.stdout)


#: Deflated with Zopfli, slow: each result is kept here, by the sha256 of what it deflates.
ZOPFLI_CACHE = ROOT / "build" / "zopfli"


def _deflated(data: bytes) -> bytes:
    """``data`` as a raw deflate stream: Zopfli's (3-6% smaller than zlib's level 9 on the
    site's archives), or zlib's when that is smaller."""
    cached = ZOPFLI_CACHE / f"{hashlib.sha256(data).hexdigest()}.deflate"
    if cached.exists():
        return cached.read_bytes()
    try:
        from zopfli.zopfli import compress
    except ImportError:
        raise BuildError("zopfli is missing: `pip install --group dev` (make does)") from None
    level9 = zlib.compressobj(9, zlib.DEFLATED, -15)
    best = min(compress(data)[2:-4], level9.compress(data) + level9.flush(), key=len)  # zlib
    ZOPFLI_CACHE.mkdir(parents=True, exist_ok=True)  # container: 2-byte header, 4-byte sum
    cached.write_bytes(best)
    return best


class _Zopfli:
    """What zipfile deflates an entry with, in ``_zopfli_zips``."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def compress(self, data: bytes) -> bytes:
        self.parts.append(bytes(data))
        return b""

    def flush(self) -> bytes:
        return _deflated(b"".join(self.parts))


@contextlib.contextmanager
def _zopfli_zips():
    """While in it, zip files deflate their entries with Zopfli (``_deflated``)."""
    real = zipfile._get_compressor
    zipfile._get_compressor = lambda kind, level=None: (
        _Zopfli() if kind == zipfile.ZIP_DEFLATED else real(kind, level))
    try:
        yield
    finally:
        zipfile._get_compressor = real


def _renamed(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    out = zipfile.ZipInfo(name, info.date_time)
    out.compress_type, out.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _run(cmd: list[str], **kw) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if result.returncode:
        raise BuildError(f"{' '.join(map(str, cmd))} failed:\n{result.stdout}{result.stderr}")


# --- pretrain -----------------------------------------------------------------------------


def pretrain(out: Path = DEFAULT_BUNDLE) -> registry.Entry:
    """Train the default model (fixed seeds: identical weights on every run) and write a
    one-model registry bundle with it as production."""
    result = train_model(DEFAULT_CONFIG["hyperparameters"], DEFAULT_CONFIG["data"])
    doc, entry = registry.register(
        registry.empty_registry(), result.model_dict(), accuracy=result.accuracy,
        metrics=result.metrics, dataset_info=result.dataset_info,
        lineage=result.lineage, promote=True,
        now=datetime.now(UTC))
    store.write_registry(out, doc)
    epochs = len(result.model.history_["train_loss"])
    print(f"pretrained {entry['version']}: validation accuracy {result.accuracy:.4f}, "
          f"{epochs} epochs in {result.model.fit_seconds_:.1f} s -> {out}")
    return entry


# --- build --------------------------------------------------------------------------------


def numpy_wheel() -> Path:
    """The vendored NumPy wasm wheel, refused unless its sha256 is Pyodide 0.27.7's."""
    wheel = VENDORED / NUMPY_WHEEL
    if not wheel.exists():
        raise BuildError(f"{wheel} is missing; see vendor/pyodide/README.md to restore it")
    got = _sha256(wheel)
    if got != NUMPY_SHA256:
        raise BuildError(f"{wheel} has sha256 {got}, expected {NUMPY_SHA256} (Pyodide "
                         "0.27.7's lock file); restore the official file "
                         "(vendor/pyodide/README.md)")
    return wheel


def core_wheel(out_dir: Path) -> Path:
    """Build the pure-Python mlp_core wheel."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("mlp_core-*.whl"):
        old.unlink()
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out_dir),
          str(ROOT)])
    (wheel,) = out_dir.glob("mlp_core-*.whl")
    return wheel


def site_lock(wheel: Path, out: Path) -> dict:
    """Pyodide's lock file plus mlp_core (via ``pyodide lockfile add-wheels``), cut down
    to the packages the site ships."""
    original = json.loads((PYODIDE / "pyodide-lock.json").read_text())
    numpy_entry = original["packages"]["numpy"]
    if (numpy_entry["file_name"], numpy_entry["sha256"]) != (NUMPY_WHEEL, NUMPY_SHA256):
        raise BuildError("node_modules/pyodide does not list the expected NumPy wheel; "
                         "run `npm ci` to install the pinned pyodide@0.27.7")
    pyodide_cli = Path(sys.executable).with_name("pyodide")
    with tempfile.TemporaryDirectory() as tmp:
        new = Path(tmp) / "pyodide-lock.json"
        _run([str(pyodide_cli), "lockfile", "add-wheels", "--input",
              str(PYODIDE / "pyodide-lock.json"), "--output", str(new), wheel.name],
             cwd=wheel.parent)
        lock = json.loads(new.read_text())
    # pyodide-lock drops info.version as deprecated, but Pyodide 0.27 refuses a lock
    # file without it ("Lock file version doesn't match Pyodide version").
    lock["info"]["version"] = original["info"]["version"]
    keep, todo = set(), ["mlp-core"]
    while todo:
        name = todo.pop()
        if name not in keep:
            keep.add(name)
            todo += lock["packages"][name]["depends"]
    lock["packages"] = {k: v for k, v in lock["packages"].items() if k in keep}
    # The site's NumPy is the official wheel cut to what runs (build()): its own digest.
    lock["packages"]["numpy"]["sha256"] = _sha256(out.parent / NUMPY_WHEEL)
    out.write_text(json.dumps(lock, separators=(",", ":"), sort_keys=True))
    return lock


def third_party_notices() -> str:
    """The notices of everything in dist/ that this project did not write: the credits
    (``NOTICES``), then each one's version and full licence text."""
    lock = json.loads((PYODIDE / "pyodide-lock.json").read_text())

    def version(where: str) -> str:
        kind, name = where.split(":")
        if kind == "npm":
            return json.loads((NODE / name / "package.json").read_text())["version"]
        return lock["info"]["python"] if name == "python" else lock["packages"][name]["version"]

    parts = [NOTICES.read_text(encoding="utf-8").strip() + "\n",
             f"{'#' * 78}\nFull licence texts: the software this site includes, then the fonts.\n"]
    for name, where, spdx, source, text in THIRD_PARTY:
        parts.append(f"{'=' * 78}\n{name} {version(where)} ({spdx})\nSource: {source}\n{'-' * 78}\n"
                     f"{text.read_text(encoding='utf-8').strip()}\n")
    parts.append(f"{'=' * 78}\nFonts (Debian packages) whose glyphs, rendered as 10x10 grids, are "
                 f"training data in mlp_core/data/fonts.npz (scripts/render_fonts.py)\n"
                 f"{FONT_LICENSES.read_text(encoding='utf-8').strip()}\n")
    return "\n".join(parts)


def precache_manifest(dist: Path) -> tuple[str, list[list[str]]]:
    """Every file of the site as [relative URL, Subresource Integrity hash], and a version
    hash over their contents. The service worker keeps a file only if its hash matches."""
    files = sorted(p for p in dist.rglob("*") if p.is_file() and p.name != "sw.js")
    h = hashlib.sha256()
    entries = []
    for p in files:
        digest = hashlib.sha256(p.read_bytes()).digest()
        h.update(p.relative_to(dist).as_posix().encode() + b"\0" + digest.hex().encode())
        entries.append([p.relative_to(dist).as_posix(),
                        "sha256-" + base64.b64encode(digest).decode()])
    index = next(e for e in entries if e[0] == "index.html")
    return h.hexdigest()[:16], [["./", index[1]], *entries]


# --- files written from mlp_core's tables -------------------------------------------------

USING = ROOT / "docs" / "using.md"  # where the settings table is written
TABLE_START = "<!-- settings table: written by `python build.py generate` -->"
TABLE_END = "<!-- end of settings table -->"


#: The part of the English catalogue that mlp_core states (settings' labels and help,
#: groups, units, presets; coded error messages; the model card's words): written there
#: by `generate`, translated in the others.
GENERATED_PREFIXES = ("setting.", "group.", "unit.", "preset.", messages.KEY_PREFIX, "card.",
                      "how.", "format.")


def slug(text: str) -> str:
    """A message-key part for ``text``: "Fine-tuning" -> "fine_tuning"."""
    return "".join(c if c.isalnum() else "_" for c in text.lower())


def python_messages() -> dict[str, str]:
    """The English messages mlp_core states (its settings table, its coded errors, its
    model card's words), keyed for the catalogues."""
    out: dict[str, str] = {}
    for s in (*settings.SETTINGS, *settings.FINETUNE):
        out[f"setting.{s.name}.label"], out[f"setting.{s.name}.help"] = s.label, s.help
        out[f"group.{slug(s.group)}"] = s.group
        if s.unit:
            out[f"unit.{s.unit}"] = s.unit
    for p in settings.PRESETS.values():
        out[f"preset.{p.name}"] = p.label
    out.update({messages.KEY_PREFIX + code: text for code, text in messages.MESSAGES.items()})
    out.update({f"card.{key}": text for key, text in model_card.CARD.items()})
    out.update({f"how.{kind}": words.timeline for kind, words in history.HOW.items()})
    out.update({f"format.{f.name}": f.label for f in export.FORMATS.values()})
    return out


def english_catalogue() -> str:
    """web/locales/en.json with its mlp_core part as mlp_core states it now."""
    path = WEB / "locales" / "en.json"
    kept = {k: v for k, v in json.loads(path.read_text()).items()
            if not k.startswith(GENERATED_PREFIXES)}
    return json.dumps({**kept, **python_messages()}, indent=1, ensure_ascii=False) + "\n"


def generated() -> dict[Path, str]:
    """The files derived from ``mlp_core.limits`` and ``mlp_core.settings``, as they must
    read: the page's limits module, the English catalogue's settings messages and the
    settings table in docs/using.md."""
    page = {**limits.FOR_THE_PAGE, "EXPORT_FORMATS": list(export.FORMATS),
            "DATA_FILES": list(sources.DATA_FILES)}
    consts = "\n".join(f"export const {k} = {json.dumps(v)};" for k, v in page.items())
    js = ("// Generated by `python build.py generate` from mlp_core/limits.py, mlp_core/export "
          "and mlp_core/data/sources.py: do not edit.\n"
          f"{consts}\n")
    doc = USING.read_text()
    start, end = doc.index(TABLE_START) + len(TABLE_START), doc.index(TABLE_END)
    doc = f"{doc[:start]}\n{settings.markdown_table()}\n{doc[end:]}"
    return {WEB / "shared" / "limits.generated.js": js, USING: doc,
            WEB / "locales" / "en.json": english_catalogue()}


def stale_generated() -> list[Path]:
    """Generated files that differ from what ``generated()`` makes now."""
    return [p for p, text in generated().items()
            if not p.exists() or p.read_text() != text]


def generate() -> None:
    """Write the generated files."""
    for path, text in generated().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


def build(dist: Path = DIST) -> dict:
    """Assemble the static site: web sources, Pyodide, NumPy, mlp_core, default bundle."""
    stale = stale_generated()
    if stale:
        raise BuildError(f"{stale[0].relative_to(ROOT)} is out of date with mlp_core's "
                         "tables: run `python build.py generate`")
    missing = [p for p in [*(PYODIDE / f for f in PYODIDE_FILES), *VENDOR] if not p.exists()]
    if missing:
        raise BuildError(f"{missing[0]} is missing: run `npm ci` first (make does)")
    store.read_registry(DEFAULT_BUNDLE)  # refuse to ship a broken default bundle
    python = json.loads(PYODIDE_LOCK.read_text())["info"]["python"]
    if python.split(".")[:2] != [str(v) for v in sys.version_info[:2]]:
        raise BuildError(f"Pyodide runs Python {python}, this is {sys.version.split()[0]}, "
                         "whose bytecode it cannot read: build with the same minor version "
                         "(scripts/find-python.sh finds one; make uses it)")
    numpy = numpy_wheel()
    wheel = core_wheel(ROOT / "build" / "wheels")
    if dist.exists():
        shutil.rmtree(dist)
    shutil.copytree(WEB, dist)
    shutil.copy2(DEFAULT_BUNDLE, dist / "registry.json")
    (dist / "pyodide").mkdir()
    for f in PYODIDE_FILES:
        if f != "python_stdlib.zip":
            shutil.copy2(PYODIDE / f, dist / "pyodide" / f)
    # Only what runs: the official files cut down (STDLIB_KEEP, NUMPY_KEEP); the page
    # fetches the default models as registry.json, and the data files (fonts.npz, ...)
    # only before a training, so its mlp_core wheel leaves them out.
    # What a first prediction does not import goes to LATER, installed after ready.
    site_wheel = dist / "pyodide" / wheel.name
    left_out = {DEFAULT_BUNDLE, *DATA_FILES.values()}
    left_out = {p.resolve().relative_to(ROOT).as_posix() for p in left_out}
    with _zopfli_zips(), zipfile.ZipFile(dist / "pyodide" / LATER, "w") as later:
        _rezip(PYODIDE / "python_stdlib.zip", dist / "pyodide" / "python_stdlib.zip",
               _stdlib_kept, later, _stdlib_later, compiled_in=STDLIB_IN)
        _rezip(numpy, dist / "pyodide" / NUMPY_WHEEL, _numpy_kept, later, _numpy_later,
               "site-packages/", SITE_PACKAGES)
        # The fonts' licence texts (282 kB) are in dist/THIRD-PARTY-NOTICES.txt already:
        # the wheel the page fetches before its first prediction does without its copy.
        _rezip(wheel, site_wheel, lambda name: name not in left_out
               and "/licenses/vendor/" not in name, later, _mlp_core_later, "site-packages/",
               SITE_PACKAGES)
    for name, path in DATA_FILES.items():
        shutil.copy2(path, dist / name)
    lock = site_lock(site_wheel, dist / "pyodide" / "pyodide-lock.json")
    runtime = hashlib.sha256()
    for p in sorted((dist / "pyodide").iterdir()):
        runtime.update(p.name.encode() + b"\0" + _sha256(p).encode())
    module = dist / "shared" / "runtime.generated.js"
    booted = [p for p in (dist / "pyodide").iterdir() if p.name != LATER]
    booted.append(dist / "registry.json")
    module.write_text(module.read_text().replace('"unbuilt"', json.dumps(
        runtime.hexdigest()[:16])).replace("BOOT_BYTES = {}", "BOOT_BYTES = " + json.dumps(
            {p.name: p.stat().st_size for p in sorted(booted)
             if p.name not in ("pyodide.mjs", "pyodide.asm.js")})).replace(  # imported
        "WHEELS = []", "WHEELS = " + json.dumps([NUMPY_WHEEL, wheel.name])).replace(
        'LATER = ""', "LATER = " + json.dumps(LATER)))
    (dist / "vendor").mkdir()
    for src, name in VENDOR.items():
        shutil.copy2(src, dist / "vendor" / name)
    manifest.write(dist)  # the web app manifest and icons
    codes = [p.stem for p in sorted((dist / "locales").glob("*.json"))]
    module = dist / "shared" / "languages.generated.js"
    module.write_text(module.read_text().replace("export const CATALOGUES = {}", "".join(
        f'import {c} from "../locales/{c}.json" with {{ type: "json" }};\n' for c in codes)
        + f"export const CATALOGUES = {{ {', '.join(codes)} }}"))
    shutil.copy2(ROOT / "LICENSE", dist / "LICENSE.txt")
    (dist / "THIRD-PARTY-NOTICES.txt").write_text(third_party_notices())
    version, files = precache_manifest(dist)
    sw = (WEB / "sw.js").read_text()
    sw = sw.replace('"__VERSION__"', json.dumps(version)).replace(
        "[/* __FILES__ */]", "[\n" + ",\n".join(json.dumps(f) for f in files) + "\n]")
    (dist / "sw.js").write_text(sw)
    (dist / ".nojekyll").write_text("")  # GitHub Pages: serve files as they are
    size = sum(p.stat().st_size for p in dist.rglob("*") if p.is_file())
    print(f"built {dist} ({len(files)} files, {size / 1e6:.1f} MB, version {version}, "
          f"packages {sorted(lock['packages'])})")
    return {"version": version, "files": files, "bytes": size}


# --- serve --------------------------------------------------------------------------------


#: What GitHub Pages sends gzip-compressed on the fly (text, JavaScript, JSON and wasm;
#: seen in go-app issue #866); wheels and zips are compressed already.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "application/wasm",
              "image/svg+xml")


@functools.lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """A file's bytes gzip-compressed (level 6), kept while the file is unchanged."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """dist/ as GitHub Pages serves it: compressed when the browser accepts gzip."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".whl": "application/octet-stream", ".json": "application/json"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not (path.is_file() and ctype.startswith(GZIP_TYPES)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        stat = path.stat()
        # As GitHub Pages does (and as the parent class does for what it sends as it is): a
        # request that has this version already gets no body. (Chromium ignores the ETag
        # of an HTTP/1.0 response, so the date is what it asks with.)
        modified = self.date_time_string(int(stat.st_mtime))
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.end_headers()
            return None
        body = _gzipped(str(path), stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", modified)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")  # revalidate; the SW does caching
        super().end_headers()

    def log_message(self, *args) -> None:
        if os.environ.get("SERVE_LOG"):
            super().log_message(*args)


def serve(port: int = 8000, dist: Path = DIST) -> None:
    """Serve ``dist`` on 127.0.0.1 until interrupted."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             partial(_Handler, directory=str(dist)))
    print(f"serving {dist} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)",
          flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("pretrain", help="train the default model into "
                   "mlp_core/registry/default_registry.json")
    sub.add_parser("build", help="assemble the static site in dist/")
    sub.add_parser("generate", help="write web/shared/limits.generated.js, the English "
                   "catalogue's mlp_core messages and the settings table from mlp_core")
    s = sub.add_parser("serve", help="serve dist/ on 127.0.0.1")
    s.add_argument("port", nargs="?", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        if args.step == "pretrain":
            pretrain()
        elif args.step == "build":
            build()
        elif args.step == "generate":
            generate()
        else:
            serve(args.port)
    except BuildError as e:
        print(f"build error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
