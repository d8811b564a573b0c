// Times an epoch against its matrix products on the site's own runtime (its trimmed
// Pyodide, mlp_core wheel and later parts, installed as the page installs them), with
// bench/epoch/epoch_timing.py.
import { installPackages, laterParts, startPython } from "../worker/python-runtime.js";

self.onmessage = async ({ data: { runs } }) => {
  try {
    const pyodide = await startPython();
    await installPackages(pyodide);
    await laterParts(pyodide)(); // training's random numbers come after ready
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
