// Measurement script (docs/performance.md, write-up 10; the bounds tested in test/codegen/wasm.test.ts): the
// f32x4 exp, σ, tanh, log1p and log1p(e^−|z|) of the element-wise kernels (src/emit/wasm/elementwise.ts) over
// every f32 input with |x| in [2^−26, 105] and every 97th elsewhere (both signs, 0 … ±Inf; of the NaN
// patterns every 4 099th), against Math.fround of the f64 Math.* result, as a histogram of errors in ulps
// (the distance in representable f32 values). Usage: npx tsx scripts/perf-exp-f32.ts [stride] (stride 1,
// the default: ~1.9·10⁹ inputs, a few minutes; a larger stride samples).
import { buildMathKernels } from "../src/emit/wasm/elementwise.js";

const stride = Number(process.argv[2] ?? 1);
const CAPACITY = 1 << 20;
const exports = new WebAssembly.Instance(new WebAssembly.Module(buildMathKernels(CAPACITY)), {}).exports as Record<string, (n: number) => void> & {
  memory: WebAssembly.Memory;
};
const memory = new Float32Array(exports.memory.buffer);
const bits = new Int32Array(exports.memory.buffer);
const one = new Float32Array(1);
const oneBits = new Int32Array(one.buffer);
function ordinal(x: number): number {
  one[0] = x;
  const b = oneBits[0]!;
  return b < 0 ? -(b & 0x7fffffff) : b;
}
const references: Record<string, (x: number) => number> = {
  exp: Math.exp,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: Math.tanh,
  log1p: Math.log1p,
  softplus: (z) => Math.log1p(Math.exp(-Math.abs(z))),
};
const F32_ONE = 0x3f800000;
/**
 * |x| in [2^−26, 105] (bit patterns 0x32800000 … 0x42d20000): every input (at stride 1). Outside it, every
 * 97th: there e^x is 1 (|x| < 2^−26: the result rounds to 1 whatever the polynomial), 0 or +Inf (the clamp),
 * and σ, log1p(e^−|z|) follow.
 */
const BAND = [0x32800000, 0x42d20000];
// [function, first bit pattern, last] (ascending as signed i32: the negative range runs −0 … −Inf … NaNs)
const ranges: [string, number, number][] = [
  ["exp", 0, 0x7fffffff],
  ["exp", 0x80000000 | 0, -1],
  ["sigmoid", 0, 0x7fffffff],
  ["sigmoid", 0x80000000 | 0, -1],
  ["tanh", 0, 0x7fffffff],
  ["tanh", 0x80000000 | 0, -1],
  ["softplus", 0, 0x7fffffff],
  ["softplus", 0x80000000 | 0, -1],
  ["log1p", 0, F32_ONE],
];
for (const [name, from, to] of ranges) {
  const reference = references[name]!;
  const histogram = new Map<number, number>();
  let worst = { ulps: -1, at: 0 };
  let nanOk = true;
  const started = performance.now();
  let b = from;
  while (b <= to) {
    let n = 0;
    for (; n < CAPACITY && b <= to; n++) {
      bits[n] = b;
      const nan = (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
      const magnitude = b & 0x7fffffff;
      const band = magnitude >= BAND[0] && magnitude <= BAND[1];
      const next = b + (nan ? 4099 * stride : band ? stride : 97 * stride);
      if (next <= b) {
        b = to + 1; // wrapped past 0x7fffffff
        n++;
        break;
      }
      b = next;
    }
    exports[name]!(Math.ceil(n / 4) * 4);
    for (let k = 0; k < n; k++) {
      const x = memory[k]!;
      const got = memory[CAPACITY + k]!;
      const want = Math.fround(reference(x));
      let e: number;
      if (Number.isNaN(want) || Number.isNaN(got)) {
        e = Number.isNaN(want) && Number.isNaN(got) ? 0 : Infinity;
        if (e !== 0) nanOk = false;
      } else e = Math.abs(ordinal(got) - ordinal(want));
      histogram.set(e, (histogram.get(e) ?? 0) + 1);
      if (e > worst.ulps) worst = { ulps: e, at: x };
    }
  }
  const total = [...histogram.values()].reduce((s, v) => s + v, 0);
  console.log(
    `${name.padEnd(8)} bits ${(from >>> 0).toString(16)}…${(to >>> 0).toString(16)} stride ${stride}: ${total} inputs in ${((performance.now() - started) / 1000).toFixed(0)} s, worst ${worst.ulps} ulp(s) at ${worst.at}; NaN ${nanOk ? "ok" : "WRONG"}; ` +
      [...histogram]
        .sort((p, q) => p[0] - q[0])
        .map(([e, c]) => `${e} ulp: ${c}`)
        .join(", "),
  );
}
