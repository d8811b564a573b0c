// Test-only worker: runs the core pytest suite inside Pyodide, from the built site's own
// Pyodide, trimmed standard library, NumPy and mlp_core wheel, and their later parts. Served under /__tests__/
// by tests/test_pyodide.py. What pytest needs beyond the site's standard library comes
// from stdlib-extra.zip, on the end of sys.path; the result lists every module imported
// and where from, so the test can check that only the tools used it.
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { DATA_FILES } from "../shared/limits.generated.js";
import { LATER } from "../shared/runtime.generated.js";

self.onmessage = async ({ data: { wheels, args } }) => {
  try {
    const pyodide = await loadPyodide({ indexURL: new URL("../pyodide/", import.meta.url).href });
    // What the page installs once ready (build.py LATER), first: loadPackage imports tarfile.
    const later = await (await fetch(new URL(`../pyodide/${LATER}`, import.meta.url))).arrayBuffer();
    pyodide.unpackArchive(later, "zip", { extractDir: pyodide.runPython("import os; os.path.dirname(os.__file__)") });
    const failures = [];
    const opts = { messageCallback: () => {}, errorCallback: (m) => failures.push(m) };
    await pyodide.loadPackage("mlp_core", opts);
    await pyodide.loadPackage(wheels.map((w) => new URL(`./wheels/${w}`, import.meta.url).href), opts);
    if (failures.length) throw new Error(failures.join("; "));
    const extra = await (await fetch(new URL("./stdlib-extra.zip", import.meta.url))).arrayBuffer();
    pyodide.unpackArchive(extra, "zip", { extractDir: "/lib/stdlib-extra" });
    // The site's wheel leaves the default models out (the page fetches registry.json);
    // the suite reads them where the package keeps them.
    const bundle = await (await fetch(new URL("../registry.json", import.meta.url))).text();
    pyodide.FS.writeFile(pyodide.runPython("import mlp_core.registry.store; str(mlp_core.registry.store.DEFAULT_BUNDLE)"), bundle);
    // ... and the data files training reads (the page fetches them before it first trains).
    const app = pyodide.runPython("from mlp_core.service.webapi import App; App()");
    for (const name of DATA_FILES) {
      app.install_data(name, new Uint8Array(await (await fetch(new URL(`../${name}`, import.meta.url))).arrayBuffer()));
    }
    app.destroy();
    const project = await (await fetch(new URL("./project.zip", import.meta.url))).arrayBuffer();
    pyodide.unpackArchive(project, "zip", { extractDir: "/home/pyodide/project" });
    pyodide.globals.set("ARGS", pyodide.toPy(args));
    const result = pyodide.runPython(`
import io, os, sys, contextlib, json
os.chdir("/home/pyodide/project")
sys.path[:0] = ["/home/pyodide/project", "/home/pyodide/project/tests"]
sys.path.append("/lib/stdlib-extra")
import encodings
encodings.__path__.append("/lib/stdlib-extra/encodings")
import pytest
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
    code = pytest.main(list(ARGS))
modules = {name: getattr(m, "__file__", None) for name, m in list(sys.modules.items())}
json.dumps({"code": int(code), "output": out.getvalue(), "modules": modules})
`);
    self.postMessage(JSON.parse(result));
  } catch (err) {
    self.postMessage({ code: -1, output: String(err && err.message || err) });
  }
};
