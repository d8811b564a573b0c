// Makes the runtime snapshot (see shared/snapshot.js) in the background, after a visit that
// had to start Python the slow way: Python with the packages installed and mlp_core
// imported. The page starts it once; it posts one message, with the snapshot for the page
// to store (WebKit would not keep it if this worker stored it).
import { capture, installPackages, restore, startPython } from "./python-runtime.js";

try {
  const pyodide = await startPython({ _makeSnapshot: true });
  await installPackages(pyodide);
  const saved = capture(pyodide);
  // Store only a snapshot this browser has restored, relinked and run NumPy and mlp_core in
  // (with what a first prediction imports: numpy.random comes later, python-runtime.js).
  const restored = await restore(saved);
  const check = restored.runPython(`
import numpy as np
from mlp_core.service.webapi import App
App()
bool(np.allclose(np.linalg.inv(2 * np.eye(3)) @ np.arange(3.0), [0, 0.5, 1]))`);
  if (check !== 1 && check !== true) throw new Error("the restored runtime miscalculated");
  self.postMessage({ ok: true, bytes: saved.bytes, meta: saved.meta }, [saved.bytes.buffer]);
} catch (err) {
  self.postMessage({ ok: false, message: String(err?.message || err) });
}
