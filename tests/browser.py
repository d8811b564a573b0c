"""Browser test helpers: serve dist/ on localhost and drive Debian's Chromium."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import sys
import threading
from functools import partial
from pathlib import Path

import build

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]

# A page function: `promise`, or a rejection after `seconds`, so a wait in the page cannot
# hang a test (page.evaluate itself has no timeout).
WITHIN = """(promise, seconds) => Promise.race([promise, new Promise((_, no) =>
    setTimeout(() => no(new Error(`no answer in ${seconds} s`)), seconds * 1000))])"""


def chromium_path() -> str:
    """Debian's chromium (or Chrome on a developer machine); Playwright cannot download
    browsers here."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise RuntimeError("no Chromium found: `apt-get install chromium` (make test does)")


class _TestHandler(build._Handler):
    """Serves dist/, plus /__tests__/ from a second folder (test-only files)."""

    extra: Path | None = None

    def translate_path(self, path: str) -> str:
        if self.extra is not None and path.startswith("/__tests__/"):
            rel = path.split("?", 1)[0][len("/__tests__/"):]
            return str(self.extra / rel)
        return super().translate_path(path)


class _QuietServer(http.server.ThreadingHTTPServer):
    """Browsers drop connections they no longer need; that is not a test failure."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Server:
    """A threaded static server on 127.0.0.1 (any free port)."""

    def __init__(self, root: Path, extra: Path | None = None) -> None:
        handler = type("H", (_TestHandler,), {"extra": extra})
        self.httpd = _QuietServer(("127.0.0.1", 0),
                                                     partial(handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving: the port refuses connections from now on."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def hang(self) -> Hang:
        """Close, then take the port with a server that hangs (close it when done)."""
        self.close()
        return Hang(self.httpd.server_address[1])


class Hang:
    """A server that accepts connections on `port` and never answers."""

    def __init__(self, port: int) -> None:
        self.listener = socket.create_server(("127.0.0.1", port))  # SO_REUSEADDR
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):  # closed
            while True:
                self.held.append(self.listener.accept()[0])

    def close(self) -> None:
        self.listener.close()
        for conn in self.held:
            conn.close()


@contextlib.contextmanager
def app_page(browser, url: str, **options):
    """The app loaded and ready in a fresh browser context made with ``options``
    (``locale``, ``color_scheme``, ...), closed afterwards."""
    ctx = browser.new_context(**options)
    try:
        page = ctx.new_page()
        page.goto(url)
        page.evaluate("window.mlp.ready")
        yield page
    finally:
        ctx.close()
