"""Write tests/fixtures/stored/db<N>/: what the built site stores, made by the site itself.

Drives the built site (dist/) in Chromium the way a person would use it: two models
trained, one promoted with a note and tags and then rolled back, a letter of their own
("x") with examples, examples of b, d and f and one of "none of these", and predictions
logged with the other model in shadow mode, one labelled and one dismissed. Then it dumps
every IndexedDB store as stored (db.json), the project file (project.json) and an
exported bundle of every model (bundle.json). N is the database's DB_VERSION.

Run it once per DB_VERSION, when the version changes, and commit the result beside the
older ones: tests/test_formats.py reads every version's fixtures with today's code, so
each stays readable by every later version. `python scripts/write_stored_fixtures.py`
(after `make build`).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM_ARGS, Server, chromium_path  # noqa: E402
from drawings import DRAWINGS, as_bits  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

X = ["#........#", ".#......#.", "..#....#..", "...#..#...", "....##....",
     "....##....", "...#..#...", "..#....#..", ".#......#.", "#........#"]

USE = """async ({ drawings, x }) => {
    const m = window.mlp;
    await m.ready;
    const small = (seed) => ({ hyperparameters: { hidden_layer_sizes: [12], max_epochs: 8,
                                                  seed }, data: { n_samples: 300 } });
    const first = await m.train(small(1));
    const second = await m.train(small(2));
    await m.registry.setProduction(first.version, "fixture: promoted by hand");
    await m.registry.update(first.version, { notes: "the first small model",
                                             tags: ["fixture", "small"] });
    await m.registry.rollback("fixture: rolled back");
    await m.classes.add("x", x);
    for (const split of ["train", "train", "test"]) await m.samples.add("x", x, { split });
    for (const [label, patterns] of Object.entries(drawings)) {
        for (const [i, p] of patterns.entries()) {
            await m.samples.add(label, p, { split: i % 3 === 2 ? "test" : "train" });
        }
    }
    const dash = Array.from({ length: 100 }, (_, i) => (i >= 40 && i < 50 ? 1 : 0));
    await m.samples.add("(none)", dash, { split: "test" });  // "none of these" (DB 5)
    const production = (await m.health()).model_version;
    await m.monitoring.setShadow(production === first.version ? second.version : first.version);
    for (const patterns of Object.values(drawings)) {
        await m.predict(patterns[0]);
        await m.monitoring.settle();
    }
    await m.monitoring.summary(); // writes the pending log entries (with the shadow's answers)
    await m.monitoring.label(1, "b");  // reviewed: labelled, and kept in the log (DB 5)
    await m.monitoring.dismiss(2);     // reviewed: dismissed
    return { first: first.version, second: second.version };
}"""

DUMP = """async () => {
    const db = await new Promise((ok, no) => {
        const open = indexedDB.open("letter-recognizer");
        open.onsuccess = () => ok(open.result);
        open.onerror = () => no(open.error);
    });
    const out = { version: db.version, stores: {} };
    for (const name of db.objectStoreNames) {
        const tx = db.transaction(name, "readonly");
        const store = tx.objectStore(name);
        const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()]
            .map((r) => new Promise((ok) => { r.onsuccess = () => ok(r.result); })));
        out.stores[name] = { keyPath: store.keyPath, autoIncrement: store.autoIncrement,
                             records: keys.map((key, i) => ({ key, value: values[i] })) };
    }
    db.close();
    return out;
}"""


# The JSON text of what `mlp.<path>()` resolves to.
AS_TEXT = """async (path) => {
    const [group, op] = path.split(".");
    const value = await window.mlp[group][op]();
    return typeof value === "string" ? value : JSON.stringify(value);
}"""


def db_version() -> int:
    source = (ROOT / "web" / "worker" / "storage.js").read_text()
    return int(re.search(r"^const DB_VERSION = (\d+);", source, re.M).group(1))


def main() -> None:
    out = ROOT / "tests" / "fixtures" / "stored" / f"db{db_version()}"
    out.mkdir(parents=True, exist_ok=True)
    drawings = {k: [as_bits(d) for d in DRAWINGS[k][:3]] for k in ("b", "d", "f")}
    server = Server(ROOT / "dist")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url)
            made = page.evaluate(USE, {"drawings": drawings, "x": as_bits(X)})
            files = {
                "db.json": page.evaluate(DUMP),
                "project.json": json.loads(page.evaluate(AS_TEXT, "project.export")),
                "bundle.json": json.loads(page.evaluate(AS_TEXT, "registry.export")),
            }
            browser.close()
    finally:
        server.close()
    for name, data in files.items():
        (out / name).write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {out.relative_to(ROOT)}: models {made}")


if __name__ == "__main__":
    main()
