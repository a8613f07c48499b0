// nnc import and nnc export as a user runs them (the built CLI): the files written, nnc fmt --check and
// nnc predict on them, a refused model (exit 1, the node named, no stack trace, nothing written), the
// import of a model over 1 MB under 2 s, and an exported file run by onnxruntime.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { parameterLayoutOf } from "../../src/layers/layout.js";
import { attr, node, model, randomFloats, fixture, maxRelativeError, runOrt, randoms } from "./support.js";
import { encodeModel } from "../../src/onnx/proto.js";
import { exportOnnx } from "../../src/onnx/write.js";
import { buildCli, nnc, NNC, ROOT } from "../support/cli.js";
import { tempDir } from "../train/helpers.js";

const STACK_LINE = /^\s+at .+[:(]\d+/m;
const dir = tempDir("nnc-onnx-cli-");

beforeAll(() => buildCli(), 120_000);

describe("nnc import (CLI)", () => {
  it("writes NAME.nn and NAME.weights.json that nnc fmt --check and nnc predict accept", () => {
    const f = fixture("mlp_planar_tanh_sigmoid");
    const out = join(dir, "planar");
    const r = nnc("import", f.path, "-o", out, "--name", "planar_torch");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(out, "planar_torch.nn")} (2 layers) and ${join(out, "planar_torch.weights.json")} (17 parameters)\n`);
    expect(readdirSync(out).sort()).toEqual(["planar_torch.nn", "planar_torch.weights.json"]);
    expect(nnc("fmt", "--check", join(out, "planar_torch.nn")).status).toBe(0);
    // nnc predict on PyTorch's first input row prints PyTorch's first output (6 significant digits).
    const row = Array.from(f.input.data.slice(0, 2)).join(",");
    const p = nnc("predict", join(out, "planar_torch.nn"), "--weights", join(out, "planar_torch.weights.json"), "--input", row, "--json");
    expect(p.status).toBe(0);
    const output = (JSON.parse(p.stdout) as { output: number[] }).output[0]!;
    expect(Math.abs(output - f.output.data[0]!) / f.output.data[0]!).toBeLessThan(1e-5);
  });

  it("refuses an unsupported model: exit 1, the node, op and attribute named, no stack trace, nothing written", () => {
    const bad = join(dir, "dilated.onnx");
    writeFileSync(
      bad,
      encodeModel(
        model({
          inputDims: ["batch", 1, 8, 8],
          nodes: [node("Conv", ["x", "w"], ["y"], [attr.ints("dilations", [2, 2])], "conv1")],
          initializers: [randomFloats("w", [2, 1, 3, 3], 1)],
        }),
      ),
    );
    const out = join(dir, "refused");
    mkdirSync(out);
    const r = nnc("import", bad, "-o", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`nnc: ${bad}: node "conv1" (Conv), attribute dilations: dilations=[2, 2]: nnc's conv has no dilation\n`);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(readdirSync(out)).toEqual([]);
    const blocked = join(dir, "a-file");
    writeFileSync(blocked, "");
    const r2 = nnc("import", fixture("mlp_planar_tanh_sigmoid").path, "-o", join(blocked, "sub"), "--name", "p");
    expect([r2.status, r2.stderr]).toEqual([1, `nnc: cannot write ${join(blocked, "sub", "p.weights.json")}: a part of the path is a file, not a folder\n`]);
    const missing = nnc("import", join(dir, "missing.onnx"));
    expect([missing.status, missing.stderr]).toEqual([1, `nnc: ${join(dir, "missing.onnx")}: cannot read the ONNX model: no such file\n`]);
  });

  it("imports a model over 1 MB (784-512-256-10, 2.1 MB) in under 2 s of CPU, start-up included", () => {
    const { spec } = parseSpec("model big\nlayer fc 784->512 relu\nlayer fc 512->256 relu\nlayer fc 256->10 softmax\n", "big.nn");
    const params = new Float64Array(parameterLayoutOf(spec!.layers).count);
    const r = randoms(3);
    for (let i = 0; i < params.length; i++) params[i] = Math.fround(0.05 * r());
    const path = join(dir, "big.onnx");
    writeFileSync(path, exportOnnx({ spec: spec!, params, normalization: { kind: "none", offset: new Array(784).fill(0), scale: new Array(784).fill(1) } }));
    expect(readFileSync(path).length).toBeGreaterThan(2_000_000);
    // The CLI's own CPU time (user + system, start-up included), read by the child at exit: wall time on the
    // shared 2-core machine also counts whatever else runs (the rest of the suite), so it is only printed.
    const report = "data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('cpu '+(u.user+u.system)/1e6+'\\n')})";
    const started = performance.now();
    const result = spawnSync(process.execPath, ["--import", report, NNC, "import", path, "-o", join(dir, "big")], { cwd: ROOT, encoding: "utf8" });
    const wall = (performance.now() - started) / 1000;
    expect(result.status, result.stderr).toBe(0);
    const cpu = Number(/^cpu (\S+)$/m.exec(result.stderr)![1]);
    console.log(`nnc import of a ${(readFileSync(path).length / 1e6).toFixed(1)} MB model: ${cpu.toFixed(2)} s CPU, ${wall.toFixed(2)} s wall`);
    expect(cpu).toBeGreaterThan(0);
    expect(cpu).toBeLessThan(2);
    const weights = JSON.parse(readFileSync(join(dir, "big/big.weights.json"), "utf8")) as { values: number[] };
    expect(weights.values).toEqual(Array.from(params));
  });
});

describe("nnc export (CLI)", () => {
  it("writes an ONNX model onnxruntime runs on raw inputs as nnc predict does", async () => {
    const f = fixture("mlp_fashion_relu_softmax");
    const out = join(dir, "fashion");
    expect(nnc("import", f.path, "-o", out, "--name", "fashion_torch").status).toBe(0);
    const spec = join(out, "fashion_torch.nn");
    const weights = join(out, "fashion_torch.weights.json");
    const r = nnc("export", spec, "--weights", weights);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`wrote ${join(out, "fashion_torch.onnx")} (ONNX opset 13, float32, from fashion_torch.nn and fashion_torch.weights.json)\n`);
    const exported = readFileSync(join(out, "fashion_torch.onnx"));
    const ort = await runOrt(exported, f.input.data, [8, 784]);
    expect(maxRelativeError(ort, f.output.data)).toBeLessThan(1e-5);
    const p = nnc("predict", spec, "--weights", weights, "--input", Array.from(f.input.data.slice(0, 784)).join(","), "--json");
    expect(maxRelativeError((JSON.parse(p.stdout) as { output: number[] }).output, ort.slice(0, 10))).toBeLessThan(1e-5);
  });

  it("refuses weights of another spec and writes nothing", () => {
    const out = join(dir, "fashion");
    const r = nnc("export", "specs/planar.nn", "--weights", join(out, "fashion_torch.weights.json"), "-o", join(dir, "nope.onnx"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("weights do not match the spec");
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dir, "nope.onnx"))).toBe(false);
  });
});
