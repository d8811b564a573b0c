// Which Python runtime the site ships: a digest over dist/pyodide/ (the interpreter, the
// trimmed standard library and the wheels), written by `python build.py build`. A
// runtime snapshot is only restored into the runtime it was made from.
export const RUNTIME = "unbuilt";
