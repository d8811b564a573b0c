// Installing the site's wheels (shared/runtime.generated.js WHEELS) by unpacking them into
// site-packages from Python. Unlike pyodide.loadPackage, this leaves no JavaScript
// objects behind in the runtime, so a memory snapshot can be taken after the imports
// (worker/dynlibs.js handles the compiled extensions).
import { WHEELS } from "../shared/runtime.generated.js";

const UNPACK = `
import importlib, json, os, sys, zipfile
def _imported(name):
    if not name.endswith(".py"):
        return False
    module = name[:-3].replace("/", ".").removesuffix(".__init__")
    return module in sys.modules
def _unpack(paths, skip_imported):
    site = next(p for p in sys.path if p.endswith("site-packages"))
    for path in json.loads(paths):
        with zipfile.ZipFile(path) as wheel:
            names = [n for n in wheel.namelist() if not (skip_imported and _imported(n))]
            wheel.extractall(site, names)
        os.remove(path)
    importlib.invalidate_caches()
_unpack
`;

/** Start downloading the wheels from `indexURL`: a promise of [{name, bytes}]. */
export function fetchWheels(indexURL) {
  return Promise.all(WHEELS.map(async (name) => {
    const response = await fetch(new URL(name, indexURL));
    if (!response.ok) throw new Error(`could not download ${name} (HTTP ${response.status}); check the connection, then retry`);
    return { name, bytes: new Uint8Array(await response.arrayBuffer()) };
  }));
}

/** Unpack `wheels` (from fetchWheels) into the runtime's site-packages. With
 * `skipImported`, leave out the Python files of modules already imported (in a runtime
 * restored from a snapshot: only later imports, and the compiled extensions, need
 * files). */
export function unpackWheels(pyodide, wheels, { skipImported = false } = {}) {
  const paths = wheels.map(({ name, bytes }) => {
    const path = `/tmp/${name}`;
    pyodide.FS.writeFile(path, bytes);
    return path;
  });
  const unpack = pyodide.runPython(UNPACK);
  try {
    unpack(JSON.stringify(paths), skipImported);
  } finally {
    unpack.destroy();
  }
}
