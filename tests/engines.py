"""The three browser engines behind one small interface, for tests that run a journey in
each: Chromium (Playwright), Firefox ESR (puppeteer-core over WebDriver BiDi, in Node:
tests/firefox_driver.mjs) and WebKitGTK (Selenium and WebKitWebDriver, on a private Xvfb
display). Debian's packages provide the browsers; `make test` installs them.

Each engine has ``goto(url)``, ``reload()`` (both wait for the page's load event) and
``run(script, arg, seconds)``: call the page function ``script`` (JavaScript source, may be
async) with ``arg``, and return its JSON result; it fails after ``seconds``. Chromium and
Firefox can also ``resize(width, height)`` the viewport; WebKit ``enter_frame(selector)``
runs scripts in an iframe from then on, since a MiniBrowser window is at least 447 px wide.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAVIGATION_S = 60
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"


def _bounded(script: str, seconds: float) -> str:
    """`script` as a page function that returns its result as JSON text, or rejects after
    `seconds` (a wait in the page cannot hang a test)."""
    return f"""async (arg) => JSON.stringify(await Promise.race([({script})(arg),
        new Promise((_, no) => setTimeout(() => no(new Error("no answer in {seconds} s")),
                                          {seconds * 1000}))]))"""


def missing() -> list[str]:
    """What the cross-engine tests need and this machine lacks."""
    needs = {"firefox-esr": "firefox-esr", "WebKitWebDriver": "webkit2gtk-driver",
             "Xvfb": "xvfb", "node": "nodejs"}
    absent = [pkg for exe, pkg in needs.items() if not shutil.which(exe)]
    if not Path(MINIBROWSER).exists():
        absent.append("webkit2gtk-driver (MiniBrowser)")
    if not (ROOT / "node_modules" / "puppeteer-core").exists():
        absent.append("puppeteer-core (npm ci)")
    return absent


class Chromium:
    name = "chromium"

    def __init__(self, browser) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()

    def goto(self, url: str) -> None:
        self.page.goto(url, timeout=NAVIGATION_S * 1000)

    def reload(self) -> None:
        self.page.reload(timeout=NAVIGATION_S * 1000)

    def run(self, script: str, arg=None, seconds: float = 60):
        return json.loads(self.page.evaluate(_bounded(script, seconds), arg))

    def resize(self, width: int, height: int) -> None:
        self.page.set_viewport_size({"width": width, "height": height})

    def close(self) -> None:
        self.context.close()


class Firefox:
    name = "firefox"

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(ROOT / "tests" / "firefox_driver.mjs")], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.version = self._answer(NAVIGATION_S)

    def _answer(self, seconds: float):
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(seconds)
        if not line or not line[0]:
            self.close()
            raise RuntimeError(f"Firefox's driver gave no answer in {seconds} s: "
                               f"{self.process.stderr.read()[-2000:] if not line else 'it ended'}")
        answer = json.loads(line[0])
        if "error" in answer:
            raise RuntimeError(f"Firefox: {answer['error']}")
        return answer["value"]

    def _do(self, seconds: float, **command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._answer(seconds)

    def goto(self, url: str) -> None:
        self._do(NAVIGATION_S + 5, op="goto", url=url)

    def reload(self) -> None:
        self._do(NAVIGATION_S + 5, op="reload")

    def run(self, script: str, arg=None, seconds: float = 60):
        script = _bounded(script, seconds)
        return json.loads(self._do(seconds + 5, op="run", script=script, arg=arg))

    def resize(self, width: int, height: int) -> None:
        self._do(NAVIGATION_S, op="viewport", width=width, height=height)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _Xvfb:
    """A private X display (WebKitGTK needs one, even for automation)."""

    def __init__(self) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.process.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait()


class WebKit:
    name = "webkit"

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        self.xvfb = _Xvfb()
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        env = {**os.environ, "DISPLAY": self.xvfb.display}
        try:
            self.driver = webdriver.WebKitGTK(
                options=options, service=Service(shutil.which("WebKitWebDriver"), env=env))
        except Exception:
            self.xvfb.close()
            raise
        self.driver.set_page_load_timeout(NAVIGATION_S)

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def enter_frame(self, selector: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.switch_to.frame(self.driver.find_element(By.CSS_SELECTOR, selector))

    def reload(self) -> None:
        self.driver.refresh()

    def run(self, script: str, arg=None, seconds: float = 60):
        self.driver.set_script_timeout(seconds + 5)
        answer = self.driver.execute_async_script(
            f"""const done = arguments[arguments.length - 1];
            ({_bounded(script, seconds)})(arguments[0]).then((value) => done({{value}}),
                (err) => done({{error: String(err && err.message || err)}}));""", arg)
        if "error" in answer:
            raise RuntimeError(f"WebKit: {answer['error']}")
        return json.loads(answer["value"])

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.xvfb.close()
