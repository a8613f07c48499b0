// Every generated module passes `tsc --strict` with lib ES2022 only (no DOM, no Node types): proof that it
// uses no Node or browser API, and that it satisfies the GeneratedModule contract of src/module-api.ts.
// The modules are written to a temporary folder and checked by one spawn of the native tsc.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileSpec, compileSpecUnformatted } from "../../src/compile.js";
import { loadSpec } from "../../src/front/index.js";
import { randomSpec } from "../support/random-spec.js";
import { dense, dropout, lettersSpec, makeSpec } from "./specs.js";

const dir = mkdtempSync(join(tmpdir(), "nnc-typecheck-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("generated modules type-check strictly without Node or DOM types", () => {
  it("tsc --strict, lib ES2022, types [] accepts every module and its GeneratedModule conformance", async () => {
    const modules = new Map<string, string>();
    for (const file of readdirSync("specs").filter((f) => f.endsWith(".nn"))) {
      const compiled = await compileSpec(loadSpec(`specs/${file}`));
      modules.set(`spec_${compiled.fileName}`, compiled.text);
    }
    modules.set("letters_f32.ts", (await compileSpec(lettersSpec(), { precision: "f32" })).text);
    const everything = makeSpec(
      "everything",
      [dropout(3, 0.2), dense(3, 5, "leaky_relu", 0.1), dropout(5, 0.5), dense(5, 4, "relu"), dense(4, 3, "softmax")],
      "mse",
      { kind: "momentum", beta: 0.9, nesterov: true },
      {
        weightDecay: 1e-3,
        schedule: { kind: "cosine", min: 0, period: 3 },
        stop: [
          { kind: "early", monitor: "val_accuracy", patience: 1, minDelta: 0, range: null },
          { kind: "loss_below", value: 0.1, range: null },
        ],
      },
    );
    modules.set("everything.ts", (await compileSpec(everything)).text);
    for (let seed = 1; seed <= 40; seed++) modules.set(`random_${seed}.ts`, compileSpecUnformatted(randomSpec(seed)).text);

    const checks: string[] = ['import type { GeneratedModule } from "./module-api.js";'];
    let n = 0;
    for (const [name, text] of modules) {
      writeFileSync(join(dir, name), text);
      checks.push(`import * as m${n} from "./${name.replace(/\.ts$/, ".js")}";`, `export const c${n}: GeneratedModule = m${n};`);
      n++;
    }
    copyFileSync("src/module-api.ts", join(dir, "module-api.ts"));
    writeFileSync(join(dir, "conformance.ts"), checks.join("\n") + "\n");
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "ES2022",
          moduleResolution: "bundler",
          lib: ["ES2022"],
          types: [],
          skipLibCheck: false,
        },
        include: ["*.ts"],
      }),
    );
    const tsc = spawnSync(resolve("node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
    expect(modules.size).toBeGreaterThan(40);
  });

  it("the same configuration refuses Node and DOM APIs (control)", () => {
    const control = join(dir, "control");
    mkdirSync(control);
    writeFileSync(join(control, "uses-node.ts"), "export const argv: string[] = process.argv;\nexport const doc = document.title;\n");
    writeFileSync(
      join(control, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", lib: ["ES2022"], types: [] }, include: ["*.ts"] }),
    );
    const tsc = spawnSync(resolve("node_modules/.bin/tsc"), ["-p", control], { encoding: "utf8" });
    expect(tsc.status).not.toBe(0);
    expect(tsc.stdout).toContain("process");
    expect(tsc.stdout).toContain("document");
  });
});
