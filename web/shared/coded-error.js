// Errors a person meets that the worker raises, under a stable message key with
// parameters: the error's message is the English catalogue's, and the page shows the
// same message in its own language (shared/i18n.js Translator.error).
import { translatorFor } from "./i18n.js";

const english = translatorFor("en");

/** An Error named `name` saying the message `key` with `params`; it carries both. */
export function codedError(key, params = {}, name = "Error") {
  const err = new Error(english.t(key, params));
  err.name = name;
  err.code = key;
  err.params = params;
  return err;
}
