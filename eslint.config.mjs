// ESLint for the site's JavaScript, as ruff is for the Python: `make lint` (part of
// `make test`) runs it. The recommended rules, plus the browser and worker globals each
// folder runs with.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["dist/", "build/", "node_modules/", ".venv/", "vendor/"] },
  js.configs.recommended,
  {
    files: ["web/**/*.js", "bench/**/*.js", "tests/pyodide/*.js"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser } },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "prefer-const": "error",
      "no-var": "error",
    },
  },
  {
    files: ["web/worker/**/*.js", "web/sw.js", "bench/**/*-worker.js"],
    languageOptions: { globals: { ...globals.worker, ...globals.serviceworker } },
  },
  {
    // The exported predictor runs in browsers and in Node (16+: atob is global there too).
    files: ["mlp_core/export/shipped/*.js"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ["eslint.config.mjs", "tests/pyodide/*.js", "tests/*.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
];
