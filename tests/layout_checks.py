"""Page functions that judge the layout in place, shared by the Chromium layout tests and
the Firefox and WebKit ones (plain JavaScript sources, no Playwright in them).

Views change the window and the text in the running page: a constructed style sheet (CSP
allows CSSOM, not inline <style>) doubles the root font size, as a browser's text size
setting does, or puts DejaVu Sans Mono in place of every font the page names.
"""

from __future__ import annotations

# name -> (width, height, style). "text-200": the root font size doubled; "mono": Debian's
# fonts-dejavu-core monospace face for every element, wider than any sans-serif.
VIEWS = {
    "laptop": (1280, 800, ""),
    "phone": (390, 844, ""),
    "reflow-320": (320, 640, ""),
    "phone-text-200": (390, 844, "text-200"),
    "laptop-text-200": (1280, 800, "text-200"),
    "phone-mono": (390, 844, "mono"),
}
STYLES = {
    "": "",
    "text-200": ":root { font-size: 200%; }",
    "mono": '*, *::before, *::after { font-family: "DejaVu Sans Mono" !important; }',
}
TABS = ("tab-model", "tab-train", "tab-models", "tab-data", "tab-monitoring")

# Apply a test style (STYLES' text), replacing any earlier one; resolves once fonts settle.
RESTYLE = """async (css) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = css ? [sheet] : [];
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return getComputedStyle(document.documentElement).fontSize;
}"""

# What is wrong with the layout as it stands, as a list of findings (empty: it fits):
# - the page scrolls sideways;
# - an element sticks out of the page (the deepest such element, not its ancestors);
# - a control cannot be reached: out of the page to the left, or cut by a box that hides
#   its overflow (scrolling boxes are fine: their content is reached by scrolling);
# - text spills out of its own box (a button, a cell, a term) or is cut inside it;
# - with `targets`, a button, select or grid cell smaller than 24 x 24 CSS px.
# `root` limits the search to one element (a dialog); hidden elements are skipped.
CHECK = """(args) => {
    const { root: rootSelector, targets } = args || {};
    const page = document.documentElement;
    const width = page.clientWidth;
    const root = rootSelector ? document.querySelector(rootSelector) : document.body;
    const findings = [];
    const name = (el) => {
        const text = (el.getAttribute("aria-label") || el.textContent || el.value || "")
            .trim().replace(/\\s+/g, " ").slice(0, 40);
        const cls = typeof el.className === "string" && el.className
            ? "." + el.className.trim().split(/\\s+/).join(".") : "";
        return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} "${text}"`;
    };
    const scrolls = (el) => /auto|scroll/.test(getComputedStyle(el).overflowX);
    const clips = (el) => /hidden|clip/.test(getComputedStyle(el).overflowX);
    // Text for screen readers only: a 1 x 1 px box that hides its overflow.
    const spoken = (el) => {
        for (let a = el; a && a !== page; a = a.parentElement) {
            const r = a.getBoundingClientRect();
            if (r.width <= 1 && r.height <= 1 && clips(a)) return true;
        }
        return false;
    };
    const shown = (el) => el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== "hidden" && !spoken(el);
    // The box that lets `el` be seen: the nearest ancestor that scrolls or clips sideways.
    const boxOf = (el) => {
        for (let a = el.parentElement; a && a !== page; a = a.parentElement) {
            if (scrolls(a) || clips(a)) return a;
        }
        return null;
    };
    if (page.scrollWidth > width) {
        findings.push(`the page scrolls sideways: ${page.scrollWidth} px in ${width}`);
    }
    const all = [...root.querySelectorAll("*")].filter((el) =>
        !el.closest("canvas, svg, .uplot, option") && shown(el));
    const out = new Set(all.filter((el) => {
        const r = el.getBoundingClientRect();
        // its box, or what overflows it (WebKit's file input spills its button)
        const spills = !el.matches("html, body") && !scrolls(el) && !clips(el);
        const right = Math.max(r.right, spills ? r.left + el.scrollWidth : 0);
        return r.width > 0 && (right > width + 0.5 || r.left < -0.5) && !boxOf(el);
    }));
    for (const el of out) {
        if (![...el.children].some((c) => out.has(c))) {
            const r = el.getBoundingClientRect();
            const span = `${Math.round(r.left)}..${Math.round(r.right)} of ${width}`;
            findings.push(`sticks out of the page: ${name(el)} ${span}`);
        }
    }
    const controls = all.filter((el) => el.matches(
        "button, select, input:not([type=file]):not(.sr-only), a[href], summary, .file-button"));
    for (const el of controls) {
        const r = el.getBoundingClientRect();
        const box = boxOf(el);
        if (box && clips(box)) {
            const b = box.getBoundingClientRect();
            if (r.left < b.left - 0.5 || r.right > b.right + 0.5) {
                findings.push(`out of reach, cut by ${name(box)}: ${name(el)}`);
            }
        }
        const small = r.width < 24 - 0.01 || r.height < 24 - 0.01;
        if (targets && small && !el.matches("input, a, #grid button")) {
            const size = `${r.width.toFixed(1)} x ${r.height.toFixed(1)}`;
            findings.push(`smaller than 24 x 24 px: ${name(el)} ${size}`);
        }
    }
    const texts = all.filter((el) => el.matches(
        "button, label, td, th, dt, dd, strong, li, p, h1, h2, h3, legend, summary, select, .badge")
        && getComputedStyle(el).display !== "inline");
    for (const el of texts) {
        if (scrolls(el) || el.matches("#grid button")) continue;
        if (el.scrollWidth > el.clientWidth + 1) {
            const size = `${el.scrollWidth} px in ${el.clientWidth}`;
            findings.push(`text does not fit its box: ${name(el)} ${size}`);
        }
    }
    return findings;
}"""

