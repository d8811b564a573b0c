// The registry in IndexedDB: one record per model (key: version), the production history
// and a revision counter that changes with every write (both in "meta"). JS only
// stores; the Python side decides what to store.
import { openDB } from "../vendor/idb.js";
import { codedError } from "../shared/coded-error.js";

const DB_NAME = "letter-recognizer";
// Raised whenever any stored record's format changes (a registry schema, the model format,
// a new setting, the log's keys: tests/test_formats.py holds each version's fingerprint),
// so that a tab still running an older version closes the database and offers a reload
// instead of reading records it would take for damaged.
// 4: the data setting `fonts` and the model's `calibration.none_margins` (records written
// before lack them and mean 0: no store changes).
// 5: a logged prediction may carry `shadow` (shadow mode's answer) and `review` (the
// person's label, or a dismissal: it stays in the log), and an example may be labelled
// "(none)"; no store changes.
// 6: the data setting `handwriting`, the hyperparameter `learning_rate_decay` and the
// model's `metrics.handwriting` (records written before lack them: their defaults, 0
// and 1, keep their meaning; no store changes).
const DB_VERSION = 6;

let dbPromise = null;
let onNewerVersion = () => {};

/** Call `fn()` when a newer version of the app has the database (this one can no longer
 * read it: the page should offer a reload). */
export function whenNewerVersion(fn) {
  onNewerVersion = fn;
}

/** The database, opened on first use. Rejects when an older version of the page in
 * another tab keeps it open (the open would otherwise wait until that tab closes). */
export function db() {
  dbPromise ??= new Promise((resolve, reject) => {
    let refused = false;
    openDB(DB_NAME, DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          database.createObjectStore("models", { keyPath: "version" });
          database.createObjectStore("meta");
        }
        if (oldVersion < 2) {
          // The person's own data: drawn examples and the templates of new letters.
          database.createObjectStore("samples", { keyPath: "id", autoIncrement: true });
          database.createObjectStore("classes", { keyPath: "letter" });
        }
        if (oldVersion < 3) {
          // The local prediction log (monitoring): never leaves the device.
          database.createObjectStore("predictions", { keyPath: "id", autoIncrement: true });
        }
      },
      // A throw here would be lost inside idb's event listener: reject instead.
      blocked() {
        refused = true;
        reject(codedError("worker.storage_blocked"));
      },
      // A newer version of the page (another tab) wants to upgrade: close ours so it is
      // not blocked, and say so; our next use fails with worker.storage_newer.
      blocking(_old, newVersion, event) {
        event.target.close();
        dbPromise = null;
        if (newVersion > DB_VERSION) onNewerVersion(); // (null: the database is deleted)
      },
    }).then(
      // An open we gave up on may still succeed once the other tab closes: do not keep it.
      (database) => (refused ? database.close() : resolve(database)),
      (err) => {
        dbPromise = null;
        if (err?.name !== "VersionError") return reject(err);
        onNewerVersion();
        reject(codedError("worker.storage_newer"));
      },
    );
  });
  return dbPromise;
}

/** {revision, entries, history} as stored now (revision is undefined before the first
 * write; history is [] until production first changes). */
export async function readAll() {
  const tx = (await db()).transaction(["models", "meta"], "readonly");
  const [revision, entries, history] = await Promise.all([
    tx.objectStore("meta").get("revision"),
    tx.objectStore("models").getAll(),
    tx.objectStore("meta").get("history"),
  ]);
  await tx.done;
  return { revision, entries, history: history ?? [] };
}

/**
 * Read-modify-write in one readwrite transaction, so concurrent tabs never interleave.
 * `decide({revision, entries, history})` runs synchronously inside the transaction and
 * returns {put: [entries], removed: [versions], history?, data?, result} (or throws to
 * abort: nothing is written); `history`, when given, replaces the stored one, and so do
 * `data: {letters, examples}` the person's letters and examples (only with `withData`,
 * which brings their stores into the transaction). `entries` and `history` hold what is
 * stored when the revision differs from `currentRevision` (another tab wrote since the
 * caller last read), and are null otherwise.
 */
