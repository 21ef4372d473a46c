// Bundles web/assets/*.js and *.css (bpmn-js, dmn-js, Leaflet and our glue) into web/static/build/ with esbuild.
import * as esbuild from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "build");
mkdirSync(out, { recursive: true });

await esbuild.build({
  // Each entry imports its own stylesheet: esbuild writes viewer.js + viewer.css, modeler.js + modeler.css.
  // camunda-form.js draws Camunda Forms (.form) on task pages with form-js.
  entryPoints: [join(here, "viewer.js"), join(here, "modeler.js"), join(here, "place.js"), join(here, "camunda-form.js")],
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["es2020"],
  legalComments: "linked",
  loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".svg": "file", ".png": "file" },
  assetNames: "fonts/[name]-[hash]",
  jsx: "automatic",
  jsxImportSource: "@bpmn-io/properties-panel/preact",
  logLevel: "warning",
});
console.log(`assets built into ${out}`);
