// The worker's side of the page <-> worker protocol (page/worker-client.js is the page's;
// shared/protocol.js declares the operations and events): requests in, replies, progress
// and events out. Knows nothing of Python or storage.
import { checkEvent } from "../shared/protocol.js";

/** Tell the page something happened: {event, data}. */
export function emit(name, data = {}) {
  checkEvent(name);
  self.postMessage({ event: name, data });
}

// mlp_core/messages.py: the note that carries a coded error's code and parameters.
const NOTE = "mlp_core-message ";

/** An error as {type, message, code?, params?, within?}: a Python exception keeps its type and
 * its message line ("mlp_core.registry.RegistryError: not valid JSON" -> "not valid
 * JSON"); a coded one (mlp_core/messages.py, shared/coded-error.js) also its message key,
 * parameters and places in a document, so the page can say it in its language. */
export function describe(err) {
  if (err && err.type && typeof err.message === "string") {
    const lines = err.message.trim().split("\n");
    const noted = lines.findIndex((line) => line.startsWith(NOTE));
    const line = lines[noted > 0 ? noted - 1 : lines.length - 1];
    const prefix = new RegExp(`^([\\w.]*\\.)?${err.type}: `);
    const out = { type: err.type, message: line.replace(prefix, "") };
    if (noted < 1) return out;
    return { ...out, ...JSON.parse(lines[noted].slice(NOTE.length)) }; // {code, params, within}
  }
  const out = { type: err?.name || "Error", message: err?.message || String(err) };
  return err?.code ? { ...out, code: err.code, params: err.params } : out; // shared/coded-error.js
}

let answering = 0; // requests received and not yet answered
let lastRequest = -Infinity; // when the last one arrived (performance.now())

/** Answer each request {id, op, args} with handlers[op](args, progress) once the
 * `handlers` promise resolves (if it rejects, every request fails with its reason). */
export function serve(handlers) {
  handlers.catch(() => {}); // a failed start is each request's answer, not an uncaught error
  self.onmessage = async ({ data: { id, op, args } }) => {
    answering += 1;
    lastRequest = performance.now();
    try {
      const handler = (await handlers)[op];
      if (!handler) throw new Error(`unknown request ${op}`);
      const progress = (p) => self.postMessage({ id, progress: p });
      self.postMessage({ id, ok: true, result: await handler(args ?? {}, progress) });
    } catch (err) {
      self.postMessage({ id, ok: false, error: describe(err) });
    } finally {
      answering -= 1;
    }
  };
}

/** Resolves once the page has asked nothing for `quietMs` and every request has been
 * answered: the moment for background work. Always after a turn of the event loop, so
 * that a request that has arrived meanwhile is seen first. */
export function idle(quietMs) {
  return new Promise((resolve) => {
    const check = () => {
      const quiet = performance.now() - lastRequest;
      if (!answering && quiet >= quietMs) resolve();
      else setTimeout(check, Math.max(quietMs / 4, quietMs - quiet));
    };
    setTimeout(check, 0);
  });
}
