// A classic script, run before the page's modules. If a module fails to load or throws
// before the page has started (window.mlp), or the modules have not started 10 s after the
// page began, it says so with what to do, instead of leaving "starting…" on screen.
// The translations load with the modules, so it speaks both languages, as <noscript> does.
// Once the page has started, its own error handling (main.js) takes over.
(() => {
  const WAIT_MS = 10_000;
  let shown = false;

  function show(what) {
    if ("mlp" in window || shown) return;
    shown = true;
    const box = document.getElementById("load-error");
    box.hidden = false;
    box.textContent = `The page could not start (${what}). Reload it; if that does not help, `
      + "update your browser or try another one. · La página no pudo arrancar "
      + `(${what}). Vuelve a cargarla; si no sirve, actualiza el navegador o prueba otro.`;
    const retry = document.getElementById("retry");
    retry.hidden = false;
    retry.addEventListener("click", () => location.reload());
  }

  // Once the document is parsed (not DOMContentLoaded: that waits for the modules).
  const whenRead = (fn) => (document.readyState === "loading"
    ? document.addEventListener("readystatechange", fn, { once: true }) : fn());
  // Capture: a script that fails to load fires "error" at its element, not at the window.
  window.addEventListener("error", (e) => {
    const script = e.target instanceof HTMLScriptElement ? e.target.src : null;
    if (!script && !(e instanceof ErrorEvent)) return; // an image or a style sheet
    const what = script ? `${new URL(script).pathname.split("/").pop()} did not load` : e.message;
    whenRead(() => show(what));
  }, true);
  window.addEventListener("unhandledrejection", (e) => {
    whenRead(() => show(String(e.reason?.message || e.reason)));
  });
  setTimeout(() => whenRead(() => show(`its scripts did not start within ${WAIT_MS / 1000} s`)), WAIT_MS);
})();
