// The package as a user gets it: `npm pack` the repo, install the tarball into an empty folder (from the
// npm cache: --prefer-offline), then run `npx nnc build | check | train` there and import the library
// from an .mjs and from type-checked TypeScript.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processClient } from "../lsp/client.js";

const ROOT = resolve(import.meta.dirname, "../..");

const XOR = `# xor.nn — true when exactly one input is 1.
model xor
layer fc 2->4 tanh
layer fc 4->1 sigmoid
loss crossentropy
init normal std=1 seed=1
sgd lr=0.5 epochs=1000 batch=4
row 0, 0 -> 0
row 0, 1 -> 1
row 1, 0 -> 1
row 1, 1 -> 0
`;

/** The folders package.json "files" ships from the repository as they are (dist/ is built). */
const SHIPPED_FOLDERS = ["bin", "docs", "specs", "examples", "generated"];

/** The git-tracked files of SHIPPED_FOLDERS: what a clean clone packs. */
function trackedFiles(): string[] {
  const listed = spawnSync("git", ["ls-files", "-z", "--", ...SHIPPED_FOLDERS], { cwd: ROOT, encoding: "utf8" });
  return listed.stdout.split("\0").filter((file) => file !== "" && existsSync(join(ROOT, file)));
}

/** The environment without npm's per-script variables (npm test sets npm_config_*, which would leak into the child npm). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith("npm_")) env[key] = value;
  return { ...env, NO_COLOR: "1", NO_UPDATE_NOTIFIER: "1" };
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8", env: cleanEnv(), timeout: 170_000 });
}

function expectOk(result: SpawnSyncReturns<string>, what: string): void {
  expect(result.status, `${what} failed (status ${result.status}):\n${result.stdout}\n${result.stderr}`).toBe(0);
}

describe("npm pack → install into an empty folder → use", () => {
  let tmp: string;
  let app: string;
  let packed: { filename: string; files: { path: string }[] };

  beforeAll(() => {
    // Pack a private staging copy with its own build (scripts/build.mjs --out): other test files rebuild the
    // repository's dist/ while this one runs, and what is packed must be what the build makes now.
    tmp = mkdtempSync(join(tmpdir(), "nnc-pack-"));
    const stage = join(tmp, "stage");
    mkdirSync(stage);
    // What a clean clone has: the top-level files, and the git-tracked files of the shipped folders (a local
    // build output such as examples/web/out/ is not packed).
    for (const entry of ["package.json", "README.md", "LICENSE", "client.d.ts"]) cpSync(join(ROOT, entry), join(stage, entry));
    for (const file of trackedFiles()) cpSync(join(ROOT, file), join(stage, file));
    expectOk(run(process.execPath, [join(ROOT, "scripts/build.mjs"), "--out", join(stage, "dist")], ROOT), "scripts/build.mjs --out");
    // prepack also packs the VS Code extension into dist/ (the package ships it beside the CLI it starts).
    expectOk(run(process.execPath, [join(ROOT, "scripts/vsix.mjs"), "--out", join(stage, "dist/nn-language.vsix")], ROOT), "scripts/vsix.mjs --out");
    // --ignore-scripts: prepack would build again (done just above).
    const pack = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], stage);
    expectOk(pack, "npm pack");
    packed = (JSON.parse(pack.stdout) as (typeof packed)[])[0]!;

    app = join(tmp, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }, null, 2));
    const install = run("npm", ["install", join(tmp, packed.filename), "--prefer-offline", "--no-audit", "--no-fund"], app);
    expectOk(install, "npm install <tarball>");
    writeFileSync(join(app, "xor.nn"), XOR);
  }, 180_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("the tarball holds what a user needs and none of the sources or tests", () => {
    const paths = packed.files.map((file) => file.path);
    for (const needed of [
      "package.json",
      "README.md",
      "bin/nnc.js",
      "dist/cli.js",
      "dist/index.js",
      "dist/types/src/index.d.ts",
      "dist/nn-language.vsix",
      "specs/planar.nn",
      "docs/usage.md",
      "examples/web/main.ts",
      "LICENSE",
    ]) {
      expect(paths, needed).toContain(needed);
    }
    expect(paths.filter((path) => /^(src|test|bench|scripts|node_modules)\//.test(path))).toEqual([]);
  });

  it("the tarball's file list is pinned: the shipped folders' tracked files, the built entry points, chunks and declarations, nothing else", () => {
    const paths = packed.files.map((file) => file.path).sort();
    const fixed = ["LICENSE", "README.md", "client.d.ts", "package.json", ...trackedFiles()];
    // dist/: the entry points package.json names, the vsix, the commands' and shared chunks (content-hashed
    // names) with their source maps, and the declarations of src/ (and grammar/) that the entry points reach.
    const built = [
      /^dist\/(cli|index|esbuild|vite)\.js(\.map)?$/,
      /^dist\/nn-language\.vsix$/,
      /^dist\/[a-z-]+-[A-Z0-9]{8}\.js(\.map)?$/,
      /^dist\/types\/(src|grammar)\/[\w/.-]+\.d\.ts$/,
    ];
    const stray = paths.filter((path) => !fixed.includes(path) && !built.some((pattern) => pattern.test(path)));
    expect(stray).toEqual([]);
    expect(fixed.filter((path) => !paths.includes(path))).toEqual([]);
    for (const entry of [
      "dist/cli.js",
      "dist/index.js",
      "dist/esbuild.js",
      "dist/vite.js",
      "dist/types/src/plugins/vite.d.ts",
      "dist/types/src/module-api.d.ts",
    ])
      expect(paths, entry).toContain(entry);
    // Every path package.json "exports" names is in the tarball.
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, string | Record<string, string>> };
    for (const target of Object.values(pkg.exports).flatMap((value) => (typeof value === "string" ? [value] : Object.values(value))))
      expect(paths, target).toContain(target.replace(/^\.\//, ""));
  });

  it("the examples build from the installed package (examples/web/main.ts finds its generated module)", async () => {
    const installed = join(app, "node_modules/nnc");
    const out = join(tmp, "example-out");
    await build({ entryPoints: [join(installed, "examples/web/main.ts")], bundle: true, format: "iife", outfile: join(out, "web.js"), logLevel: "silent" });
    await build({
      entryPoints: [join(installed, "examples/node/predict.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: join(out, "predict.mjs"),
      logLevel: "silent",
    });
    expect(readFileSync(join(out, "web.js"), "utf8")).toMatch(/name: "planar"/);
    expect(readFileSync(join(out, "predict.mjs"), "utf8")).toMatch(/name: "planar"/);
  });

  it("npx nnc build writes the module", () => {
    const result = run("npx", ["--no-install", "nnc", "build", "xor.nn"], app);
    expectOk(result, "npx nnc build");
    expect(result.stdout).toMatch(/wrote generated\/xor\.ts/);
    expect(readFileSync(join(app, "generated/xor.ts"), "utf8")).toMatch(/^\/\/ generated by nnc .* from xor\.nn/);
  });

  it("nnc lsp runs from the installed package (its LSP dependencies resolve) and answers over stdio", async () => {
    const { client: started, child } = processClient(join(app, "node_modules/nnc/bin/nnc.js"), app);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const client = await started;
    client.open("file:///app/x.nn", "layer fc 2->1 sigmoid\nsgd lr=0.1 epocs=3\n");
    expect((await client.diagnostics("file:///app/x.nn", 1)).map((d) => d.code)).toEqual(["NN010"]);
    await client.close();
    expect(await exited).toBe(0);
  });

  it("npx nnc check passes the gradients", () => {
    const result = run("npx", ["--no-install", "nnc", "check", "xor.nn"], app);
    expectOk(result, "npx nnc check");
    expect(result.stdout).toMatch(/all passed/);
  });

  it("npx nnc train learns xor and writes the run folder", () => {
    const result = run("npx", ["--no-install", "nnc", "train", "xor.nn", "--out", "run"], app);
    expectOk(result, "npx nnc train");
    expect(result.stdout).toMatch(/acc 100\.00%/);
    const weights = JSON.parse(readFileSync(join(app, "run/weights.json"), "utf8")) as { model: string; values: number[] };
    expect(weights.model).toBe("xor");
    expect(weights.values.length).toBe(17);
  });

  it("npx nnc export and npx nnc import round-trip the trained xor (protobufjs and the ONNX schema ship with the package)", () => {
    expectOk(run("npx", ["--no-install", "nnc", "export", "xor.nn", "--weights", "run/weights.json", "-o", "xor.onnx"], app), "npx nnc export");
    const imported = run("npx", ["--no-install", "nnc", "import", "xor.onnx", "-o", "imported", "--json"], app);
    expectOk(imported, "npx nnc import");
    expect(JSON.parse(imported.stdout)).toMatchObject({ model: "xor", layers: 2, parameters: 17 });
    const trained = JSON.parse(readFileSync(join(app, "run/weights.json"), "utf8")) as { values: number[] };
    const back = JSON.parse(readFileSync(join(app, "imported/xor.weights.json"), "utf8")) as { values: number[] };
    expect(back.values).toEqual(trained.values.map(Math.fround));
  });

  it('import { compile } from "nnc" works from an .mjs, and compiles what the CLI wrote', () => {
    writeFileSync(
      join(app, "use.mjs"),
      `import { readFileSync } from "node:fs";
import { compile, interpret, parseSpec, VERSION } from "nnc";
const source = readFileSync("xor.nn", "utf8");
const { diagnostics, outputs } = await compile(source, "xor.nn");
const { spec } = parseSpec(source, "xor.nn");
const y = interpret(spec).predict(interpret(spec).createParameters(1), new Float64Array([0, 1]))[0];
console.log(JSON.stringify({ version: VERSION, diagnostics: diagnostics.length, files: [...outputs.keys()], same: outputs.get("xor.ts") === readFileSync("generated/xor.ts", "utf8"), y }));
`,
    );
    const result = run(process.execPath, ["use.mjs"], app);
    expectOk(result, "node use.mjs");
    const out = JSON.parse(result.stdout) as { version: string; diagnostics: number; files: string[]; same: boolean; y: number };
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(out).toMatchObject({ version: pkg.version, diagnostics: 0, files: ["xor.ts"], same: true });
    expect(out.y).toBeGreaterThan(0);
    expect(out.y).toBeLessThan(1);
  });

  it("the package's TypeScript types resolve and are checked (strict; a wrong type is an error)", () => {
    const good = `import { compile, interpret, checkSpec, buildAndLoad, type CompileResult, type GeneratedModule, type SpecReport } from "nnc";
const result: CompileResult = await compile("model m\\nlayer fc 2->1 sigmoid\\nloss mse\\nsgd lr=0.1 epochs=1", "m.nn");
const text: string | undefined = result.outputs.get("m.ts");
export const check: (spec: Parameters<typeof interpret>[0]) => Promise<SpecReport> = (spec) => checkSpec(spec, (s, precision) => buildAndLoad(s, { precision }));
export const module: (spec: Parameters<typeof interpret>[0]) => GeneratedModule = interpret;
console.log(text?.length);
`;
    writeFileSync(join(app, "good.ts"), good);
    writeFileSync(join(app, "bad.ts"), `import { compile } from "nnc";\nexport const n: number = compile;\n`);
    const tsc = join(ROOT, "node_modules/.bin/tsc");
    const flags = [
      "--noEmit",
      "--strict",
      "--module",
      "NodeNext",
      "--moduleResolution",
      "NodeNext",
      "--target",
      "ES2022",
      "--types",
      "node",
      "--typeRoots",
      join(ROOT, "node_modules/@types"),
    ];
    const ok = run(tsc, ["--ignoreConfig", "good.ts", ...flags], app);
    expectOk(ok, "tsc good.ts");
    const bad = run(tsc, ["--ignoreConfig", "bad.ts", ...flags], app);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.ts\(2,14\): error TS2322/);
  });
});
