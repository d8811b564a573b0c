// The registry between IndexedDB and Python. Storage is the truth: Python loads what is
// stored, plans each change, and adopts it only after IndexedDB has committed it. Other
// tabs announce their writes on a BroadcastChannel; we reload before the next use.
import * as storage from "./storage.js";
import { describe, emit } from "./transport.js";
import { codedError } from "../shared/coded-error.js";

const CHANNEL = "letter-recognizer-registry";

async function fetchDefaultBundle() {
  const response = await fetch(new URL("../registry.json", import.meta.url));
  if (!response.ok) throw codedError("worker.default_models", { status: response.status });
  return response.text();
}

/** Say what a storage failure means for the person, in words. */
export function storageError(err) {
  if (err?.name === "QuotaExceededError" || err?.inner?.name === "QuotaExceededError") {
    return codedError("worker.storage_full", {}, "StorageFull");
  }
  return err;
}

/** Why storage cannot be used, and what that means, in words. */
function storageRefused(err) {
  return err?.code ? err : codedError("worker.storage_refused", { why: err?.message || String(err) });
}

export class RegistrySync {
  /** Starts reading storage (and, on a first visit, fetching the default models) at
   * once, so that both answer while Python boots. */
  constructor() {
    this.python = null;        // worker/python.js over mlp_core.service.webapi.App
    this.revision = null;      // the IndexedDB revision Python holds
    this.stale = true;         // another tab changed the registry since we loaded it
    this.problem = null;       // why IndexedDB cannot be used (models then live in memory)
    this.announced = 0;        // changes other tabs announced since we started
    this.storedAtStart = storage.readAll();
    this.storedAtStart.catch(() => {}); // handled in open()
    // A failed fetch resolves to null here: it is retried (and reported) where needed.
    this.defaultAtStart = this.storedAtStart.then(
      (stored) => (stored.revision === undefined ? fetchDefaultBundle().catch(() => null) : null),
      () => null,
    );
    this.channel = new BroadcastChannel(CHANNEL);
    this.channel.onmessage = () => {
      this.announced += 1;
      this.stale = true;
      emit("registry-changed", {});
    };
  }

  /** Load the stored registry into `python`; if the browser refuses storage, run from
   * the default models in memory (and say so). */
  async open(python) {
    this.python = python;
    try {
      await this.#load(await this.#seedIfEmpty(await this.storedAtStart));
      if (this.announced) this.stale = true; // another tab wrote after our first read
    } catch (err) {
      this.problem = storageRefused(err);
      const bundle = python.call("bundle_entries", await this.#defaultBundle());
      python.call("load", JSON.stringify(bundle.models), JSON.stringify(bundle.history));
      this.stale = false;
      emit("storage-unavailable", describe(this.problem));
    }
  }

  get storage() {
    return this.problem ? "memory" : "indexeddb";
  }

  /** Throw if nothing can be saved. */
  requireStorage() {
    // Blocked by another tab, or a newer version's data: its own message says what to do;
    // otherwise storage is refused.
    const saysWhatToDo = ["worker.storage_blocked", "worker.storage_newer"].includes(this.problem?.code);
    if (this.problem) throw saysWhatToDo ? this.problem : codedError("worker.cannot_save");
  }

  /** Reload from storage if another tab wrote since we last read. */
  async freshen() {
    if (this.stale && !this.problem) await this.#load(await storage.readAll());
  }

  /** One registry change, `op` with `args` (see App.plan): planned by Python inside an
   * IndexedDB transaction, adopted by Python once the transaction has committed.
   * `withData`: the change may replace the person's letters and examples too; `words`
   * word what Python writes in the page's language (App.plan). */
  async change(op, args = {}, { withData = false, words = null } = {}) {
    this.requireStorage();
    const python = this.python;
    let planned;
    try {
      const { revision } = await storage.update(({ entries, history }) => {
        if (entries) this.#adoptStored(entries, history); // another tab wrote: plan on its state
        planned = python.call("plan", op, JSON.stringify(args), ...(words ? [words] : []));
        return planned;
      }, this.revision, { withData });
      python.run("adopt");
      this.revision = revision;
    } catch (err) {
      python.run("discard");
      throw storageError(err);
    }
    this.channel.postMessage({ revision: this.revision });
    emit("registry-changed", { revision: this.revision });
    return planned.result;
  }

  /** Replace every model with the default ones (fetched now: the newest). */
  async reset() {
    return this.change("reset", { bundle: await fetchDefaultBundle() });
  }

  /** The default bundle's text: fetched at start on a first visit, else now. */
  async #defaultBundle() {
    return (await this.defaultAtStart) ?? fetchDefaultBundle();
  }

  /** On a first visit, store the default models. Returns the registry as stored. */
  async #seedIfEmpty(stored) {
    if (stored.revision !== undefined) return stored;
    const { models, history } = this.python.call("bundle_entries", await this.#defaultBundle());
    // Another tab may have seeded meanwhile: then write nothing.
    await storage.update(({ revision }) => (revision === undefined ? { put: models, history } : {}), undefined);
    return storage.readAll();
  }

  async #load({ revision, entries, history }) {
    const report = this.#adoptStored(entries, history);
    this.revision = revision;
    this.stale = false;
    if (report.bad.length) emit("bad-entries", report.bad);
  }

  /** Python takes the stored entries and history as they are (damaged ones set aside). */
  #adoptStored(entries, history) {
    return this.python.call("load", JSON.stringify(entries), JSON.stringify(history));
  }
}
