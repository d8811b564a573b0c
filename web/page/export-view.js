// Models leaving the app (mlp_core/export): a format chooser for any model (Models tab),
// a download for the production model (Model tab), and a scikit-learn model coming in.
import { ask } from "./ask.js";
import { $, download, el, statusLine } from "./dom.js";
import { EXPORT_FORMATS } from "../shared/limits.generated.js";
import { i18n } from "./strings.js";

/** "json" (this app's bundle) and every format mlp_core exports. */
const FORMATS = ["json", ...EXPORT_FORMATS];
const label = (format) => (format === "json" ? i18n.t("export.json") : i18n.t(`format.${format}`));

const bytesOf = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** Download model `version` in `format`. */
export async function downloadModel(registry, version, format) {
  if (format === "json") {
    download(JSON.stringify(await registry.export([version])), `${version}.json`);
    return `${version}.json`;
  }
  const { name, media_type: type, data } = await registry.exportAs(version, format);
  download(bytesOf(data), name, type);
  return name;
}

/** A radio group of the formats, the first chosen. */
function formatChoice() {
  const group = el("fieldset", undefined, "formats");
  group.append(el("legend", i18n.t("export.choose")));
  FORMATS.forEach((format, i) => {
    const input = el("input");
    Object.assign(input, { type: "radio", name: "export-format", value: format, checked: i === 0 });
    const row = el("label");
    row.append(input, " ", label(format));
    group.append(row);
  });
  return group;
}

/** Ask which format to download model `version` in, and download it. */
export async function exportModel(registry, version) {
  const choice = formatChoice();
  const format = () => choice.querySelector("input:checked").value;
  await ask({
    title: i18n.t("export.title", { version }),
    body: [choice, el("p", i18n.t("export.note"), "note")],
    confirm: i18n.t("export.download"),
    submit: () => downloadModel(registry, version, format()),
  });
}

/** The Model tab's download of the production model (`production()` gives its version). */
export function setupProductionExport(registry, production) {
  const select = $("export-format");
  select.replaceChildren(...FORMATS.map((f) => new Option(label(f), f)));
  const say = statusLine("export-status");
  $("export-production").addEventListener("click", async () => {
    try {
      say(i18n.t("export.done", { name: await downloadModel(registry, await production(), select.value) }));
    } catch (err) {
      say(i18n.t("export.failed", { error: err.message }));
    }
  });
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
