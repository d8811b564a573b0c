// Test-only worker: starts Python as the page's worker does (worker/python-runtime.js: the
// site's standard library and wheels, mlp_core.service.webapi imported), loads the default
// models and predicts, then reports every module imported and every library loaded. Then
// it runs `before` (Python snippets, [name, code]) without the runtime's later parts,
// installs them as the worker does, and runs `after`: each snippet's error, or null.
import { installPackages, laterParts, startPython } from "../worker/python-runtime.js";
import { DATA_FILES } from "../shared/limits.generated.js";

const MODULES = `
import json, sys
json.dumps({name: getattr(m, "__file__", None) for name, m in list(sys.modules.items())})`;

const FIRST_PREDICTION = `
import json
from mlp_core.service.webapi import App
app = App()
bundle = json.loads(app.bundle_entries(BUNDLE))
app.load(json.dumps(bundle["models"]), json.dumps(bundle["history"]))
app.predict_bits("1" * 20 + "0" * 80)`;

const get = async (name) => fetch(new URL(`../${name}`, import.meta.url));

self.onmessage = async ({ data: { before, after } }) => {
  try {
    const pyodide = await startPython();
    await installPackages(pyodide);
    pyodide.globals.set("BUNDLE", await (await get("registry.json")).text());
    pyodide.runPython(FIRST_PREDICTION);
    const modules = JSON.parse(pyodide.runPython(MODULES));
    const libraries = Object.keys(pyodide._module.LDSO.loadedLibsByName);
    const app = pyodide.globals.get("app");
    for (const name of DATA_FILES) app.install_data(name, new Uint8Array(await (await get(name)).arrayBuffer()));
    const run = ([name, code]) => {
      try {
        pyodide.runPython(code);
        return [name, null];
      } catch (err) {
        return [name, String(err?.message || err).slice(-400)];
      }
    };
    const withoutLater = before.map(run);
    await laterParts(pyodide)();
    self.postMessage({ modules, libraries, withoutLater, withLater: after.map(run) });
  } catch (err) {
    self.postMessage({ error: String(err?.stack || err) });
  }
};