# Every tab selected in turn and every dialog opened, each judged with CHECK once it has
# rendered; plus the tab buttons that cannot be scrolled into view whole, and a dialog or
# its confirm button outside the window. `dialogs`: [name, the aria-label of the Models
# tab's button that opens it]. Waits are bounded (10 s each).
TOUR = """async ({ tabs, dialogs, targets }) => {
    const check = CHECK;
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const until = async (what, done) => {
        for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
        if (!done()) throw new Error(`${what} in 10 s`);
        await frames();
    };
    const outside = (el) => {
        const r = el.getBoundingClientRect();
        return r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5
            || r.bottom > innerHeight + 0.5 || r.width < 1;
    };
    const select = async (id) => {
        document.getElementById(id).click();
        // the panel has rendered what it fetches (Monitoring reads the log on show)
        await until(`no ${id} panel`, () =>
            document.getElementById(id).getAttribute("aria-selected") === "true"
            && !document.querySelector('[role="tabpanel"][aria-busy="true"]'));
    };
    const findings = [];
    for (const id of tabs) {
        await select(id);
        findings.push(...check({ targets }).map((f) => `${id}: ${f}`));
        for (const tab of tabs) {
            const button = document.getElementById(tab);
            button.scrollIntoView({ block: "nearest", inline: "nearest" });
            if (outside(button)) findings.push(`${id}: the ${tab} button is out of reach`);
        }
    }
    const dialog = document.getElementById("ask");
    for (const [name, label] of dialogs) {
        await select("tab-models");
        document.querySelector(`button[aria-label="${label}"]`).click();
        await until(`no ${name} dialog`, () => dialog.open
            && (name !== "promote" || dialog.querySelector('[data-testid="gate-table"]')));
        if (outside(dialog)) findings.push(`${name} dialog: outside the window`);
        if (outside(document.getElementById("ask-ok"))) {
            findings.push(`${name} dialog: its button is out of view`);
        }
        findings.push(...check({ root: "#ask", targets }).map((f) => `${name} dialog: ${f}`));
        dialog.querySelector('button[value="cancel"]').click();
        await until(`the ${name} dialog stays open`, () => !dialog.open);
    }
    return findings;
}""".replace("CHECK;", CHECK + ";", 1)
