// Python with the site's packages installed and mlp_core imported: started fresh, or
// restored from a memory snapshot taken in that state (shared/snapshot.js keeps it).
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { libraryFiles, loadedLibraries, precompile, relink, snapshotMemory } from "./dynlibs.js";
import { fetchWheels, unpackLater, unpackWheels } from "./wheels.js";
import { download } from "./downloads.js";
import { LATER } from "../shared/runtime.generated.js";

export const indexURL = new URL("../pyodide/", import.meta.url).href;

// What the snapshot holds imported; importing it is most of a start after the runtime.
const IMPORT = "import mlp_core.service.webapi";

/** A fresh runtime (`options` go to loadPyodide). */
export function startPython(options = {}) {
  return loadPyodide({ indexURL, ...options });
}

/** Start downloading the wheels (a promise for installPackages). */
export function downloadPackages() {
  const wheels = fetchWheels(indexURL);
  wheels.catch(() => {}); // reported by whoever awaits it
  return wheels;
}

/** Install the wheels (`wheels`: from downloadPackages) into `pyodide`; import mlp_core. */
export async function installPackages(pyodide, wheels = downloadPackages()) {
  await unpackWheels(pyodide, await wheels);
  pyodide.runPython(IMPORT);
}

/** What a first prediction does not import (build.py LATER), for `pyodide`: a function
 * that installs it once (again after a failure) and resolves when it is importable. The
 * snapshot never holds it, so every start installs it after ready. */
export function laterParts(pyodide) {
  let installing = null;
  return () => {
    installing ??= download(new URL(LATER, indexURL)).then((bytes) => unpackLater(pyodide, bytes))
      .catch((err) => {
        installing = null;
        throw err;
      });
    return installing;
  };
}

/** A runtime started with `_makeSnapshot` and its packages installed, as a snapshot:
 * {bytes, meta} for worker/snapshot.js. */
export function capture(pyodide) {
  // Until a restore has relinked the extensions, a garbage collection would call into
  // them (their objects' traverse functions) and crash: the snapshot has it switched off.
  pyodide.runPython("import gc; gc.collect(); gc.disable()");
  return { bytes: pyodide.makeMemorySnapshot(), meta: loadedLibraries(pyodide) };
}

/** A runtime restored from `saved` ({meta, bytes: a promise}, shared/snapshot.js read),
 * with mlp_core imported and its compiled extensions working; `timings.compiledAhead`
 * tells how many extensions were compiled in the background. Throws when any part of
 * that fails. */
export async function restore(saved, timings = {}) {
  const wheels = downloadPackages(); // meanwhile, and compiling the extensions in them
  const libraries = wheels.then((w) => libraryFiles(w, saved.meta));
  libraries.catch(() => {}); // reported by unpackWheels' await
  const compiled = libraries.then((files) => precompile(files, saved.meta)).catch((err) => {
    console.warn("could not compile the extensions ahead; relinking compiles them:", err);
    return new Map();
  });
  // Pyodide loads its script and starts fetching its wasm before it awaits the bytes.
  const pyodide = await loadPyodide({ indexURL, _loadSnapshot: saved.bytes });
  // The files the snapshot cannot hold: the compiled extensions, and what is imported later.
  await unpackWheels(pyodide, await wheels, { skipImported: true, inflated: await libraries });
  timings.compiledAhead = relink(pyodide, saved.meta, snapshotMemory(await saved.bytes), await compiled);
  // Every restore would otherwise draw the same "random" numbers.
  pyodide.runPython(`
import gc, sys
gc.enable()
for name in ("random", "numpy.random"):
    if name in sys.modules:
        sys.modules[name].seed()
if "mlp_core.service.webapi" not in sys.modules:
    raise RuntimeError("the snapshot does not hold mlp_core")
`);
  return pyodide;
}
