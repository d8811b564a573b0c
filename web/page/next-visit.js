// Making the next visit start faster: after a visit that started Python the slow way,
// store a snapshot of a fresh runtime (in a background worker, once the page has been
// idle a while), and keep it here (shared/snapshot.js); the Python worker restores it.
import * as snapshot from "../shared/snapshot.js";

const IDLE_MS = 3000;

/** Given the worker's "ready" health: resolves true once a snapshot is stored, false when
 * none was needed (this visit restored one) or it could not be made. */
export function snapshotForNextVisit(health) {
  if (health.timings?.snapshot !== false) return Promise.resolve(false);
  return new Promise((resolve) => {
    setTimeout(() => {
      const worker = new Worker(new URL("../worker/snapshot-worker.js", import.meta.url), { type: "module" });
      const done = (stored, why) => {
        worker.terminate();
        if (!stored) console.warn("no runtime snapshot for the next visit:", why);
        resolve(stored);
      };
      worker.onmessage = ({ data }) => {
        if (!data.ok) return done(false, data.message);
        snapshot.save(data.bytes, data.meta).then(() => done(true), (err) => done(false, String(err?.message || err)));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        done(false, e.message || "the snapshot worker failed to start");
      };
    }, IDLE_MS);
  });
}
