// The page's translator, made once before any view renders: views import `i18n` and call
// i18n.t(key, params), i18n.pct(p), i18n.date(iso). Changing the language reloads the
// page (page/main.js), so it never changes underneath them.
import { loadLanguage } from "../shared/i18n.js";
import { NONE_LABEL } from "../shared/limits.generated.js";

export const i18n = loadLanguage();

/** A label as people read it: NONE_LABEL ("(none)") is "none of these". */
export const labelName = (label) => (label === NONE_LABEL ? i18n.t("result.none_of_these") : label);
