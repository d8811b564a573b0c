// Compiled extensions (NumPy's .so side modules) across a memory snapshot. The snapshot
// holds the runtime's memory, but an extension's code and its slots in the function
// table live outside it: restored alone, the first call into NumPy fails with "table
// index is out of bounds". Pyodide 0.27 leaves this unsolved (its snapshots refuse
// loadPackage and do not relink). So the snapshot records each library's dlopen handle,
// and a restore loads the same libraries again, in the same order, through Emscripten's
// dlopen: the handle, restored with the memory, already names the library and holds the
// memory and table places it had, so its functions land in the same table slots. Loading
// writes the library's initial data over the state the snapshot holds; that state is
// then copied back. Every assumption is checked, and a failure throws: the caller then
// drops the snapshot and starts Python normally.
//
// Relies on Emscripten internals of Pyodide 0.27.7 (LDSO, dlopenInternal and the layout of
// a dlopen handle, struct dso in Emscripten's libc/dynlink.c); the snapshot is keyed by
// Pyodide's version, so another version never meets these assumptions untested.
//
// Compiling the libraries is most of a relink in WebKit (0.5-1.5 s of NumPy's 2.6 MB core):
// `precompile` compiles them from the wheel in the background while Python is restored,
// and `relink` hands those modules to Emscripten's synchronous load.
import { extract } from "./zip.js";

const LOADED = 8; // byte: 1 once the library has its memory and table places
const MEMORY_BASE = 12;
const MEMORY_SIZE = 16;
const TABLE_BASE = 20;
const TABLE_SIZE = 24;
const NAME = 36;

/** The libraries `pyodide` has loaded through dlopen, in load order, and the function
 * table's length: what a restore needs to relink them (JSON). */
export function loadedLibraries(pyodide) {
  const M = pyodide._module;
  const handles = new Map(Object.entries(M.LDSO.loadedLibsByHandle).map(([h, dso]) => [dso, Number(h)]));
  const libs = Object.entries(M.LDSO.loadedLibsByName)
    .filter(([name]) => name !== "__main__")
    .map(([name, dso]) => {
      const handle = handles.get(dso);
      if (!handle) throw new Error(`${name} was loaded without dlopen; it cannot be relinked`);
      return {
        name, handle,
        memoryBase: M.HEAPU32[(handle + MEMORY_BASE) >> 2],
        memorySize: M.HEAPU32[(handle + MEMORY_SIZE) >> 2],
        tableBase: M.HEAPU32[(handle + TABLE_BASE) >> 2],
        tableSize: M.HEAPU32[(handle + TABLE_SIZE) >> 2],
      };
    })
    .sort((a, b) => a.tableBase - b.tableBase);
  return { libs, tableLength: M.wasmTable.length };
}

/** The files of the libraries `libs` (from loadedLibraries) names, out of `wheels`
 * ([{name, bytes}]): a Map of their paths in the wheels (site-packages/…) to promises of
 * their contents, inflated once for both precompile and the file system. */
export function libraryFiles(wheels, { libs }) {
  const paths = new Set(libs.map((lib) => lib.name.split("/site-packages/")[1]));
  return new Map(wheels.flatMap(({ bytes }) => [...extract(bytes, (entry) => paths.has(entry))]));
}

/** Start compiling the libraries `libs` (from loadedLibraries) names, out of `files`
 * (from libraryFiles): resolves to a Map library name -> {module, size}, leaving out any
 * it could not compile (relink compiles those itself). */
export async function precompile(files, { libs }) {
  const paths = new Map(libs.map((lib) => [lib.name.split("/site-packages/")[1], lib.name]));
  const jobs = [...files].filter(([entry]) => paths.has(entry))
    .map(async ([entry, data]) => {
      const binary = await data;
      return [paths.get(entry), { module: await WebAssembly.compile(binary), size: binary.byteLength }];
    });
  const done = await Promise.allSettled(jobs);
  return new Map(done.filter((job) => job.status === "fulfilled").map((job) => job.value));
}

/** Run `load()` with `new WebAssembly.Module(binary)` answering `compiled.module` when
 * `binary` has its size: Emscripten's synchronous dlopen compiles with that call.
 * Returns [what load() returned, whether `compiled.module` was used]. */
function withCompiled(compiled, load) {
  const Module = WebAssembly.Module;
  let used = false;
  function Compiled(binary) {
    used = Boolean(compiled) && binary?.byteLength === compiled.size;
    return used ? compiled.module : new Module(binary);
  }
  Object.setPrototypeOf(Compiled, Module); // customSections, imports, exports
  Compiled.prototype = Module.prototype; // instanceof WebAssembly.Module still holds
  WebAssembly.Module = Compiled;
  try {
    return [load(), used];
  } finally {
    WebAssembly.Module = Module;
  }
}

/** Load `libraries` (from loadedLibraries) again into `pyodide`, restored from a snapshot
 * whose memory is `memory`. Their .so files must be on its file system; `compiled` (from
 * precompile) spares compiling them again. Returns how many came compiled ahead. */
export function relink(pyodide, { libs, tableLength }, memory, compiled = new Map()) {
  const M = pyodide._module;
  let ahead = 0;
  for (const lib of libs) {
    const { handle, memoryBase, memorySize, tableBase, tableSize } = lib;
    const stored = M.UTF8ToString(handle + NAME);
    if (stored !== lib.name || M.HEAPU8[handle + LOADED] !== 1
        || M.HEAPU32[(handle + MEMORY_BASE) >> 2] !== memoryBase) {
      throw new Error(`the snapshot's handle for ${lib.name} does not match (it names ${stored})`);
    }
    // Its functions must land where they were, right after what is already there.
    if (tableSize && M.wasmTable.length !== tableBase) {
      throw new Error(`${lib.name} had table slot ${tableBase}, but the table has ${M.wasmTable.length} slots`);
    }
    const [loaded, used] = withCompiled(compiled.get(lib.name), () => M.dlopenInternal(handle, { loadAsync: false }));
    if (!loaded) throw new Error(`could not load ${lib.name} again: ${M.UTF8ToString(M._dlerror())}`);
    ahead += used;
    M.HEAPU8.set(memory.subarray(memoryBase, memoryBase + memorySize), memoryBase);
  }
  if (M.wasmTable.length !== tableLength) {
    throw new Error(`relinking gave a function table of ${M.wasmTable.length} slots, not ${tableLength}`);
  }
  return ahead;
}

/** The runtime's memory inside a Pyodide 0.27 snapshot (after its header). */
export function snapshotMemory(bytes) {
  const header = new Uint32Array(bytes.buffer, bytes.byteOffset, 4);
  return bytes.subarray(header[1]);
}
