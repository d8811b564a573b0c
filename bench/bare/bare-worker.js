import { loadPyodide } from "../pyodide/pyodide.mjs";
try {
  const pyodide = await loadPyodide({ indexURL: new URL("../pyodide/", import.meta.url).href });
  await pyodide.loadPackage("numpy", { messageCallback: () => {} });
  pyodide.runPython("import numpy");
  self.postMessage({ ok: true });
} catch (err) {
  self.postMessage({ ok: false, error: String(err) });
}
