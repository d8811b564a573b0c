// Makes the runtime snapshot (see shared/snapshot.js) in the background, after a visit that
// had to start Python the slow way: Python with the packages installed and mlp_core
// imported. The page starts it once; it posts one message, with the snapshot for the page
// to store (WebKit would not keep it if this worker stored it).
import { capture, installPackages, restore, startPython } from "./python-runtime.js";

try {
  const pyodide = await startPython({ _makeSnapshot: true });
  await installPackages(pyodide);
  const saved = capture(pyodide);
  // Store only a snapshot this browser has restored, relinked and run NumPy and mlp_core in.
  const restored = await restore(saved);
  const check = restored.runPython(`
import numpy as np
from mlp_core.service.webapi import App
App()
float(np.linalg.norm(np.random.default_rng(0).normal(size=(3, 3)) @ np.ones(3)) > 0)`);
  if (check !== 1 && check !== true) throw new Error("the restored runtime miscalculated");
  self.postMessage({ ok: true, bytes: saved.bytes, meta: saved.meta }, [saved.bytes.buffer]);
} catch (err) {
  self.postMessage({ ok: false, message: String(err?.message || err) });
}
