// Makes the runtime snapshot (see js/snapshot.js) in the background, after a visit that
// had to start Python the slow way. The page starts it once and it posts one message.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import * as snapshot from "./js/snapshot.js";

const indexURL = new URL("./pyodide/", import.meta.url).href;

try {
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
  const bytes = pyodide.makeMemorySnapshot();
  // Store only a snapshot this browser has restored and run Python in.
  const restored = await loadPyodide({ indexURL, _loadSnapshot: bytes });
  if (restored.runPython("6 * 7") !== 42) throw new Error("the restored runtime miscalculated");
  await snapshot.save(bytes);
  self.postMessage({ ok: true, bytes: bytes.byteLength });
} catch (err) {
  self.postMessage({ ok: false, message: String(err?.message || err) });
}
