// Starting Python in the worker, in explicit steps the page shows ("runtime", then
// "packages"; the registry's "model" step is the caller's): from the stored runtime
// snapshot when one loads, with every download watched so a failed or stalled start
// says why within a bounded time.
import { watchDownloads } from "./downloads.js";
import { BOOT_BYTES, WHEELS } from "../shared/runtime.generated.js";
import * as snapshot from "../shared/snapshot.js";
import { downloadPackages, installPackages, restore, startPython } from "./python-runtime.js";
import { emit } from "./transport.js";

const TOTAL_BYTES = Object.values(BOOT_BYTES).reduce((a, b) => a + b, 0);

const DOWNLOAD_STALL_MS = 20_000;
// What Pyodide itself downloads before Python can start (the wheels wait for them).
const RUNTIME_FILES = ["pyodide.asm.wasm", "python_stdlib.zip"];
const SNAPSHOT_TIMEOUT_MS = 10_000; // restoring and relinking take ~0.5 s here

export class Boot {
  constructor() {
    this.timings = {}; // ms per step, reported with "ready"
    this.current = "runtime";
    this.stepStart = performance.now();
    this.abandonRestore = null; // while a snapshot is being restored: gives up on it
    this.wheels = null; // a normal start: the wheels' download, begun with Python's
    this.booting = true;
    // Until Python is ready, a download that fails or stalls fails the start, with its
    // name; so does an unhandled rejection (Pyodide does not always reject when a file
    // fails to arrive, e.g. its wasm).
    this.failed = new Promise((_, reject) => { this.fail = reject; });
    this.failed.catch(() => {});
    this.loaded = 0; // bytes of the start's files read so far
    this.reported = 0;
    this.watch = watchDownloads({
      stallMs: DOWNLOAD_STALL_MS,
      // The wheels download while Python starts, but they are the "packages" step's.
      onFailure: (err) => this.fail(Object.assign(err, {
        step: WHEELS.includes(err.file) ? "packages" : undefined,
      })),
      onBytes: (name, bytes) => this.#counted(name, bytes),
    });
    self.addEventListener("unhandledrejection", (e) => {
      if (!this.booting) return;
      e.preventDefault();
      if (this.abandonRestore) this.abandonRestore(e.reason); // fall back to a normal start
      else this.fail(e.reason);
    });
  }

  /** Bytes of the start's own files, reported to the page at most every 100 ms. */
  #counted(name, bytes) {
    if (!(name in BOOT_BYTES)) return;
    this.loaded += bytes;
    const now = performance.now();
    if (now - this.reported < 100 && this.loaded < TOTAL_BYTES) return;
    this.reported = now;
    emit("download", { loaded: Math.min(this.loaded, TOTAL_BYTES), total: TOTAL_BYTES });
  }

  /** Report a step "active", "done" or "failed" (with `detail`) to the page. */
  step(name, state, detail) {
    if (state === "active") this.stepStart = performance.now();
    else this.timings[name] = Math.round(performance.now() - this.stepStart);
    this.watch.progress();
    this.current = name;
    emit("step", { step: name, state, detail });
  }

  /** Run `steps(boot)` to completion or until a download fails; afterwards, stop
   * watching. A failure marks the current step failed. */
  async run(steps) {
    try {
      return await Promise.race([steps(this), this.failed]);
    } catch (err) {
      this.step(err?.step ?? this.current, "failed");
      throw err;
    } finally {
      this.booting = false;
      this.watch.stop();
      emit("download", { loaded: Math.min(this.loaded, TOTAL_BYTES), total: TOTAL_BYTES });
    }
  }

  /** Step "runtime": Pyodide, from the snapshot when there is one that loads (it holds
   * the packages imported already). */
  async initRuntime() {
    this.step("runtime", "active");
    const pyodide = await this.#startPython();
    this.step("runtime", "done");
    return pyodide;
  }

  /** Step "packages": NumPy and mlp_core (unless the snapshot held them); returns a new
   * mlp_core.service.webapi.App. */
  async initPackages(pyodide) {
    this.step("packages", "active");
    if (!this.timings.snapshot) await installPackages(pyodide, this.wheels);
    const app = pyodide.pyimport("mlp_core.service.webapi").App();
    this.step("packages", "done");
    return app;
  }

  async #startPython() {
    const saved = await snapshot.read().catch((err) => {
      console.warn("could not read the runtime snapshot; starting Python normally:", err);
      return null;
    });
    this.timings.snapshot = false;
    let failedSnapshot = false;
    if (saved) {
      let timer;
      // Pyodide neither resolves nor rejects when it cannot use a snapshot's memory, and
      // may fail through an unhandled rejection instead (see the constructor).
      const givenUp = new Promise((_, reject) => {
        this.abandonRestore = reject;
        timer = setTimeout(() => reject(new Error("restoring the runtime snapshot took too long")),
          SNAPSHOT_TIMEOUT_MS);
      });
      try {
        const pyodide = await Promise.race([restore(saved, this.timings), givenUp]);
        this.timings.snapshot = true;
        return pyodide;
      } catch (err) {
        console.warn("the runtime snapshot did not load; starting Python normally:", err);
        failedSnapshot = true;
      } finally {
        clearTimeout(timer);
        this.abandonRestore = null;
      }
    }
    // The runtime's own files first, then the wheels, while Python starts: on a slow
    // network, sharing it with the wheels delayed the interpreter, which needs its files
    // before it can start, by the wheels' whole download.
    const started = startPython();
    this.wheels = Promise.race([this.watch.arrived(RUNTIME_FILES), started]).then(() => downloadPackages());
    this.wheels.catch(() => {}); // reported by whoever awaits it
    const pyodide = await started;
    // Only now is the snapshot to blame: had the network or the runtime's files failed,
    // the normal start would have failed too, and the snapshot is kept.
    if (failedSnapshot) {
      await snapshot.drop().catch((err) => console.warn("could not drop the runtime snapshot:", err));
    }
    return pyodide;
  }
}
