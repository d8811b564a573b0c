// Loaded before everything else (it imports only the tiny protocol module), so the
// Python worker starts while the rest of the page's modules are still arriving.
import "./locale-guard.js"; // before anything reads navigator.language
import { connect } from "./worker-client.js";

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

/** The worker connection (null when `problem` is set). */
export const client = problem ? null : connect(new URL("../worker/main.js", import.meta.url));
