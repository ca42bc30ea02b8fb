// Builds the SMART app's JavaScript into ../wwwroot/app (or the folder given as the first argument).
// The output is committed; `npm ci && npm run build` rebuilds it, and the E2E test suite checks that the committed
// files are exactly what this build makes from the sources (esbuild's output is deterministic for one version).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? path.join(here, "..", "wwwroot", "app"));

await build({
  absWorkingDir: here,
  entryPoints: ["src/launch.js", "src/app.js"],
  outdir,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  charset: "utf8",
  legalComments: "eof",
  // Modern browsers only: fhirclient's "pure" build, without its fetch polyfills; WebCrypto is the browser's own.
  define: { FHIRCLIENT_PURE: "true", "process.env.NODE_ENV": "\"production\"" },
  alias: { "isomorphic-webcrypto": "./src/webcrypto.js" },
  logLevel: "warning",
});
console.log(`built ${path.relative(process.cwd(), outdir) || "."}/launch.js and app.js`);
