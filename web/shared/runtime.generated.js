// Which Python runtime the site ships: a digest over dist/pyodide/ (the interpreter, the
// trimmed standard library and the wheels), written by `python build.py build`. A
// runtime snapshot is only restored into the runtime it was made from.
export const RUNTIME = "unbuilt";
// What starting the recognizer fetches, file name -> bytes (as the page reads them,
// decompressed): the denominator of the progress a first visit shows. (Pyodide's own
// scripts are imported, which a worker cannot follow byte by byte: they are left out.)
export const BOOT_BYTES = {};
// The wheels the worker installs, in order (each after what it needs), file names in
// pyodide/.
export const WHEELS = [];
// The archive of what a first prediction does not import (build.py LATER: files below
// /lib/python3.12/), installed once Python is ready, before any operation needing it.
export const LATER = "";
