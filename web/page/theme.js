// The colour theme: the system's (prefers-color-scheme) unless the person chose light or
// dark, remembered on this device. app.css holds every colour as light-dark(light, dark);
// this module only says which applies. Canvas drawings (thumbnails, charts) read
// colours through `palette` and redraw on the document's "themechange" event.

const KEY = "letter-recognizer-theme";
export const THEMES = ["system", "light", "dark"];

/** The remembered choice ("system" when none, or storage is unavailable). */
export function savedTheme() {
  try {
    const saved = localStorage.getItem(KEY);
    return THEMES.includes(saved) ? saved : "system";
  } catch {
    return "system";
  }
}

/** Apply `choice` (one of THEMES) and remember it. */
export function applyTheme(choice) {
  const root = document.documentElement;
  if (choice === "system") delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    localStorage.setItem(KEY, choice);
  } catch (err) {
    console.warn("the theme choice could not be remembered:", err);
  }
  document.dispatchEvent(new Event("themechange"));
}

// Colours measured once per theme: charts ask for them on every draw. The cache belongs
// to the document, which is what a theme changes.
const measured = new Map();
document.addEventListener("themechange", () => measured.clear(), { capture: true });

/** The current values of app.css colours `names` (without "--"), as rgb() strings. */
export function palette(...names) {
  const missing = names.filter((name) => !measured.has(name));
  if (missing.length) {
    const probe = document.createElement("span");
    probe.hidden = true;
    document.body.append(probe);
    for (const name of missing) {
      probe.style.color = `var(--${name})`;
      measured.set(name, getComputedStyle(probe).color);
    }
    probe.remove();
  }
  return Object.fromEntries(names.map((name) => [name, measured.get(name)]));
}

/** Set up the theme: apply the remembered choice, follow the system's changes, and let
 * `select` (a <select> of THEMES) choose. */
export function setupTheme(select) {
  const choice = savedTheme();
  applyTheme(choice);
  select.value = choice;
  select.addEventListener("change", () => applyTheme(select.value));
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    if (savedTheme() === "system") document.dispatchEvent(new Event("themechange"));
  });
}
