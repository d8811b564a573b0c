// Models leaving the app (mlp_core/export): a format chooser for any model (Models tab),
// a download for the production model (Model tab), and a scikit-learn model coming in.
import { ask } from "./ask.js";
import { $, alertLine, download, el, statusLine } from "./dom.js";
import { EXPORT_FORMATS } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";

/** "json" (this app's bundle) and every format mlp_core exports. */
const FORMATS = ["json", ...EXPORT_FORMATS];
const label = (format) => (format === "json" ? i18n.t("export.json") : i18n.t(`format.${format}`));

const bytesOf = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** Download model `version` in `format`; resolves with the file's name. */
async function downloadModel(registry, version, format) {
  if (format === "json") {
    download(JSON.stringify(await registry.export([version])), `${version}.json`);
    return `${version}.json`;
  }
  const { name, media_type: type, data } = await registry.exportAs(version, format);
  download(bytesOf(data), name, type);
  return name;
}

/** Fill `select` with every format, JSON first. */
function offerFormats(select) {
  select.replaceChildren(...FORMATS.map((f) => new Option(label(f), f)));
  return select;
}

/** Ask which format to download model `version` in, and download it. */
export async function exportModel(registry, version) {
  const select = offerFormats(el("select"));
  select.id = "export-choice";
  const choice = el("label", i18n.t("export.format"));
  choice.htmlFor = select.id;
  await ask({
    title: i18n.t("export.title", { version }),
    body: [choice, " ", select, el("p", i18n.t("export.note"), "note")],
    confirm: i18n.t("export.download"),
    submit: () => downloadModel(registry, version, select.value),
  });
}

/** The Model tab's download of the production model (`production()` gives its version). */
export function setupProductionExport(registry, production) {
  const select = offerFormats($("export-format"));
  const say = statusLine("export-status");
  const { guard } = alertLine("export-error");
  $("export-production").addEventListener("click", guard(async () => {
    const name = await downloadModel(registry, await production(), select.value).catch((err) => {
      throw new Error(i18n.t("export.failed", { error: err.message }), { cause: err });
    });
    say(i18n.t("export.done", { name }));
  }));
}

/** Whether `file` is a skops file (a zip) rather than a JSON bundle. */
export async function isSkops(file) {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return file.name.endsWith(".skops") || (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4);
}

/** Register the scikit-learn model in skops `file`. */
export async function importSkops(registry, file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return registry.importSklearn(btoa(text), file.name);
}
