// Installing the site's wheels (shared/runtime.generated.js WHEELS) by unpacking them into
// site-packages. Unlike pyodide.loadPackage, this leaves no JavaScript
// objects behind in the runtime, so a memory snapshot can be taken after the imports
// (worker/dynlibs.js handles the compiled extensions).
import { WHEELS } from "../shared/runtime.generated.js";
import { extract } from "./zip.js";

// Where the wheels go, and which modules are imported already (a snapshot's).
const SITE = `
import json, sys
json.dumps([next(p for p in sys.path if p.endswith("site-packages")), list(sys.modules)])
`;

/** The module a wheel's file `name` holds, if it is Python source or bytecode (build.py
 * ships the site's as "a/b/__init__.pyc" -> "a.b"). */
const moduleOf = (name) => name.match(/^(.*)\.pyc?$/)?.[1].replaceAll("/", ".").replace(/\.__init__$/, "") ?? null;

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
 * files). `inflated` (a Map of paths in the wheels to promises of their contents) holds
 * files already taken out. Unzipped here (worker/zip.js, the browser's own inflate), not
 * by Python's zipfile: in WebKit that took 0.7-0.9 s of a warm start. */
export async function unpackWheels(pyodide, wheels, { skipImported = false, inflated = new Map() } = {}) {
  const [site, imported] = JSON.parse(pyodide.runPython(SITE));
  const skip = new Set(skipImported ? imported : []);
  const wanted = (name) => !skip.has(moduleOf(name)) && !inflated.has(name);
  await write(pyodide, site, [...inflated, ...wheels.flatMap(({ bytes }) => [...extract(bytes, wanted)])]);
}

/** Unpack `archive` (build.py LATER: what a first prediction does not import) below the
 * standard library's folder, where Python finds it from then on. */
export async function unpackLater(pyodide, archive) {
  await write(pyodide, pyodide.runPython("import os; os.path.dirname(os.__file__)"), extract(archive, () => true));
}

// Python's importlib.invalidate_caches() also makes the importer of the standard
// library's zip, and of each of its packages, read the archive's directory again
// (0.1-0.2 s): only the finders of folders can miss the files written there.
const SEE_NEW_FILES = `
import sys
from importlib.machinery import FileFinder
for finder in list(sys.path_importer_cache.values()):
    if isinstance(finder, FileFinder):
        finder.invalidate_caches()
`;

/** Write `files` (from extract) below `folder`, then let Python's importers see them. */
async function write(pyodide, folder, files) {
  for (const [name, data] of files) {
    if (name.endsWith("/")) continue;
    const path = `${folder}/${name}`;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, await data);
  }
  pyodide.runPython(SEE_NEW_FILES);
}
