// Accessible tabs (WAI-ARIA tabs pattern): click or arrow keys switch panels.

/** Wire every [role=tab] inside `tablist`; `onShow(panelId)` is told which panel opened. */
export function setupTabs(tablist, onShow = () => {}) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const show = (tab, focus = true) => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) tab.focus();
    onShow(tab.getAttribute("aria-controls"));
  };
  tablist.addEventListener("click", (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) show(tab);
  });
  tablist.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (i < 0 || next === undefined) return;
    e.preventDefault();
    show(tabs[(next + tabs.length) % tabs.length]);
  });
  return { show: (id) => show(tabs.find((t) => t.getAttribute("aria-controls") === id), false) };
}
