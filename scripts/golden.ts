// Golden cases of the code generator: test/golden/<case>/ holds input.nn (a spec, parsed by the front end)
// or spec.json (an IR written by hand), and expected.ts, the whole generated module. The test compares;
// `npm run golden:update` rewrites every expected.ts (then review the diff before committing).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Spec } from "../src/ir.js";
import { compileSpec } from "../src/compile.js";
import { parseSpec, formatDiagnostics } from "../src/front/index.js";

export const GOLDEN_DIR = "test/golden";

export function goldenCases(): string[] {
  return readdirSync(GOLDEN_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The module text a golden case must produce. */
export async function renderGolden(name: string): Promise<string> {
  const dir = join(GOLDEN_DIR, name);
  const nn = join(dir, "input.nn");
  let spec: Spec;
  if (existsSync(nn)) {
    const source = readFileSync(nn, "utf8");
    const parsed = parseSpec(source, nn);
    if (parsed.spec === null) throw new Error(formatDiagnostics(parsed.diagnostics, source));
    spec = parsed.spec;
  } else {
    spec = JSON.parse(readFileSync(join(dir, "spec.json"), "utf8")) as Spec;
  }
  return (await compileSpec(spec)).text;
}
