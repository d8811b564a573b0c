// Loaded before everything else (it imports only the tiny protocol module), so the
// Python worker starts while the rest of the page's modules are still arriving.
import "./locale-guard.js"; // before anything reads navigator.language
import { connect } from "./worker-client.js";

function unsupported() {
  if (typeof WebAssembly !== "object") return "unsupported.wasm";
  if (typeof Worker !== "function") return "unsupported.workers";
  if (!("indexedDB" in self)) return "unsupported.indexeddb";
  return null;
}

/** Why this browser cannot run the app (a message key: the page translates it), or null. */
export const problem = unsupported();

/** The worker connection (null when `problem` is set). */
export const client = problem ? null : connect(new URL("../worker/main.js", import.meta.url));
