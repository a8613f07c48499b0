// nnc's own exp, tanh and log1p, written once as source text, in plain IEEE arithmetic. Made to be shared the
// way src/prng.ts shares the PRNG: a generated module would carry the source of the ones it calls and the
// reference interpreter evaluates the very same text (ELEMENTARY_FUNCTIONS), so the two stay bit for bit
// the same in f64. They use only +, −, ×, ÷, comparisons, Math.abs and exact scaling by powers of two (a table
// of 2^k), never FMA, so an f64x2 form of the same operation sequence (lanes selected instead of branches,
// 2^k built in the exponent bits) gives the same bits (for exp: test/maths/elementary-f64x2.test.ts).
//
// In the maths table since session 10 (docs/performance.md, write-ups 12 and 13): tanh, σ and binary
// cross-entropy call them. V8 inlines them where Math.tanh and Math.exp are out-of-line calls, but only
// within its inlining budget, so the emitters give each activation one call site, in a loop of its own (a
// batch-wide pass); in f64 fused blocks that loop is the f64x2 WebAssembly form (src/emit/wasm/elementary.ts).
//
// exp is fdlibm's e_exp.c: k = nearest(x·log₂e) (by adding and subtracting 1.5·2^52, which rounds to an
// integer), r = x − k·ln2 with ln2 in two parts (k·LN2_HI is exact), e^r from fdlibm's rational form
// 1 − ((lo − r·c/(2 − c)) − hi), c = r − r²·P(r²), then e^r · 2^k as two exact factors 2^⌊k/2⌋ · 2^(k−⌊k/2⌋)
// (so a result that overflows or lands in the subnormals is rounded once). x is clamped to [−746, 710]
// first: below, e^x rounds to 0; above, it overflows to +Infinity; NaN passes the clamp and stays NaN.
// tanh is Cephes' tanh.c: x + x·x²·P(x²)/Q(x²) for |x| < 0.625 (no cancellation near 0, and x itself below
// 2^−28, which keeps −0), else 1 − 2t/(1 + t) with t = e^−2|x| (never overflows; saturates to ±1 exactly).
// log1p is for t in [0, 1], all binary cross-entropy gives it (t = e^−|z|): fdlibm's e_log.c kernel on
// f = t (t ≤ √2 − 1) or f = (t − 1)/2 plus ln2 (t > √2 − 1); f is exact in both, so no correction term.
//
// Error, measured against Math.exp / Math.tanh / Math.log1p (fdlibm, each under 1 ulp from the true value)
// on 1.2 million points per function including the hard regions (test/maths/elementary.test.ts asserts it):
// nncExp ≤ 1 ulp on [−746, 710] (subnormal results: ≤ 1 unit of the last place they have), nncTanh ≤ 2 ulps
// everywhere, nncLog1p ≤ 2 ulps on [0, 1] (the 2 just above the split, where ln2 and log(1 + f) nearly cancel);
// each is within 1 ulp more of the true value.

/** One elementary function: its name in formulas, its source text, and the names of the others it calls. */
export interface Elementary {
  name: string;
  source: string;
  calls: readonly string[];
}

const EXP_SOURCE = `/** 2^k for k in [−538, 512] at [k + 538]: exact powers of two, so scaling by them rounds at most once. */
const NNC_POW2 = ((): Float64Array => {
  const table = new Float64Array(1051);
  table[538] = 1;
  for (let i = 539; i < 1051; i++) table[i] = table[i - 1]! * 2;
  for (let i = 537; i >= 0; i--) table[i] = table[i + 1]! / 2;
  return table;
})();

/**
 * e^x in plain IEEE arithmetic (fdlibm's exp, inlined by V8 where Math.exp is a call): ≤ 1 ulp from
 * Math.exp, src/elementary.ts.
 */
function nncExp(x: number): number {
  // Below −746 e^x rounds to 0, above 710 it overflows; NaN fails both tests and stays NaN.
  const v = x > 710 ? 710 : x < -746 ? -746 : x;
  // k = nearest(v·log₂e): adding 1.5·2^52 leaves no fraction bits, subtracting it gives the integer back.
  const k = v * 1.4426950408889634 + 6755399441055744 - 6755399441055744;
  // r = v − k·ln2, ln2 in two parts: k·LN2_HI is exact (LN2_HI ends in 21 zero bits).
  const hi = v - k * 0.6931471803691238;
  const lo = k * 1.9082149292705877e-10;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (0.16666666666666602 + t * (-0.0027777777777015593 + t * (0.00006613756321437934 + t * (-0.0000016533902205465252 + t * 4.1381367970572385e-8))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // e^r · 2^k as two exact factors, so only the last product can round (into the subnormals or to Infinity).
  const n = k | 0;
  const half = n >> 1;
  return y * NNC_POW2[half + 538]! * NNC_POW2[n - half + 538]!;
}`;

