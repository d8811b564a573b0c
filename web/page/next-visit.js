// Making the next visit start faster: after a visit that started Python the slow way,
// store a snapshot of a fresh runtime (in a background worker, once the page has been
// idle a while). worker/snapshot.js keeps it; the Python worker restores it.

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
      worker.onmessage = ({ data }) => done(data.ok, data.message);
      worker.onerror = (e) => {
        e.preventDefault();
        done(false, e.message || "the snapshot worker failed to start");
      };
    }, IDLE_MS);
  });
}
