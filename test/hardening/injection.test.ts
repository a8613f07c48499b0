// No code injection through a spec. Everything a spec author (or whoever names the spec file) controls
// either becomes a safe identifier or string in the generated module, or is refused with a diagnostic:
// - model names with quotes, backticks, `${…}`, `*/`, newlines, NUL, slashes, look-alike or bidi
//   characters are refused (NN015 or a syntax error); legal names that are special in JavaScript
//   (`__proto__`, `constructor`, reserved words) only ever appear inside a JSON string literal;
// - data paths never reach the module at all (the module is identical whatever they say);
// - the spec's file name appears only in the header comment, escaped so it cannot end the comment;
// - modules built from hostile specs type-check strictly, load without touching globals, and work;
// - output paths derived from the name (`generated/<name>.ts`, `runs/<name>/`) stay inside their folder.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compile, compileSpecUnformatted } from "../../src/compile.js";
import { parseSpec } from "../../src/front/index.js";
import { loadModule } from "../../src/harness/load.js";
import { commentSafe } from "../../src/emit/header.js";

const NET = "layer fc 2->3 tanh\nlayer fc 3->1 sigmoid\nloss crossentropy\nsgd lr=0.5 epochs=2 batch=2\n";
const HASH = /[0-9a-f]{64}/g;

/** The module text for `source`, with the spec hash (which changes with any byte of the source) masked. */
function moduleText(source: string, fileName = "spec.nn"): string {
  const { spec, diagnostics } = parseSpec(source, fileName);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return compileSpecUnformatted(spec!).text.replace(HASH, "HASH");
}

/** Property names of the global object and Object.prototype: loading a module must not change them. */
function globalsSnapshot(): string {
  return JSON.stringify([
    Object.getOwnPropertyNames(globalThis).sort(),
    Object.getOwnPropertyNames(Object.prototype).sort(),
    Object.getOwnPropertyNames(Array.prototype).sort(),
  ]);
}

/** Loads a module and checks it does its job: right name, finite predictions, a training step that changes nothing global. */
async function loadAndUse(text: string, name: string): Promise<void> {
  const before = globalsSnapshot();
  const m = await loadModule(text);
  expect(m.meta.name).toBe(name);
  const params = m.createParameters();
  const xs = Float64Array.from([0.1, 0.2, -0.3, 0.4]);
  const ys = Float64Array.from([1, 0]);
  const report = m.train(params, xs, ys, 2);
  expect(report.epochs).toBe(2);
  const out = m.predict(params, Float64Array.from([0.5, -0.5]));
  expect(Number.isFinite(out[0]!)).toBe(true);
  expect(m.loadWeights(JSON.parse(JSON.stringify(m.saveWeights(params))))).toEqual(params);
  expect(globalsSnapshot()).toBe(before);
  expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
}

const typecheckDir = mkdtempSync(join(tmpdir(), "nnc-hostile-"));
afterAll(() => rmSync(typecheckDir, { recursive: true, force: true }));
/** Modules collected by the tests below, type-checked together at the end. */
const toTypecheck = new Map<string, string>();

