// Loaded before everything else, and importing only the locale guard, so the Python
// worker starts as soon as this file arrives (~100 ms sooner in a warm start than when
// it waited for the client's modules); the client follows, with what the worker said
// meanwhile.
import "./locale-guard.js"; // before anything reads navigator.language

// Safari on iPadOS 18 in its default desktop mode, which presents itself as a Mac: Pyodide
// 0.27.7 turns on a wasm-gc path that crashes the tab there. Pyodide 0.27.3 skips it when
// navigator.platform names an iPhone or iPad, which misses this mode (pyodide#5670;
// fixed in 0.28). Requesting the mobile site works around it.
const ipadDesktopSafari18 = () => navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1
  && /Version\/18[.\d]* .*Safari\//.test(navigator.userAgent);

function unsupported() {
  if (typeof WebAssembly !== "object") return "unsupported.wasm";
  if (ipadDesktopSafari18()) return "unsupported.ipad_desktop";
  if (typeof Worker !== "function") return "unsupported.workers";
  if (!("indexedDB" in self)) return "unsupported.indexeddb";
  return null;
}

/** Why this browser cannot run the app (a message key: the page translates it), or null. */
export const problem = unsupported();

/** Keep the events `worker` fires until the returned function, called, hands them over. */
function hold(worker) {
  const events = [];
  const keep = (e) => events.push(e);
  const types = ["message", "error", "messageerror"];
  types.forEach((type) => worker.addEventListener(type, keep));
  return () => {
    types.forEach((type) => worker.removeEventListener(type, keep));
    return events;
  };
}

const worker = problem ? null : new Worker(new URL("../worker/main.js", import.meta.url), { type: "module" });
const held = worker && hold(worker);

/** The worker connection (null when `problem` is set). */
export const client = worker && (await import("./worker-client.js")).connect(worker, held);
