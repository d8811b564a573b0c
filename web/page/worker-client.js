// The page's end of the page <-> worker protocol (shared/protocol.js declares it): a
// promise per request, progress callbacks, events to subscribers.
import { OPERATIONS, checkEvent } from "../shared/protocol.js";

/** An Error carrying the type of the error raised in the worker (e.g. "ValueError"),
 * and for a coded one its code and parameters; `say(error)`, when given, words it. */
export class WorkerError extends Error {
  constructor({ type = "Error", message = "unknown error", code = null, params = {} } = {}, say = null) {
    super((code && say?.({ code, params, message })) || message);
    this.name = type;
    this.code = code;
    this.params = params;
  }
}

/** The page's end of `worker` (a module Worker): {call, inFlight, setErrorWords, on}.
 * `held`: the events the worker fired before this module arrived (start-worker.js
 * `hold`), handled first. */
export function connect(worker, held = () => []) {
  const pending = new Map();
  const listeners = new Set();
  const early = []; // events that arrived before anyone listened (the worker starts first)
  let nextId = 1;
  let dead = null;
  let say = null; // words a coded error in the page's language (setErrorWords)

  const emit = (event, data) => {
    if (listeners.size) listeners.forEach((fn) => fn(event, data));
    else early.push([event, data]);
  };

  const die = (message) => {
    dead = new WorkerError({ type: "WorkerCrashed", message });
    for (const { reject } of pending.values()) reject(dead);
    pending.clear();
    emit("crashed", { message });
  };
  const handlers = {
    message({ data }) {
      if (data.event) return emit(data.event, data.data);
      const request = pending.get(data.id);
      if (!request) return;
      if ("progress" in data) return request.onProgress?.(data.progress);
      pending.delete(data.id);
      if (data.ok) request.resolve(data.result);
      else request.reject(new WorkerError(data.error, say));
    },
    error(e) {
      e.preventDefault();
      die(`the Python worker stopped: ${e.message || "it failed to start"}`);
    },
    messageerror: () => die("a message from the worker could not be read"),
  };
  for (const [type, handle] of Object.entries(handlers)) worker.addEventListener(type, handle);
  for (const e of held()) handlers[e.type](e);

  return {
    /** Run `op` in the worker; resolves with its result, rejects with a WorkerError. */
    call(op, args = {}, onProgress = null) {
      if (dead) return Promise.reject(dead);
      if (!(op in OPERATIONS)) return Promise.reject(new Error(`unknown operation ${op}: declare it in shared/protocol.js`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { op, resolve, reject, onProgress });
        worker.postMessage({ id, op, args });
      });
    },
    /** Whether a request for one of `ops` is under way (e.g. a training: the worker
     * owns it, and its request is in flight until it ends). */
    inFlight(...ops) {
      return [...pending.values()].some((request) => ops.includes(request.op));
    },
    /** Word coded errors with `fn({code, params, message})` (null: keep the message). */
    setErrorWords(fn) {
      say = fn;
    },
    /** Listen to events: `handlers` {eventName: fn(data)}, each a declared event.
     * Returns an unsubscribe function. */
    on(handlers) {
      Object.keys(handlers).forEach(checkEvent);
      const fn = (event, data) => handlers[event]?.(data);
      listeners.add(fn);
      early.splice(0).forEach(([event, data]) => fn(event, data));
      return () => listeners.delete(fn);
    },
  };
}
