// mlp_core.service.webapi.App from JavaScript: its methods take strings (JSON text, a version,
// a bit string) and return JSON text.

export class Python {
  /** `app` is the App PyProxy. */
  constructor(app) {
    this.app = app;
  }

  /** Call `method` with string arguments; returns its parsed JSON result. */
  call(method, ...args) {
    return JSON.parse(this.app[method](...args));
  }

  /** Call a method that returns nothing. */
  run(method, ...args) {
    this.app[method](...args);
  }
}
