// A memory snapshot of the Python runtime with NumPy and mlp_core imported, kept in Cache
// Storage, with what relinking its compiled extensions needs (worker/dynlibs.js). The page
// stores it (page/next-visit.js) and the Python worker reads it: WebKit keeps no entry
// that a dedicated worker puts in Cache Storage, while the page's entries are kept.
// Later visits restore it instead of starting Python and importing again. It uses Pyodide's private
// `_makeSnapshot`/`_loadSnapshot` options (0.27), so every failure falls back to a
// normal start. Keyed by the site's runtime (a digest over Pyodide's files, its standard
// library and the wheels): a new site version with another runtime makes a new one.
import { RUNTIME } from "./runtime.generated.js";

const PREFIX = "pyodide-snapshot-";
const CACHE = `${PREFIX}${RUNTIME}`;
// Cache Storage wants a URL as the key; nothing is ever fetched from it.
const KEY = new URL("../pyodide/runtime.snapshot", import.meta.url).href;

const DIGEST = "x-snapshot-sha256";
const META = "x-snapshot-meta"; // JSON: what restoring needs besides the bytes

async function hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** SHA-256 (hex) of the snapshot's bytes, then of its metadata text. */
async function sha256(bytes, meta) {
  return `${await hex(bytes)} ${await hex(new TextEncoder().encode(meta))}`;
}

/** The stored snapshot as {bytes, meta}, or null when there is none (or no Cache
 * Storage). A snapshot whose bytes and metadata do not match the digest stored with them
 * is dropped: restoring damaged memory could fail in ways no error reports. */
export async function read() {
  if (!self.caches) return null;
  const hit = await caches.match(KEY, { cacheName: CACHE }); // (open() would create it)
  if (!hit) return null;
  const bytes = new Uint8Array(await hit.arrayBuffer());
  const meta = hit.headers.get(META) ?? "";
  if (hit.headers.get(DIGEST) !== await sha256(bytes, meta)) {
    console.warn("the runtime snapshot is damaged; dropping it");
    await drop();
    return null;
  }
  return { bytes, meta: JSON.parse(meta) };
}

/** Store `bytes` as the snapshot, with `meta` (JSON-able), dropping those of other
 * Pyodide versions and runtimes. */
export async function save(bytes, meta) {
  const old = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE);
  await Promise.all(old.map((k) => caches.delete(k)));
  const text = JSON.stringify(meta);
  const headers = {
    [DIGEST]: await sha256(bytes, text), [META]: text, "content-type": "application/octet-stream",
  };
  await (await caches.open(CACHE)).put(KEY, new Response(bytes, { headers }));
}

/** Forget the snapshot (e.g. one that failed to load). */
export async function drop() {
  if (self.caches) await caches.delete(CACHE);
}
