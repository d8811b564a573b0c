// The catalogues the page speaks, by language code: written by `python build.py build`,
// one import per file in locales/ (adding a language is adding its file).
export const CATALOGUES = {};
