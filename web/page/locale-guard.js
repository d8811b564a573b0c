// A browser language that Intl rejects (WebKitGTK reports "C" under the C locale) makes
// code that formats with navigator.language throw while its module loads (uPlot does),
// and the page would never start. Such a browser is presented as English ("en-US"), as
// the catalogues already fall back to English. Imported first, before any such module.
const valid = (tag) => {
  try {
    return Boolean(new Intl.NumberFormat(tag));
  } catch {
    return false;
  }
};

if (!valid(navigator.language)) {
  const languages = (navigator.languages ?? []).filter(valid);
  Object.defineProperty(navigator, "language", { get: () => languages[0] ?? "en-US", configurable: true });
  Object.defineProperty(navigator, "languages", { get: () => (languages.length ? languages : ["en-US"]), configurable: true });
}
