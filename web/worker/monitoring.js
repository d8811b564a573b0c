// The local prediction log: each prediction the page shows, kept on this device only
// (IndexedDB), written in batches so that logging never slows a prediction down.
import { MAX_PREDICTION_LOG } from "../shared/limits.generated.js";
import { codedError } from "../shared/coded-error.js";

const FLUSH_AFTER_MS = 500;
/** A drawing has settled when no other prediction replaced it for this long. */
const SETTLE_MS = 2000;

/** The part of a prediction the log keeps (monitoring.py ANSWER_KEYS, model first). */
function answer({ model_version: model, letter, recognized, confidence, none_probability }) {
  return { model, letter, recognized, confidence, none_probability };
}

export class Monitor {
  /** `storage`: worker/storage.js; `onError(err)`: a batch could not be written;
   * `onLogged()`: a prediction was logged. */
  constructor({ storage, onError, onLogged = () => {} }) {
    Object.assign(this, { storage, onError, onLogged });
    this.enabled = false;      // known once open() has read the setting
    this.available = false;    // false when storage cannot be used
    this.pending = [];         // predictions not written yet
    this.timer = null;
    this.unsettled = null;     // {result, bits, shadow, timer}: the drawing being drawn
    this.shadow = null;        // the version run in shadow mode, or null
  }

  /** Read whether monitoring is on (it is, unless the person turned it off). A failure
   * is reported, and the app runs without a log. */
  async open(available) {
    try {
      this.enabled = available && (await this.storage.getSetting("monitoring")) !== false;
      this.shadow = (available && (await this.storage.getSetting("shadow"))) || null;
      this.available = available;
    } catch (err) {
      this.onError(err);
    }
  }

  /** Note one prediction `result` (Python's answer) for the drawing `bits`; `shadow`,
   * when given, gives the shadow model's answer when the entry is written. */
  record(result, bits, shadow = null) {
    if (!this.enabled || !bits) return;
    this.pending.push({ at: new Date().toISOString(), ...answer(result), bits, shadow });
    this.timer ??= setTimeout(() => this.flush().catch(this.onError), FLUSH_AFTER_MS);
    this.onLogged();
  }

  /** Note prediction `result` for `bits` once the person stops drawing: after
   * SETTLE_MS, or at `settle()`, unless another drawing replaces it first. So a drawing
   * is predicted once per stroke and logged once when it is done. */
  settling(result, bits, shadow = null) {
    clearTimeout(this.unsettled?.timer);
    this.unsettled = bits ? { result, bits, shadow, timer: setTimeout(() => this.settle(), SETTLE_MS) } : null;
  }

  /** Log the drawing waiting to settle now, if there is one. */
  settle() {
    const waiting = this.unsettled;
    this.unsettled = null;
    if (!waiting) return false;
    clearTimeout(waiting.timer);
    this.record(waiting.result, waiting.bits, waiting.shadow);
    return true;
  }

  /** Write what is pending now (before reading the log). */
  async flush() {
    clearTimeout(this.timer);
    this.timer = null;
    let failed = false;
    const batch = this.pending.splice(0).map(({ shadow, ...entry }) => {
      if (!shadow || failed) return entry;
      try {
        return { ...entry, shadow: answer(shadow()) };
      } catch (err) {
        // The shadow model cannot answer (e.g. it was deleted): shadow mode stops (once,
        // for the whole batch), and the entries are logged without it.
        failed = true;
        this.shadow = null;
        this.storage.setSetting("shadow", null).catch(this.onError);
        this.onError(err);
        return entry;
      }
    });
    if (batch.length) await this.storage.logPredictions(batch, MAX_PREDICTION_LOG);
  }

  /** Run model `version` beside production on every logged drawing (null: none). */
  async setShadow(version) {
    if (!this.available) throw codedError("worker.no_log");
    await this.storage.setSetting("shadow", version);
    this.shadow = version;
  }

  /** The whole log, oldest first, including what was pending. */
  async log() {
    if (!this.available) return [];
    await this.flush();
    return this.storage.listPredictions();
  }

  /** Turn logging on or off (remembered); off drops what was not written yet. */
  async setEnabled(on) {
    if (!this.available) throw codedError("worker.no_log");
    await this.storage.setSetting("monitoring", Boolean(on));
    this.enabled = Boolean(on);
    if (!on) {
      this.pending = [];
      this.settling(null, null);
    }
  }

  async clear() {
    this.pending = [];
    this.settling(null, null);
    if (this.available) await this.storage.clearPredictions();
  }
}
