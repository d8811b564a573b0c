// Drives Firefox ESR for the cross-engine tests (tests/engines.py) over WebDriver BiDi with
// puppeteer-core, which downloads no browser: it starts Debian's firefox-esr. One command
// per line on stdin, one answer per line on stdout, both JSON:
//   {"op": "goto", "url": ...} | {"op": "reload"} | {"op": "run", "script": ..., "arg": ...}
//   | {"op": "viewport", "width": ..., "height": ...}
//   -> {"value": ...} or {"error": "..."}
// `run` calls the page function `script` (its source) with `arg` and answers with what it
// returns. The process ends when stdin closes.
import puppeteer from "puppeteer-core";
import { createInterface } from "node:readline";

const NAVIGATION_MS = 60_000;

const browser = await puppeteer.launch({
  browser: "firefox",
  protocol: "webDriverBiDi",
  executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
  headless: true,
});
const page = await browser.newPage();

const ops = {
  goto: async ({ url }) => { await page.goto(url, { timeout: NAVIGATION_MS }); },
  reload: async () => { await page.reload({ timeout: NAVIGATION_MS }); },
  run: ({ script, arg }) => page.evaluate(`(${script})(${JSON.stringify(arg ?? null)})`),
  viewport: async ({ width, height }) => { await page.setViewport({ width, height }); },
};

const say = (answer) => process.stdout.write(`${JSON.stringify(answer)}\n`);
say({ value: await browser.version() }); // started
for await (const line of createInterface({ input: process.stdin })) {
  const { op, ...args } = JSON.parse(line);
  try {
    say({ value: (await ops[op](args)) ?? null });
  } catch (err) {
    say({ error: String(err?.message || err) });
  }
}
await browser.close();
