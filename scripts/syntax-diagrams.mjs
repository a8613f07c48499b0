// Regenerates docs/syntax.html (the .nn syntax for people: railroad diagrams of the statements, drawn from
// the parser's grammar, and the lists of layer kinds, activations and options from the validator's tables)
// with syntaxPage() from scripts/syntax-page.ts, which has the details.
// Usage: npm run syntax-diagrams   (bundles scripts/syntax-page.ts with esbuild in memory, no files left behind).
import { build } from "esbuild";
import { renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundled = await build({
  entryPoints: [join(root, "scripts/syntax-page.ts")],
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
  logLevel: "warning",
});
const { syntaxPage } = await import("data:text/javascript;base64," + Buffer.from(bundled.outputFiles[0].text).toString("base64"));
const out = join(root, "docs/syntax.html");
writeFileSync(out + ".tmp", syntaxPage(root));
renameSync(out + ".tmp", out);
console.log(`wrote ${out}`);