export async function update(decide, currentRevision, { withData = false } = {}) {
  const stores = withData ? ["models", "meta", "classes", "samples"] : ["models", "meta"];
  const tx = (await db()).transaction(stores, "readwrite");
  const models = tx.objectStore("models");
  const meta = tx.objectStore("meta");
  try {
    const revision = await meta.get("revision");
    const fresh = revision === currentRevision;
    const entries = fresh ? null : await models.getAll();
    const history = fresh ? null : (await meta.get("history")) ?? [];
    const { put = [], removed = [], history: written, data, result } = decide({ revision, entries, history });
    if (data && !withData) throw new Error("this change replaces letters and examples: ask for withData");
    if (data) {
      const [classes, samples] = [tx.objectStore("classes"), tx.objectStore("samples")];
      await Promise.all([classes.clear(), samples.clear()]);
      await Promise.all([...data.letters.map((c) => classes.put(c)), ...data.examples.map((s) => samples.put(s))]);
    }
    const next = (Number.isSafeInteger(revision) ? revision : 0) + 1; // survives a hand-edited meta
    await Promise.all([
      ...removed.map((version) => models.delete(version)),
      ...put.map((entry) => models.put(entry)),
      ...(written === undefined ? [] : [meta.put(written, "history")]),
      meta.put(next, "revision"),
      tx.done,
    ]);
    return { revision: next, result };
  } catch (err) {
    tx.done.catch(() => {}); // the abort below rejects it; the caller gets the cause instead
    // A failing transaction (e.g. QuotaExceededError) fails each request with AbortError;
    // its own error says why.
    const cause = tx.error && tx.error.name !== "AbortError" ? tx.error : err;
    try { tx.abort(); } catch { /* already finished */ }
    throw cause;
  }
}

// --- the person's own data ------------------------------------------------------------

/** Every drawn example, in the order added: [{id, label, pattern, created_at, split?}]
 * (`split` only where the person chose one; Python gives the others theirs). */
export async function listSamples() {
  return (await db()).getAll("samples");
}

/** Store one example (already validated); resolves with the stored record. */
export async function addSample({ label, pattern, split }) {
  const record = sampleRecord({ label, pattern, split });
  record.id = await (await db()).add("samples", record);
  return record;
}

function sampleRecord({ label, pattern, split }) {
  const record = { label, pattern, created_at: new Date().toISOString() };
  if (split) record.split = split;
  return record;
}

/** Make example `id` a training or a test drawing (already validated). */
export async function setSplit(id, split) {
  const tx = (await db()).transaction("samples", "readwrite");
  const record = await tx.store.get(id);
  if (!record) throw codedError("worker.no_example", { id });
  await Promise.all([tx.store.put({ ...record, split }), tx.done]);
  return { ...record, split };
}

export async function deleteSample(id) {
  await (await db()).delete("samples", id);
}

/** Every letter added by the person: [{letter, template, created_at}]. */
export async function listClasses() {
  return (await db()).getAll("classes");
}

export async function addClass({ letter, template }) {
  const record = { letter, template, created_at: new Date().toISOString() };
  await (await db()).add("classes", record);
  return record;
}

/** Remove a letter and, in the same transaction, every example labelled with it. */
export async function deleteClass(letter) {
  const tx = (await db()).transaction(["classes", "samples"], "readwrite");
  const samples = tx.objectStore("samples");
  const doomed = (await samples.getAll()).filter((s) => s.label === letter);
  await Promise.all([tx.objectStore("classes").delete(letter),
    ...doomed.map((s) => samples.delete(s.id)), tx.done]);
  return doomed.length;
}

// --- the local prediction log (monitoring) --------------------------------------------

/** Append `entries` to the prediction log, then drop the oldest beyond `max`, in one
 * transaction. */
export async function logPredictions(entries, max) {
  const tx = (await db()).transaction("predictions", "readwrite");
  const done = [...entries.map((e) => tx.store.add(e)), tx.done];
  const excess = (await tx.store.count()) - max;
  if (excess > 0) {
    let cursor = await tx.store.openKeyCursor();
    for (let i = 0; i < excess && cursor; i++) {
      done.push(tx.store.delete(cursor.key));
      cursor = await cursor.continue();
    }
  }
  await Promise.all(done);
}

/** Every logged prediction, oldest first: [{id, at, model, letter, recognized, …}]. */
export async function listPredictions() {
  return (await db()).getAll("predictions");
}

/** Logged prediction `id` (undefined if it is gone). */
export async function getPrediction(id) {
  return (await db()).get("predictions", id);
}

/** Mark logged prediction `id` reviewed: `label` (a letter, "(none)", or null when
 * dismissed); with `sample` (already validated), also add it as an example, in the same
 * transaction. Resolves the example's record, if any. */
export async function reviewPrediction(id, label, sample = null) {
  const stores = sample ? ["predictions", "samples"] : ["predictions"];
  const tx = (await db()).transaction(stores, "readwrite");
  const logged = await tx.objectStore("predictions").get(id);
  if (!logged) throw codedError("worker.no_logged_prediction", { id });
  const review = { label, at: new Date().toISOString() };
  const writes = [tx.objectStore("predictions").put({ ...logged, review }), tx.done];
  const record = sample ? sampleRecord(sample) : null;
  if (record) writes.push(tx.objectStore("samples").add(record).then((key) => { record.id = key; }));
  await Promise.all(writes);
  return record;
}

export async function clearPredictions() {
  await (await db()).clear("predictions");
}

/** A page setting kept in "meta" (e.g. whether monitoring is on); undefined if never set. */
export async function getSetting(name) {
  return (await db()).get("meta", `setting:${name}`);
}

export async function setSetting(name, value) {
  await (await db()).put("meta", value, `setting:${name}`);
}
