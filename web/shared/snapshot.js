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

/** The stored snapshot as {meta, bytes}, or null when there is none (or no Cache
 * Storage): `meta` at once, `bytes` a promise, so that reading them (36 MB) overlaps the
 * start of a restore. A snapshot whose bytes and metadata do not match the digest stored
 * with them is dropped, and `bytes` rejects: restoring damaged memory could fail in ways
 * no error reports, so nothing may use the bytes before they are checked. */
export async function read() {
  if (!self.caches) return null;
  const hit = await caches.match(KEY, { cacheName: CACHE }); // (open() would create it)
  if (!hit) return null;
  const text = hit.headers.get(META) ?? "";
  const dropDamaged = async () => {
    console.warn("the runtime snapshot is damaged; dropping it");
    await drop();
  };
  let meta;
  try {
    meta = JSON.parse(text);
  } catch {
    await dropDamaged();
    return null;
  }
  const bytes = hit.arrayBuffer().then(async (buffer) => {
    const read = new Uint8Array(buffer);
    if (hit.headers.get(DIGEST) === await sha256(read, text)) return read;
    await dropDamaged();
    throw new Error("the runtime snapshot is damaged");
  });
  bytes.catch(() => {}); // the restore that awaits them reports it
  return { meta, bytes };
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
