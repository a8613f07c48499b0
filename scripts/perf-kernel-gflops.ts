// Measurement script (docs/performance.md, "Kernels near the ceiling"): each matrix kernel of the W4 and W5
// nets alone, GFLOP/s of one call on a chunk (2 flops per multiply-add), next to the SIMD128 ceiling
// (bench/ceiling.ts), and the r kernel (the weights transposed for the forward) in µs. Variants of the
// forward (FORWARD_TILE: g = gathered from the weight rows, p = packed (transposed) weights, f32 only; o = outputs
// loop outside the samples loop; rows × vectors) are built in one process and interleaved, best of each
// round's repeated calls, median over rounds. A "/RxV" suffix sets the tile of w<p> and x<p> (WASM_TILE, WASM_TILE_F32).
// Usage: npx tsx scripts/perf-kernel-gflops.ts [rounds] [f32|f64] [variants, e.g. g4x2,p4x2,p2x4o,p4x2/2x4]
import { compileSpecUnformatted } from "../src/compile.js";
import { buildKernels, FORWARD_TILE, WASM_TILE, WASM_TILE_F32 } from "../src/emit/wasm/kernels.js";
import { dense, makeSpec } from "../test/codegen/specs.js";
import { median } from "./perf-timing.js";
import { measureSimdCeiling } from "../bench/ceiling.js";

const rounds = Number(process.argv[2] ?? 5);
const precision = process.argv[3] === "f64" ? "f64" : "f32";
const tiles = (process.argv[4] ?? "g4x2,p4x2").split(",").map((t) => {
  const m = /^([gp])(\d+)x(\d+)(o?)(?:\/(\d+)x(\d+))?$/.exec(t);
  if (!m) throw new Error(`variant ${t}: g|p ROWSxVECTORS [o] [/ROWSxVECTORS of w and x]`);
  const wx = m[5] === undefined ? { ...(precision === "f32" ? WASM_TILE_F32 : WASM_TILE) } : { rows: Number(m[5]), vectors: Number(m[6]) };
  return { name: t, packed: m[1] === "p", rows: Number(m[2]), vectors: Number(m[3]), outputsOuter: m[4] === "o", wx };
});
const nets = [
  makeSpec("letters", [dense(289, 20, "sigmoid"), dense(20, 26, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { learningRate: 1, batchSize: 1024 }),
  makeSpec("fashion", [dense(784, 128, "relu"), dense(128, 10, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { learningRate: 0.1, batchSize: 64 }),
];
const ceiling = measureSimdCeiling(30, 5);
console.log(`ceiling f32x4 ${ceiling.f32x4.toFixed(1)} GFLOP/s, f64x2 ${ceiling.f64x2.toFixed(1)} GFLOP/s`);
type Kernels = Record<string, (n: number) => void> & { memory: WebAssembly.Memory };
for (const spec of nets) {
  const variants = tiles.map((t) => {
    Object.assign(FORWARD_TILE, { rows: t.rows, vectors: t.vectors, outputsOuter: t.outputsOuter });
    Object.assign(precision === "f32" ? WASM_TILE_F32 : WASM_TILE, t.wx);
    const plan = compileSpecUnformatted(spec, { precision }).plan;
    // the plan packs for f32 only (PT exists there): a g variant of f32 gathers, a p variant of f64 is refused
    if (t.packed && !plan.kernels!.packedForward) throw new Error(`variant ${t.name}: the plan has no PT for ${precision}`);
    plan.kernels!.packedForward = t.packed;
    const k = new WebAssembly.Instance(new WebAssembly.Module(buildKernels(plan).bytes)).exports as unknown as Kernels;
    const f = new Float32Array(k.memory.buffer);
    for (let i = 0; i < f.length; i++) f[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    if (precision === "f64") {
      const d = new Float64Array(k.memory.buffer);
      for (let i = 0; i < d.length; i++) d[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    }
    return { name: t.name, k, plan };
  });
  const plan = variants[0]!.plan;
  const n = plan.batch.chunk;
  const calls = [
    ...(variants.some((v) => v.k.r) ? [{ fn: "r", macs: 0 }] : []),
    ...plan.matmuls.flatMap((m) => [
      { fn: `f${m.id}`, macs: m.inputs * m.outputs * n },
      { fn: `w${m.id}`, macs: m.inputs * m.outputs * n },
      { fn: `x${m.id}`, macs: m.inputs * m.outputs * n },
    ]),
  ];
  const res = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++)
    for (let q = 0; q < variants.length; q++) {
      const v = variants[(q + round) % variants.length]!;
      for (const c of calls) {
        const fn = v.k[c.fn];
        if (!fn) continue;
        const reps = c.macs === 0 ? 20 : Math.max(1, Math.round(2e6 / c.macs));
        let best = Infinity;
        for (let t = 0; t < 15; t++) {
          const t0 = performance.now();
          for (let r = 0; r < reps; r++) fn(n);
          best = Math.min(best, (performance.now() - t0) / reps);
        }
        const key = `${v.name} ${c.fn}`;
        // GFLOP/s, or µs for the r kernel (no multiply-adds)
        (res.get(key) ?? res.set(key, []).get(key)!).push(c.macs === 0 ? best * 1000 : (2 * c.macs) / (best / 1000) / 1e9);
      }
    }
  const top = precision === "f32" ? ceiling.f32x4 : ceiling.f64x2;
  for (const v of variants)
    console.log(
      `${spec.name} ${precision} chunk ${n} tile ${v.name}: ` +
        calls
          .filter((c) => res.has(`${v.name} ${c.fn}`))
          .map((c) => {
            const x = median(res.get(`${v.name} ${c.fn}`)!);
            return c.macs === 0 ? `r ${x.toFixed(1)} µs` : `${c.fn} ${x.toFixed(1)} (${((x / top) * 100).toFixed(0)} %)`;
          })
          .join(", "),
    );
}
