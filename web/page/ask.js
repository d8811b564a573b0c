// The one question the page asks in a modal dialog: a title (or the question itself),
// what to weigh or fill in, an optional note, and Cancel or a confirming button.
import { $ } from "./dom.js";

const closed = (dialog) => new Promise((resolve) => {
  dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
});

/** Ask `title`; `body` (nodes) shows what to weigh or fill in; `confirm` is the button's
 * text, `danger` marks it destructive; `note` (a length limit) offers a note field;
 * `submit()`, when given, runs on confirming: if it throws, its message shows in the
 * dialog, which stays open with what was typed. Resolves {ok, note}. */
export async function ask({ title, body = [], confirm, danger = false, note = 0, submit = null }) {
  const dialog = $("ask");
  dialog.classList.toggle("plain", !body.length);
  $("ask-title").textContent = title;
  $("ask-body").replaceChildren(...body);
  $("ask-note-field").hidden = !note;
  $("ask-note").value = "";
  if (note) $("ask-note").maxLength = note;
  $("ask-error").hidden = true;
  $("ask-ok").textContent = confirm;
  $("ask-ok").classList.toggle("danger", danger);
  for (;;) {
    dialog.returnValue = "";
    dialog.showModal();
    const answer = { ok: await closed(dialog), note: (note && $("ask-note").value.trim()) || null };
    if (!answer.ok || !submit) return answer;
    try {
      await submit();
      return answer;
    } catch (err) {
      $("ask-error").textContent = err.message;
      $("ask-error").hidden = false;
    }
  }
}
