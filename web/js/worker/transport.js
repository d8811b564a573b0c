// The worker's side of the page <-> worker protocol (js/protocol.js is the page's):
// requests in, replies, progress and events out. Knows nothing of Python or storage.

/** Tell the page something happened: {event, data}. */
export function emit(name, data = {}) {
  self.postMessage({ event: name, data });
}

/** An error as {type, message}: a Python exception keeps its type and its last line
 * ("mlp_core.registry.RegistryError: not valid JSON" -> "not valid JSON"). */
export function describe(err) {
  if (err && err.type && typeof err.message === "string") {
    const lines = err.message.trim().split("\n");
    const prefix = new RegExp(`^([\\w.]*\\.)?${err.type}: `);
    return { type: err.type, message: lines[lines.length - 1].replace(prefix, "") };
  }
  return { type: err?.name || "Error", message: err?.message || String(err) };
}

/** Answer each request {id, op, args} with handlers[op](args, progress) once the
 * `handlers` promise resolves (if it rejects, every request fails with its reason). */
export function serve(handlers) {
  handlers.catch(() => {}); // a failed start is each request's answer, not an uncaught error
  self.onmessage = async ({ data: { id, op, args } }) => {
    try {
      const handler = (await handlers)[op];
      if (!handler) throw new Error(`unknown request ${op}`);
      const progress = (p) => self.postMessage({ id, progress: p });
      self.postMessage({ id, ok: true, result: await handler(args ?? {}, progress) });
    } catch (err) {
      self.postMessage({ id, ok: false, error: describe(err) });
    }
  };
}