describe("model names", () => {
  const refused = [
    'a"b',
    "a'b",
    "a`b",
    "a${globalThis.pwned=1}",
    "a*/b",
    "a/*b",
    "a\\b",
    "a;b",
    "a\u0000b",
    "a\u2028b",
    "a\u202eb",
    "../../etc/passwd",
    "/abs/path",
    "a/b",
    "a.b",
    "..",
    ".",
    "-a",
    "1abc",
    "\u0430dam" /* Cyrillic а */,
    "caf\u00e9",
    "a\u200bb",
    "x\nglobalThis.pwned = 1",
    "名前",
    "a b",
  ];
  it.each(refused.map((n) => [JSON.stringify(n), n]))("refuses %s with a positioned diagnostic", (_label, name) => {
    const source = `model ${name}\n${NET}`;
    const { spec, diagnostics } = parseSpec(source, "hostile.nn");
    expect(spec).toBeNull();
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    for (const d of errors) {
      expect(d.code).toMatch(/^NN0(0[1-9]|1\d|[2-5]\d)$/);
      expect(d.range.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  it("a file name that would give an unsafe model name is refused too (no `model` statement)", () => {
    for (const file of ["dir/a b.nn", "dir/x\u202e.nn", "dir/$%7B%7D.nn", 'dir/a"b.nn']) {
      const { spec, diagnostics } = parseSpec(NET, file);
      expect(spec, file).toBeNull();
      expect(diagnostics.map((d) => d.code)).toContain("NN015");
    }
  });

  const special = [
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "class",
    "delete",
    "eval",
    "Object",
    "globalThis",
    "process",
    "_",
    "await",
    "import",
  ];
  it.each(special)("`%s` becomes only a JSON string in the module, which loads and works", async (name) => {
    const source = `model ${name}\n${NET}`;
    const text = moduleText(source);
    // The name occurs only inside the meta JSON: masking that string gives the module of a plain name.
    expect(text.replace(`"name":${JSON.stringify(name)}`, '"name":"plain"').replace(/plain\.ts/g, "")).toBe(
      moduleText(`model plain\n${NET}`).replace(/plain\.ts/g, ""),
    );
    await loadAndUse(text, name);
    toTypecheck.set(`name_${name}.ts`, text.replace(/HASH/g, "0".repeat(64)));
  });

  it("every accepted name gives output paths inside their folders (8,000 random names)", () => {
    const hostile = fc.constantFrom("/", "\\", ".", "..", "\u0000", ":", "~", "$", "{", "}", "`", '"', "'", "*", "\u202e", "\n", "a", "Z", "_", "-", "0", "é");
    const names = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.array(hostile, { maxLength: 12 }).map((a) => a.join("")),
      fc.string({ unit: "binary", maxLength: 8 }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(names, (name) => {
        const { spec } = parseSpec(`model ${name}\n${NET}`, "x.nn");
        if (spec === null) return;
        accepted++;
        for (const base of ["generated", "runs"]) {
          const target = resolve(base, spec.name === "" ? "x" : spec.name, "weights.json");
          const rel = relative(resolve(base), target);
          if (rel.startsWith("..") || resolve(base, rel) !== target || spec.name.includes("\u0000") || spec.name.includes("/"))
            throw new Error(`escapes: ${JSON.stringify(spec.name)}`);
        }
        if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(spec.name)) throw new Error(`unsafe name accepted: ${JSON.stringify(spec.name)}`);
      }),
      { numRuns: 8000, seed: 88 },
    );
    expect(accepted).toBeGreaterThan(100); // the property was really exercised on accepted names
  });
});

describe("data paths and other strings", () => {
  const hostilePaths = [
    "a'b.npy",
    "a`b${globalThis.pwned=1}`.npy",
    "*/ globalThis.pwned = 1; /*.npy",
    "a\u2028b.npy",
    // An escaped backslash before "u2028": the path holds a backslash (a bare \u is NN018, test/front/string-escapes).
    "a\\\\u2028b.npy",
    "\u202eyp n.npy",
    "../../../../etc/passwd",
    "__proto__.npy",
    '\\\\\\"; process.exit(1); //.npy',
  ];
  it.each(hostilePaths)("data npy path %j does not reach the module at all", (path) => {
    const benign = moduleText(`model m\n${NET}data npy "x.npy" labels="y.npy"\n`);
    const hostile = moduleText(`model m\n${NET}data npy "${path}" labels="${path}"\n`);
    expect(hostile).toBe(benign);
  });

  it("a CSV label column name and a test set path do not reach the module either", () => {
    const benign = moduleText(`model m\n${NET}data csv "t.csv" label=y\ntest csv "u.csv" label=y\n`);
    const hostile = moduleText(`model m\n${NET}data csv "\`\${1}\`.csv" label=constructor\ntest csv "*/.csv" label=__proto__\n`);
    expect(hostile).toBe(benign);
  });
});

describe("the spec file name", () => {
  const hostileFiles = [
    "evil\nglobalThis.pwned = 1; //.nn",
    "evil\u2028globalThis.pwned = 1; //.nn",
    "evil\u2029globalThis.pwned = 1; //.nn",
    "evil\rglobalThis.pwned = 1; //.nn",
    "*/ globalThis.pwned = 1; /*.nn",
    "evil\u202e\u2066.nn",
    "e\u0000v\u001bil\ud800.nn",
  ];
  it.each(hostileFiles.map((f) => [JSON.stringify(f), f]))("%s stays inside the header comment; the module loads and works", async (_label, file) => {
    const source = `model m\n${NET}`;
    const { spec } = parseSpec(source, file);
    const text = compileSpecUnformatted(spec!).text;
    const first = text.split("\n")[0]!;
    expect(first.startsWith("// generated by nnc")).toBe(true);
    expect(first.endsWith("Do not edit.")).toBe(true);
    expect(first).toContain(commentSafe(file));
    // No line terminator, bidi or control character anywhere in the module.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/);
    // Apart from that header line, the module is the one a plain file name gives.
    const plain = compileSpecUnformatted(parseSpec(source, "plain.nn").spec!).text;
    expect(text.split("\n").slice(1).join("\n")).toBe(plain.split("\n").slice(1).join("\n"));
    await loadAndUse(text, "m");
    toTypecheck.set(`file_${toTypecheck.size}.ts`, text);
  });

  it("formats (prettier) and loads through the full compile()", async () => {
    const { outputs } = await compile(`model m\n${NET}`, hostileFiles[1]!);
    const text = outputs.get("m.ts")!;
    await loadAndUse(text, "m");
    toTypecheck.set("formatted.ts", text);
  });

  it("commentSafe escapes exactly the dangerous characters", () => {
    expect(commentSafe("specs/letters.nn")).toBe("specs/letters.nn");
    expect(commentSafe("a\nb")).toBe("a\\u{a}b");
    expect(commentSafe("a*/b")).toBe("a*\\/b");
    expect(commentSafe("\u202e")).toBe("\\u{202e}");
    expect(commentSafe("😀é")).toBe("😀é");
  });
});

describe("every hostile module type-checks strictly (tsc --strict, lib ES2022, no Node or DOM types)", () => {
  it("tsc accepts them as GeneratedModules", () => {
    expect(toTypecheck.size).toBeGreaterThanOrEqual(20);
    const checks = ['import type { GeneratedModule } from "./module-api.js";'];
    let n = 0;
    for (const [name, text] of toTypecheck) {
      const file = name.replace(/[^A-Za-z0-9_.]/g, "_");
      writeFileSync(join(typecheckDir, file), text);
      checks.push(`import * as m${n} from "./${file.replace(/\.ts$/, ".js")}";`, `export const c${n}: GeneratedModule = m${n};`);
      n++;
    }
    copyFileSync("src/module-api.ts", join(typecheckDir, "module-api.ts"));
    writeFileSync(join(typecheckDir, "conformance.ts"), checks.join("\n") + "\n");
    writeFileSync(
      join(typecheckDir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "ES2022", moduleResolution: "bundler", lib: ["ES2022"], types: [] },
        include: ["*.ts"],
      }),
    );
    const tsc = spawnSync(resolve("node_modules/.bin/tsc"), ["-p", typecheckDir], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });
});
