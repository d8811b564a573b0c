// The registry in IndexedDB: one record per model (key: version) plus a revision counter
// that changes with every write. JS only stores; the Python side decides what to store.
import { openDB } from "../vendor/idb.js";

const DB_NAME = "letter-recognizer";
const DB_VERSION = 1;

let dbPromise = null;

/** The database, created on first use. */
export function db() {
  dbPromise ??= openDB(DB_NAME, DB_VERSION, {
    upgrade(database) {
      database.createObjectStore("models", { keyPath: "version" });
      database.createObjectStore("meta");
    },
    blocked() {
      throw new Error("another tab holds an older version of the database open; close it and reload");
    },
  });
  return dbPromise;
}

/** {revision, entries} as stored now (revision is undefined before the first write). */
export async function readAll() {
  const tx = (await db()).transaction(["models", "meta"], "readonly");
  const [revision, entries] = await Promise.all([
    tx.objectStore("meta").get("revision"),
    tx.objectStore("models").getAll(),
  ]);
  await tx.done;
  return { revision, entries };
}

/**
 * Read-modify-write in one readwrite transaction, so concurrent tabs never interleave.
 * `decide({revision, entries})` runs synchronously inside the transaction and returns
 * {put: [entries], removed: [versions], result} (or throws to abort: nothing is written).
 * `entries` is fetched lazily: `decide` receives a getter that reads them only when needed.
 */
export async function update(decide, currentRevision) {
  const tx = (await db()).transaction(["models", "meta"], "readwrite");
  const models = tx.objectStore("models");
  const meta = tx.objectStore("meta");
  try {
    const revision = await meta.get("revision");
    const entries = revision === currentRevision ? null : await models.getAll();
    const { put = [], removed = [], result } = decide({ revision, entries });
    const next = (revision ?? 0) + 1;
    await Promise.all([
      ...removed.map((version) => models.delete(version)),
      ...put.map((entry) => models.put(entry)),
      meta.put(next, "revision"),
      tx.done,
    ]);
    return { revision: next, result };
  } catch (err) {
    tx.done.catch(() => {}); // the abort below rejects it; the caller gets `err` instead
    try { tx.abort(); } catch { /* already finished */ }
    throw err;
  }
}
