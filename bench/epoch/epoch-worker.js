// Times an epoch against its matrix products on the site's own runtime (its trimmed
// Pyodide and mlp_core wheel), with bench/epoch/epoch_timing.py.
import { loadPyodide } from "../pyodide/pyodide.mjs";

self.onmessage = async ({ data: { runs } }) => {
  try {
    const pyodide = await loadPyodide({ indexURL: new URL("../pyodide/", import.meta.url).href });
    await pyodide.loadPackage("mlp_core", { messageCallback: () => {} });
    const code = await (await fetch(new URL("./epoch_timing.py", import.meta.url))).text();
    pyodide.FS.writeFile("/home/pyodide/epoch_timing.py", code);
    const out = pyodide.runPython(`import json, sys; sys.path.insert(0, "/home/pyodide")
import epoch_timing
json.dumps(epoch_timing.measure(${Number(runs)}))`);
    self.postMessage({ ok: true, result: JSON.parse(out) });
  } catch (err) {
    self.postMessage({ ok: false, error: String(err) });
  }
};
