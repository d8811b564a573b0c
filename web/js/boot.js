// Loaded before everything else (it imports only the tiny protocol module), so the
// Python worker starts while the rest of the page's modules are still arriving.
import { connect } from "./protocol.js";

function unsupported() {
  if (typeof WebAssembly !== "object") return "This browser cannot run WebAssembly, which the model needs. Use a current Chrome, Edge, Firefox or Safari.";
  if (typeof Worker !== "function") return "This browser cannot run Web Workers, which the model needs.";
  if (!("indexedDB" in self)) return "This browser offers no IndexedDB storage, which the model registry needs.";
  return null;
}

/** Why this browser cannot run the app, or null. */
export const problem = unsupported();

/** The worker connection (null when `problem` is set). */
export const client = problem ? null : connect(new URL("../worker.js", import.meta.url));
