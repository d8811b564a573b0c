// The My data tab and the "add this drawing as an example" form: the person's own
// letters (templates) and labelled examples, kept in IndexedDB by the worker.
import { patternThumb } from "./thumbs.js";
import { confirmAction } from "./registry-view.js";
import { $, el, statusLine } from "./dom.js";
import { i18n, labelName } from "./strings.js";
import { NONE_LABEL } from "../shared/limits.generated.js";

/** A Delete button for screen readers as `label`, doing `onClick`. */
function deleteButton(label, onClick) {
  const del = el("button", i18n.t("models.delete"));
  del.type = "button";
  del.setAttribute("aria-label", label);
  del.addEventListener("click", onClick);
  return del;
}

/** The labels an example can have: a letter, or "none of these" (a drawing the model
 * should reject); keeping the one chosen. */
function renderLetterChoice(letters) {
  const select = $("sample-label");
  const previous = select.value;
  const labels = [...letters, NONE_LABEL];
  select.replaceChildren(...labels.map((l) => new Option(labelName(l), l)));
  if (labels.includes(previous)) select.value = previous;
}

/** The built-in letters, then the person's (each with Delete, asking first). */
function renderLetters(builtIn, classes, samples, { call, safely }) {
  const list = $("class-list");
  list.replaceChildren();
  for (const t of builtIn) {
    const li = el("li");
    li.append(patternThumb(t.template, { label: i18n.t("data.template_of", { letter: t.letter }) }),
      el("span", i18n.t("data.built_in", { letter: t.letter })));
    list.append(li);
  }
  for (const c of classes) {
    const li = el("li");
    li.dataset.letter = c.letter;
    const del = deleteButton(i18n.t("data.delete_letter", { letter: c.letter }), safely(async () => {
      const n = samples.filter((s) => s.label === c.letter).length;
      if (!(await confirmAction(i18n.t("data.delete_letter_confirm", { letter: c.letter, count: n })))) return;
      await call("classes.delete", { letter: c.letter });
    }));
    li.append(patternThumb(c.template, { label: i18n.t("data.template_of", { letter: c.letter }) }), el("span", c.letter), del);
    list.append(li);
  }
}

/** How many examples of each letter, and how many are test drawings. */
function renderCounts(letters, samples) {
  const counts = Object.fromEntries(letters.map((l) => [l, 0]));
  samples.forEach((s) => { counts[s.label] = (counts[s.label] ?? 0) + 1; });
  const tests = samples.filter((s) => s.split === "test").length;
  $("sample-count").textContent = samples.length
    ? `${i18n.t("data.count", { count: samples.length, letters: Object.entries(counts).map(([l, n]) => `${labelName(l)} ${n}`).join(", ") })} ` +
      i18n.t("data.tests", { count: tests, include: i18n.t("train.include_samples") })
    : i18n.t("data.none", { add: i18n.t("sample.add") });
}

/** The examples, newest first, each with its use (training or test) and Delete. */
function renderExamples(samples, { call, safely, remove }) {
  const items = $("sample-list");
  items.replaceChildren();
  for (const s of samples.slice().reverse()) {
    const li = el("li");
    li.dataset.id = String(s.id);
    const name = labelName(s.label);
    const del = deleteButton(i18n.t("data.delete_example", { id: s.id, letter: name }), remove(s));
    const split = el("select");
    split.setAttribute("aria-label", i18n.t("data.use_of", { id: s.id, letter: name }));
    split.append(new Option(i18n.t("data.split_train"), "train"), new Option(i18n.t("data.split_test"), "test"));
    split.value = s.split;
    split.addEventListener("change", safely(() => call("samples.setSplit", { id: s.id, split: split.value })));
    li.dataset.split = s.split;
    li.append(patternThumb(s.pattern, { label: i18n.t("data.example_of", { letter: name }) }), el("span", name), split, del);
    items.append(li);
  }
}

/** The My data tab. It redraws on the worker's "examples-changed" event (main.js calls
 * `refresh`), which every change of examples or letters sends. */
export function setupData({ call, currentPattern }) {
  let builtIn = [];
  const say = statusLine("sample-status");
  const sayOfExamples = statusLine("examples-status");
  const safely = (fn, line = say) => async (...args) => {
    try {
      await fn(...args);
    } catch (err) {
      line(i18n.t("data.failed", { error: err.message }));
    }
  };
  // Deleting an example can be undone: the same drawing, label and use come back.
  const remove = (s) => safely(async () => {
    await call("samples.delete", { id: s.id });
    sayOfExamples(i18n.t("data.deleted", { letter: labelName(s.label) }), [{
      label: i18n.t("action.undo"),
      onClick: safely(async () => {
        await call("samples.add", { label: s.label, pattern: s.pattern, split: s.split });
        sayOfExamples(i18n.t("data.restored", { letter: labelName(s.label) }));
      }, sayOfExamples),
    }]);
  }, sayOfExamples);

  async function refresh() {
    const [classes, samples] = await Promise.all([call("classes.list"), call("samples.list")]);
    const letters = [...builtIn.map((t) => t.letter), ...classes.map((c) => c.letter)];
    renderLetterChoice(letters);
    renderLetters(builtIn, classes, samples, { call, safely });
    renderCounts(letters, samples);
    renderExamples(samples, { call, safely, remove });
  }

  /** Form `id` sends the drawing on the grid to `save(pattern)`, which returns what the
   * status line says; an empty grid says `emptyKey` instead. */
  function fromTheGrid(id, emptyKey, save) {
    $(id).addEventListener("submit", async (e) => {
      e.preventDefault();
      const pattern = currentPattern();
      try {
        say(pattern ? await save(pattern) : i18n.t(emptyKey));
      } catch (err) {
        say(i18n.t("data.not_added", { error: err.message }));
      }
    });
  }

  fromTheGrid("add-sample", "data.grid_empty", async (pattern) => {
    const s = await call("samples.add", { label: $("sample-label").value, pattern });
    return i18n.t(s.split === "test" ? "data.added_test" : "data.added", { letter: labelName(s.label) });
  });
  fromTheGrid("add-class", "data.draw_letter_first", async (template) => {
    const input = $("class-name");
    const c = await call("classes.add", { letter: input.value, template });
    input.value = "";
    await refresh();
    $("sample-label").value = c.letter;
    return i18n.t("data.letter_added", { letter: c.letter });
  });

  return {
    async start() {
      builtIn = await call("templates");
      await refresh();
    },
    refresh,
  };
}
