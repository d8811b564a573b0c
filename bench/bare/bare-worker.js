// The bare floor: the official, untrimmed Pyodide and NumPy (bench/browser_bench.py
// serves them under ./pyodide/, apart from the site's trimmed ones).
import { loadPyodide } from "./pyodide/pyodide.mjs";
try {
  const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
  await pyodide.loadPackage("numpy", { messageCallback: () => {} });
  pyodide.runPython("import numpy");
  self.postMessage({ ok: true });
} catch (err) {
  self.postMessage({ ok: false, error: String(err) });
}
