// One training at a time, an epoch per turn of the worker's event loop so that
// predictions and Cancel get in between; the model is registered only at the end.
import { codedError } from "../shared/coded-error.js";
import { gateReason, gateWarning } from "../shared/gate-reason.js";
import { DATA_FILES } from "../shared/limits.generated.js";
import { download } from "./downloads.js";

function cancelled() {
  return codedError("worker.training_cancelled", {}, "TrainingCancelled");
}

export class Training {
  /** `python`: worker/python.js; `registry`: RegistrySync; `storage`: worker/storage.js. */
  constructor({ python, registry, storage }) {
    Object.assign(this, { python, registry, storage });
    this.running = false;
    this.cancelRequested = false;
    this.installed = new Map(); // data file name -> promise of its installation
  }

  /** The data files training reads (mlp_core/data/sources.py DATA_FILES: font glyphs,
   * handwriting, ...): the site's wheel leaves them out, since most visits never train.
   * Each is fetched and handed to Python once, before the first training or fine-tuning
   * (again after a failure). */
  dataFiles() {
    return Promise.all(DATA_FILES.map((name) => {
      if (!this.installed.has(name)) {
        this.installed.set(name, download(new URL(`../${name}`, import.meta.url)).then((bytes) => this.python.run("install_data", name, bytes))
          .catch((err) => {
            this.installed.delete(name);
            throw err;
          }));
      }
      return this.installed.get(name);
    }));
  }

  /** Make ahead, while the page is idle, what a first training or fine-tuning would
   * make before its first epoch: the data files, then Python's parts
   * (mlp_core/training/preparation.py), one step each time `idle()` resolves, so that
   * a prediction waits for one step at most. Resolves when all is made. (A training
   * that starts meanwhile shares the data files' installation, hence no wait inside.) */
  async prepare(idle) {
    await idle();
    await this.dataFiles();
    for (;;) {
      await idle();
      if (this.python.call("prepare_step").done) return;
    }
  }

  /** Train with `config` ({hyperparameters, data, include_samples, promote: true, false
   * or "if_better"}); calls `progress` per epoch; resolves with the registered model's
   * summary (with `gate` when it promotes: what the gate found; the promotion's note
   * is its reason, or its warning when it did not recommend it, in `lang`). `kind` "finetune" fine-tunes the
   * production model instead: `config` is {finetune: {settings}, promote}, and the
   * person's examples are always included. */
  async run(config, progress, { kind = "train", lang = "en" } = {}) {
    if (this.running) throw codedError("worker.training_running");
    this.registry.requireStorage();
    this.running = true;
    this.cancelRequested = false;
    try {
      await this.dataFiles();
      const { include_samples: includeSamples = true, promote = false, ...settings } = config;
      const classes = await this.storage.listClasses();
      const samples = includeSamples || kind === "finetune" ? await this.storage.listSamples() : [];
      this.python.call(kind === "finetune" ? "start_finetune" : "start_training", JSON.stringify({
        ...settings,
        templates: Object.fromEntries(classes.map((c) => [c.letter, c.template])),
        // Python keeps the test drawings out of training (their split, or the default).
        samples: samples.map(({ label, pattern, split }) => ({ label, pattern, split })),
      }));
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.cancelRequested) {
          this.python.run("cancel_training");
          throw cancelled();
        }
        const step = this.python.call("train_step");
        progress(step);
        if (step.done) break;
      }
      if (!promote) return await this.registry.change("register", { promote });
      // The gate judges on every test drawing, whether or not examples were trained on,
      // inside the registry change (on the production every tab sees); a promotion keeps
      // its reason, or the gate's warning, in the page's language.
      // The page's catalogues, loaded when first needed: a start never needs them.
      const tr = (await import("../shared/i18n.js")).translatorFor(lang);
      const words = {
        gate_reason: (gate) => gateReason(tr, JSON.parse(gate)),
        gate_warning: (gate) => gateWarning(tr, JSON.parse(gate)),
      };
      return await this.registry.change("register", { promote, samples: await this.storage.listSamples() }, { words });
    } finally {
      this.running = false;
    }
  }

  /** Ask the running training to stop after its current epoch. */
  cancel() {
    this.cancelRequested = this.running;
    return { cancelling: this.running };
  }
}
