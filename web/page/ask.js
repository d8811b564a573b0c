// The one question the page asks in a modal dialog: a title (or the question itself),
// what to weigh, an optional note, and Cancel or a confirming button.
import { $ } from "./dom.js";

/** Ask `title`; `body` (nodes) shows what to weigh; `confirm` is the button's text,
 * `danger` marks it destructive; `note` (a length limit) offers a note field. Resolves
 * {ok, note}. */
export function ask({ title, body = [], confirm, danger = false, note = 0 }) {
  const dialog = $("ask");
  dialog.classList.toggle("plain", !body.length);
  $("ask-title").textContent = title;
  $("ask-body").replaceChildren(...body);
  $("ask-note-field").hidden = !note;
  $("ask-note").value = "";
  if (note) $("ask-note").maxLength = note;
  $("ask-ok").textContent = confirm;
  $("ask-ok").classList.toggle("danger", danger);
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve({
      ok: dialog.returnValue === "ok", note: (note && $("ask-note").value.trim()) || null,
    }), { once: true });
  });
}
