// Why this exists: ECMAScript leaves Math.exp, Math.tanh, Math.log1p … "implementation-approximated", and
// engines differ in the last bit. Measured here: Node 20's V8 (11.3) and Debian chromium 156's V8 disagree
// by 1 ulp on ~10% of Math.exp results (and on some tanh, log1p, log, sin, cos); Math.sqrt agrees. So the
// same generated module gives bit-identical predictions in both only when both use the same Math functions.
//
// installPortableMath replaces Math.exp, Math.tanh and Math.log1p with versions built from + − × ÷ and
// Math.round only (each exactly rounded by IEEE 754 in every engine, and JS forbids fused multiply-add),
// so they return the same bits everywhere. Accuracy is a few ulp: good enough for a determinism test,
// not a replacement for the engine's functions. The function is self-contained (no outer references)
// because Playwright serialises it into the page.
export function installPortableMath(): () => void {
  const original = { exp: Math.exp, tanh: Math.tanh, log1p: Math.log1p };
  const LN2_HI = 6.9314718036912381649e-1;
  const LN2_LO = 1.90821492927058770002e-10;
  const LOG2E = 1.442695040888963387;
  const bits = new DataView(new ArrayBuffer(8));
  const powerOfTwo = (k: number): number => {
    bits.setUint32(0, (k + 1023) << 20);
    bits.setUint32(4, 0);
    return bits.getFloat64(0);
  };
  const exp = (x: number): number => {
    if (x !== x) return x;
    if (x > 709.78) return Infinity;
    if (x < -745.2) return 0;
    const k = Math.round(x * LOG2E);
    const r = x - k * LN2_HI - k * LN2_LO;
    // Taylor series to r^14 / 14! (|r| ≤ 0.35: the remainder is below 1e-17), Horner form.
    let sum = 1;
    for (let n = 14; n >= 1; n--) sum = 1 + (r * sum) / n;
    // 2^k in two factors so that k down to -1074 (subnormal results) stays representable.
    const half = k > 0 ? Math.min(k, 1023) : Math.max(k, -1022);
    return sum * powerOfTwo(half) * powerOfTwo(Math.max(-1022, Math.min(1023, k - half)));
  };
  const tanh = (x: number): number => {
    if (x > 22) return 1;
    if (x < -22) return -1;
    if (x > -1e-8 && x < 1e-8) return x;
    const a = Math.abs(x);
    let t: number;
    if (a < 0.5) {
      // tanh a = −m / (2 + m) with m = e^(−2a) − 1 summed as a series: no cancellation near 0.
      const u = -2 * a;
      let m = 1;
      for (let n = 24; n >= 2; n--) m = 1 + (u * m) / n;
      m *= u;
      t = -m / (2 + m);
    } else {
      const e = exp(-2 * a);
      t = (1 - e) / (1 + e);
    }
    return x < 0 ? -t : t;
  };
  const log1p = (x: number): number => {
    // atanh series: log(1 + x) = 2·atanh(x / (2 + x)) for the small x the losses pass (|x| ≤ 1 here).
    if (x < -0.5 || x > 1) return original.log1p(x);
    const s = x / (2 + x);
    const s2 = s * s;
    let sum = 0;
    for (let n = 41; n >= 1; n -= 2) sum = 1 / n + s2 * sum;
    return 2 * s * sum;
  };
  Math.exp = exp;
  Math.tanh = tanh;
  Math.log1p = log1p;
  return () => {
    Math.exp = original.exp;
    Math.tanh = original.tanh;
    Math.log1p = original.log1p;
  };
}
