// The WebAssembly SIMD128 multiply-add ceiling of this machine, one core (bench/ceiling.ts has the method).
// Usage: npx tsx scripts/simd-ceiling.ts [milliseconds per run] [runs]
import { measureSimdCeiling } from "../bench/ceiling.js";

const c = measureSimdCeiling(Number(process.argv[2] ?? 40), Number(process.argv[3] ?? 7));
for (const key of ["f32x4", "f64x2"] as const)
  console.log(`${key}: ${c[key].toFixed(2)} GFLOP/s (chains ${c.points[key].map((p) => `${p.chains}: ${p.gflops.toFixed(2)}`).join(", ")})`);
for (const key of ["f32x4", "f64x2"] as const)
  console.log(`${key} tile form (rows×vectors): ${c.tiles[key].map((t) => `${t.rows}×${t.vectors}: ${t.gflops.toFixed(2)}`).join(", ")}`);
console.log(c.method);
