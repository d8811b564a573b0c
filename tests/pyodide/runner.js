// Test-only worker: runs the core pytest suite inside Pyodide, from the built site's own
// Pyodide and mlp_core wheel. Served under /__tests__/ by tests/test_pyodide.py.
import { loadPyodide } from "../pyodide/pyodide.mjs";

self.onmessage = async ({ data: { wheels, args } }) => {
  try {
    const pyodide = await loadPyodide({ indexURL: new URL("../pyodide/", import.meta.url).href });
    const failures = [];
    const opts = { messageCallback: () => {}, errorCallback: (m) => failures.push(m) };
    await pyodide.loadPackage("mlp_core", opts);
    await pyodide.loadPackage(wheels.map((w) => new URL(`./wheels/${w}`, import.meta.url).href), opts);
    if (failures.length) throw new Error(failures.join("; "));
    const project = await (await fetch(new URL("./project.zip", import.meta.url))).arrayBuffer();
    pyodide.unpackArchive(project, "zip", { extractDir: "/home/pyodide/project" });
    pyodide.globals.set("ARGS", pyodide.toPy(args));
    const result = pyodide.runPython(`
import io, os, sys, contextlib, json
os.chdir("/home/pyodide/project")
sys.path[:0] = ["/home/pyodide/project", "/home/pyodide/project/tests"]
import pytest
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
    code = pytest.main(list(ARGS))
json.dumps({"code": int(code), "output": out.getvalue()})
`);
    self.postMessage(JSON.parse(result));
  } catch (err) {
    self.postMessage({ code: -1, output: String(err && err.message || err) });
  }
};
