// Service worker: precaches the whole site so it works offline after the first visit.
// build.py fills in VERSION (a hash over every file) and FILES.
const VERSION = "__VERSION__";
const FILES = [/* __FILES__ */];
const PREFIX = "letter-recognizer-";
const CACHE = PREFIX + VERSION;

// A new version installs next to the running one and waits until the page asks it to
// take over (page/updates.js: the person chose to reload). The first one takes over at once.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: "no-cache" })))),
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

// Pyodide's pyodide.asm.wasm and pyodide.asm.js are left to the browser while online:
// V8 reuses their compiled code only for responses from the HTTP cache, not from a
// service worker (measured on a second visit: Python runtime ready in 1.23-1.26 s instead
// of 1.65-1.9 s). Everything else, and those two when offline, comes from the precache.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (/\.asm\.(wasm|js)$/.test(url.pathname) && self.navigator.onLine) return;
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch: true }))
      .then((hit) => hit || fetch(request)),
  );
});
