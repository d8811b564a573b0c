// Service worker: precaches the whole site so it works offline after the first visit.
// build.py fills in VERSION (a hash over every file) and FILES: [URL, SHA-256 as
// Subresource Integrity] for every file of the site.
const VERSION = "__VERSION__";
const FILES = [/* __FILES__ */];
const PREFIX = "letter-recognizer-";
const CACHE = PREFIX + VERSION;

// A new version installs next to the running one and waits until the page asks it to
// take over (page/updates.js: the person chose to reload). The first one takes over at once.
// Each file must match its hash: a damaged or stale download fails the install (all or
// nothing), to be tried again on the next visit, instead of being served from then on.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(
      FILES.map(([url, integrity]) => new Request(url, { cache: "no-cache", integrity })))),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Every file of the site comes from the precache, the runtime included, so a server that
// is down or hangs changes nothing once the site is installed: no request waits for the
// network. (`navigator.onLine` cannot tell: it stays true when only the server is gone.)
// Leaving pyodide.asm.wasm to the HTTP cache while online once saved Chromium 0.4 s of a
// warm start (V8's compiled-code cache); with the runtime snapshot it no longer does:
// warm starts 1629 ms that way, 1453 ms from the precache (medians of 5, docs/browsers.md).
// A request for a file outside the site's list goes to the network, and fails if no
// response headers arrive within HEADERS_WITHIN_MS (there is no copy to fall back to).
const HEADERS_WITHIN_MS = 3000;

function fromNetwork(request) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer in ${HEADERS_WITHIN_MS} ms`)),
    HEADERS_WITHIN_MS);
  return fetch(request, { signal: abort.signal }).finally(() => clearTimeout(timer));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch: true }))
      .then((hit) => hit || fromNetwork(request)),
  );
});
