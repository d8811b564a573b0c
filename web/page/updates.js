// The offline cache (sw.js) and site updates. A new version's service worker installs
// its files alongside the running one and then waits: the page offers to reload into it,
// and only when the person agrees does it take over (until then this tab keeps the files
// it started with). Long-lived tabs look for a new version every hour and when shown.

const CHECK_EVERY_MS = 60 * 60 * 1000;

/** Register sw.js. `onOffline()` once the site works offline; `onUpdate(reload)` when a
 * new version is installed and waiting, where `reload()` switches to it and reloads. */
export async function registerOffline({ onOffline, onUpdate }) {
  const sw = navigator.serviceWorker;
  const registration = await sw.register("./sw.js");
  sw.ready.then(onOffline);
  let accepted = false;
  const offer = (worker) => onUpdate(() => {
    accepted = true;
    worker.postMessage("skip-waiting");
  });
  // A new worker has taken over (here, or in another tab): this page's files are the
  // old version's, so reload now if asked, else offer to. (On a first visit the first
  // worker taking control is no new version.)
  let controlled = Boolean(sw.controller);
  sw.addEventListener("controllerchange", () => {
    if (accepted) location.reload();
    else if (controlled) onUpdate(() => location.reload());
    controlled = true;
  });
  if (registration.waiting && sw.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && sw.controller) offer(worker); // not the first install
      if (worker.state === "redundant" && !registration.active) {
        console.warn("the offline copy was not installed (a file did not arrive intact); "
          + "it is tried again on the next visit");
      }
    });
  });
  const check = () => registration.update().catch((err) => console.warn("could not look for a new version:", err));
  setInterval(check, CHECK_EVERY_MS);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") check(); });
  return registration;
}
