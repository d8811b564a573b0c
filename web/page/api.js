// window.mlp: the page's public JavaScript API, built from the protocol's table
// (shared/protocol.js documents each call); every call is a request to the Python worker.
import { OPERATIONS, PAGE_LANG } from "../shared/protocol.js";

const pageValue = (v) => (v === PAGE_LANG ? document.documentElement.lang : v);
const given = (v, fallback) => pageValue(v === undefined ? fallback : v);

/** The function window.mlp offers for operation `op`: its parameters (as the table
 * declares them) become the request's arguments. */
function requester(call, op, { params = [], progress = false, json = [], sent = {} }) {
  return (...values) => {
    const args = {};
    params.forEach((p, i) => {
      if (typeof p === "string") args[p] = values[i];
      else if (Array.isArray(p)) args[p[0]] = given(values[i], p[1]);
      else for (const [k, d] of Object.entries(p)) args[k] = given(values[i]?.[k], d);
    });
    for (const k of json) if (args[k] !== undefined && typeof args[k] !== "string") args[k] = JSON.stringify(args[k]);
    for (const [k, v] of Object.entries(sent)) args[k] = pageValue(v);
    return call(op, args, progress ? (values[params.length] ?? null) : null);
  };
}

/** The API over `call(op, args, onProgress)`; `ready()`, `snapshotReady()` and
 * `trainingPrepared()` give the current promises, `grid` is the drawing grid. */
export function publicApi(call, { ready, snapshotReady, trainingPrepared, grid }) {
  const api = {
    get ready() { return ready(); },
    grid,
    /** Resolves once this visit's runtime snapshot is stored (true), or was not needed
     * or could not be made (false): see page/next-visit.js. */
    get snapshotReady() { return snapshotReady(); },
    /** Resolves once what a first training makes has been made ahead, while the page
     * was idle (true), or could not be (false; the training makes it then). */
    get trainingPrepared() { return trainingPrepared(); },
  };
  for (const [op, spec] of Object.entries(OPERATIONS)) {
    if (spec.internal) continue;
    const path = op.split(".");
    const name = path.pop();
    const parent = path.reduce((o, key) => (o[key] ??= {}), api);
    parent[name] = requester(call, op, spec);
  }
  return api;
}
