// The My data tab and the "add this drawing as an example" form: the person's own
// letters (templates) and labelled examples, kept in IndexedDB by the worker.
import { patternThumb } from "./thumbs.js";
import { confirmAction } from "./registry-view.js";
import { $, el } from "./dom.js";

/** The My data tab. It redraws on the worker's "examples-changed" event (main.js calls
 * `refresh`), which every change of examples or letters sends. */
export function setupData({ call, currentPattern }) {
  let builtIn = [];
  const safely = (fn) => async (...args) => {
    try {
      await fn(...args);
    } catch (err) {
      $("sample-status").textContent = `That did not work: ${err.message}`;
    }
  };

  async function refresh() {
    const [classes, samples] = await Promise.all([call("listClasses"), call("listSamples")]);
    const letters = [...builtIn.map((t) => t.letter), ...classes.map((c) => c.letter)];

    const select = $("sample-label");
    const previous = select.value;
    select.replaceChildren(...letters.map((l) => new Option(l, l)));
    if (letters.includes(previous)) select.value = previous;

    const list = $("class-list");
    list.replaceChildren();
    for (const t of builtIn) {
      const li = el("li");
      li.append(patternThumb(t.template, { label: `template of ${t.letter}` }), el("span", `${t.letter} (built in)`));
      list.append(li);
    }
    for (const c of classes) {
      const li = el("li");
      li.dataset.letter = c.letter;
      const del = el("button", "Delete");
      del.type = "button";
      del.setAttribute("aria-label", `delete letter ${c.letter}`);
      del.addEventListener("click", safely(async () => {
        const n = samples.filter((s) => s.label === c.letter).length;
        if (!(await confirmAction(`Delete the letter ${c.letter} and its ${n} example(s)?`))) return;
        await call("deleteClass", { letter: c.letter });
      }));
      li.append(patternThumb(c.template, { label: `template of ${c.letter}` }), el("span", c.letter), del);
      list.append(li);
    }

    const counts = Object.fromEntries(letters.map((l) => [l, 0]));
    samples.forEach((s) => { counts[s.label] = (counts[s.label] ?? 0) + 1; });
    const tests = samples.filter((s) => s.split === "test").length;
    $("sample-count").textContent = samples.length
      ? `${samples.length} example(s): ${Object.entries(counts).map(([l, n]) => `${l} ${n}`).join(", ")}. ` +
        `${tests} of them are test drawings: they judge every model (Models tab) and are never trained on. ` +
        'Training uses the others when "Include my drawn examples" is on.'
      : "No examples yet: draw a letter, pick it under the prediction and press Add example.";
    const items = $("sample-list");
    items.replaceChildren();
    for (const s of samples.slice().reverse()) {
      const li = el("li");
      li.dataset.id = String(s.id);
      const del = el("button", "Delete");
      del.type = "button";
      del.setAttribute("aria-label", `delete example ${s.id} (${s.label})`);
      del.addEventListener("click", safely(async () => {
        await call("deleteSample", { id: s.id });
      }));
      const split = el("select");
      split.setAttribute("aria-label", `use of example ${s.id} (${s.label})`);
      split.append(new Option("train", "train"), new Option("test", "test"));
      split.value = s.split;
      split.addEventListener("change", safely(async () => {
        await call("setSplit", { id: s.id, split: split.value });
      }));
      li.dataset.split = s.split;
      li.append(patternThumb(s.pattern, { label: `example of ${s.label}` }), el("span", s.label), split, del);
      items.append(li);
    }
  }

  $("add-sample").addEventListener("submit", async (e) => {
    e.preventDefault();
    const pattern = currentPattern();
    const note = $("sample-status");
    if (!pattern) {
      note.textContent = "The grid is empty: draw the letter first.";
      return;
    }
    try {
      const s = await call("addSample", { label: $("sample-label").value, pattern });
      note.textContent = `Added an example of ${s.label}${s.split === "test" ? " (a test drawing)" : ""}.`;
    } catch (err) {
      note.textContent = `Not added: ${err.message}`;
    }
  });

  $("add-class").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = $("class-name");
    const template = currentPattern();
    const note = $("sample-status");
    if (!template) {
      note.textContent = "Draw the new letter on the grid first; the drawing becomes its template.";
      return;
    }
    try {
      const c = await call("addClass", { letter: input.value, template });
      input.value = "";
      note.textContent = `Added the letter ${c.letter}. Add some examples of it, then train a model.`;
      await refresh();
      $("sample-label").value = c.letter;
    } catch (err) {
      note.textContent = `Not added: ${err.message}`;
    }
  });

  return {
    async start() {
      builtIn = await call("templates");
      await refresh();
    },
    refresh,
  };
}
