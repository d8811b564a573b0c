// Watches the Python worker's start. Pyodide does not always reject when a file fails to
// arrive or is damaged (a corrupt wasm file leaves it waiting forever), and a download
// can stall forever; either way the page must say so and offer Retry. While watching,
// `onFailure` gets an error for a fetch that fails (network or HTTP error), a download
// that gets no data from the network for `stallMs` (followed on a copy of its body, so
// Pyodide reads it as it would anyway), and a start where nothing arrives and no step is
// done for `stallMs` (call `progress()` when a step is done): e.g. a script Pyodide
// imports instead of fetching, or a damaged file.
import { codedError } from "../shared/coded-error.js";

const fileName = (url) => decodeURIComponent(new URL(url, self.location.href).pathname.split("/").pop());

/** The bytes at `url` (a file fetched after the start: data files, the runtime's later
 * parts); a failure is a coded error naming the file. */
export async function download(url) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    throw codedError("worker.download_failed", { file: fileName(url), why: err.message }, "DownloadFailed");
  }
}

/** Start watching. `onBytes(name, bytes)` hears of every chunk of data that arrives.
 * Returns {progress(), arrived(names), stop()}: `arrived` resolves once a download of
 * each of `names` has received its last byte. */
export function watchDownloads({ stallMs, onFailure, onBytes = () => {} }) {
  const realFetch = self.fetch;
  const active = new Set(); // {name, last, waiting}: downloads not finished yet
  const done = new Map(); // file name -> {promise, resolve}: its download has arrived
  const arrival = (name) => {
    if (!done.has(name)) {
      let resolve;
      const promise = new Promise((r) => { resolve = r; });
      done.set(name, { promise, resolve });
    }
    return done.get(name);
  };
  let lastProgress = performance.now(); // a download finished or a step was done
  // `why`: what went wrong (the browser's words, or an HTTP status); null: it stalled.
  const fail = (download, why) => {
    active.delete(download);
    const err = why === null
      ? codedError("worker.download_stalled", { file: download.name, seconds: Math.round(stallMs / 1000) }, "DownloadFailed")
      : codedError("worker.download_failed", { file: download.name, why }, "DownloadFailed");
    err.file = download.name;
    onFailure(err);
    return err;
  };

  self.fetch = async (input, init) => {
    const download = {
      name: fileName(input instanceof Request ? input.url : String(input)),
      last: performance.now(),
      waiting: true, // for the network, until the last byte has arrived
    };
    active.add(download);
    let response;
    try {
      response = await realFetch.call(self, input, init);
    } catch (err) {
      throw fail(download, err?.message || String(err));
    }
    if (!response.ok) throw fail(download, `HTTP ${response.status}`);
    if (!response.body) {
      active.delete(download);
      return response;
    }
    // Follow the data on a copy of the body and hand Pyodide the response untouched
    // (a rebuilt Response would lose what lets the browser reuse compiled wasm).
    download.last = performance.now();
    lastProgress = download.last;
    const copy = response.clone().body.getReader();
    (async () => {
      for (;;) {
        const { done: last, value } = await copy.read();
        download.last = lastProgress = performance.now();
        if (last) break;
        onBytes(download.name, value.byteLength);
      }
      active.delete(download);
      arrival(download.name).resolve();
    })().catch((err) => fail(download, err?.message || String(err)));
    return response;
  };

  const seconds = Math.round(stallMs / 1000);
  const timer = setInterval(() => {
    const now = performance.now();
    let waiting = false;
    for (const download of active) {
      if (!download.waiting) continue;
      waiting = true;
      if (now - download.last > stallMs) fail(download, null);
    }
    if (!waiting && now - lastProgress > stallMs) {
      lastProgress = now;
      onFailure(codedError("worker.no_progress", { seconds }));
    }
  }, 500);

  return {
    progress() { lastProgress = performance.now(); },
    arrived: (names) => Promise.all(names.map((name) => arrival(name).promise)),
    stop() {
      clearInterval(timer);
      self.fetch = realFetch;
    },
  };
}