const TANH_SOURCE = `/**
 * tanh x in plain IEEE arithmetic (Cephes' tanh; nncExp above 0.625): ≤ 2 ulps from Math.tanh,
 * src/elementary.ts.
 */
function nncTanh(x: number): number {
  const a = Math.abs(x);
  if (a < 0.625) {
    // Below 2^−28, x is tanh x rounded (and keeps −0); above, an odd rational with no cancellation.
    if (a < 3.725290298461914e-9) return x;
    const s = x * x;
    const p = (-0.9643991794250523 * s - 99.28772310019185) * s - 1614.6876844170845;
    const q = ((s + 112.81167849163293) * s + 2235.4883906010045) * s + 4844.063053251255;
    return x + x * s * (p / q);
  }
  // 1 − 2t/(1 + t) with t = e^−2|x|: t never overflows, and a large |x| gives t = 0 and exactly ±1.
  const t = nncExp(-2 * a);
  const u = 1 - (2 * t) / (1 + t);
  return x < 0 ? -u : u;
}`;

const LOG1P_SOURCE = `/**
 * log(1 + t) for t in [0, 1] (binary cross-entropy's e^−|z|), in plain IEEE arithmetic (fdlibm's log
 * kernel): ≤ 2 ulps from Math.log1p there, src/elementary.ts. Not for t outside [0, 1].
 */
function nncLog1p(t: number): number {
  // 1 + t = 2^k·(1 + f) with f in [√½ − 1, √2 − 1], exactly: f = t (k = 0) or f = (t − 1)/2 (k = 1).
  const k = t > 0.41421356237309503 ? 1 : 0;
  const f = k === 1 ? (t - 1) / 2 : t;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = w * (0.3999999999940942 + w * (0.22222198432149784 + w * 0.15313837699209373)) + z * (0.6666666666666735 + w * (0.2857142874366239 + w * (0.1818357216161805 + w * 0.14798198605116586)));
  const hfsq = 0.5 * f * f;
  return k * 0.6931471803691238 - (hfsq - (s * (hfsq + r) + k * 1.9082149292705877e-10) - f);
}`;

/** The functions, in the order a module carries them (each after those it calls). */
export const ELEMENTARY: readonly Elementary[] = [
  { name: "nncExp", source: EXP_SOURCE, calls: [] },
  { name: "nncTanh", source: TANH_SOURCE, calls: ["nncExp"] },
  { name: "nncLog1p", source: LOG1P_SOURCE, calls: [] },
];

function calledIn(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w$.])${name}\\(`).test(text);
}

/** The elementary functions `text` (a module's code) calls, with those they call, in ELEMENTARY's order. */
export function elementaryUsedBy(text: string): Elementary[] {
  const used = new Set(ELEMENTARY.filter((e) => calledIn(text, e.name)).map((e) => e.name));
  for (const e of [...ELEMENTARY].reverse()) if (used.has(e.name)) for (const c of e.calls) used.add(c);
  return ELEMENTARY.filter((e) => used.has(e.name));
}

/** The source text with its type annotations stripped, so it runs as plain JavaScript. */
function stripTypes(source: string): string {
  return source
    .replace(/\(\): Float64Array =>/g, "() =>")
    .replace(/: number\)/g, ")")
    .replace(/\): number \{/g, ") {")
    .replace(/\]!/g, "]");
}

/** All of them as plain JavaScript (types stripped), in ELEMENTARY's order: what the interpreter evaluates. */
export const ELEMENTARY_JAVASCRIPT = ELEMENTARY.map((e) => stripTypes(e.source)).join("\n");

/** The functions themselves, evaluated from their source text (the interpreter's copy is the module's). */
export const ELEMENTARY_FUNCTIONS: Readonly<Record<string, (x: number) => number>> = new Function(
  `${ELEMENTARY_JAVASCRIPT}\nreturn { ${ELEMENTARY.map((e) => e.name).join(", ")} };`,
)() as Record<string, (x: number) => number>;

export const nncExp = ELEMENTARY_FUNCTIONS["nncExp"]!;
export const nncTanh = ELEMENTARY_FUNCTIONS["nncTanh"]!;
export const nncLog1p = ELEMENTARY_FUNCTIONS["nncLog1p"]!;
