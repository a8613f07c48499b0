// Scratch micro-benchmark behind the unroll policy (docs/module.md): one dense layer n×n with a sigmoid,
// forward (n² multiply-adds) and backward (2n² multiply-adds: weight gradient + input gradient), written
// fully unrolled versus as loops with literal bounds, in the shape src/emit/ generates. Run:
//   node scripts/measure-unroll.mjs
// Prints ns per call and the unrolled/looped speed ratio for each size. Figures drift between runs:
// compare ratios measured in one run.
const sizes = (process.argv[2] ?? "2,4,8,12,16,24,32,48").split(",").map(Number);

function forwardUnrolled(n) {
  const lines = [];
  for (let j = 0; j < n; j++) {
    let s = `p[${n * n + j}]`;
    for (let i = 0; i < n; i++) s += ` + p[${j * n + i}] * x[xo + ${i}]`;
    lines.push(`{ const z = ${s}; Z[${j}] = z; A[${j}] = 1 / (1 + Math.exp(-z)); }`);
  }
  return new Function("p", "x", "xo", "Z", "A", lines.join("\n"));
}
function forwardLooped(n) {
  return new Function(
    "p",
    "x",
    "xo",
    "Z",
    "A",
    `
  for (let j = 0; j < ${n}; j++) {
    let z = p[${n * n} + j];
    const row = j * ${n};
    for (let i = 0; i < ${n}; i++) z += p[row + i] * x[xo + i];
    Z[j] = z; A[j] = 1 / (1 + Math.exp(-z));
  }`,
  );
}
function backwardUnrolled(n) {
  const lines = [];
  for (let j = 0; j < n; j++) {
    lines.push(`const d${j} = D[${j}]; g[${n * n + j}] += d${j};`);
    for (let i = 0; i < n; i++) lines.push(`g[${j * n + i}] += d${j} * x[xo + ${i}];`);
  }
  for (let i = 0; i < n; i++) {
    const terms = [];
    for (let j = 0; j < n; j++) terms.push(`p[${j * n + i}] * d${j}`);
    lines.push(`G[${i}] = ${terms.join(" + ")};`);
  }
  return new Function("p", "x", "xo", "D", "g", "G", lines.join("\n"));
}
function backwardLooped(n) {
  return new Function(
    "p",
    "x",
    "xo",
    "D",
    "g",
    "G",
    `
  for (let j = 0; j < ${n}; j++) {
    const d = D[j];
    g[${n * n} + j] += d;
    const row = j * ${n};
    for (let i = 0; i < ${n}; i++) g[row + i] += d * x[xo + i];
  }
  for (let i = 0; i < ${n}; i++) {
    let s = 0;
    for (let j = 0; j < ${n}; j++) s += p[j * ${n} + i] * D[j];
    G[i] = s;
  }`,
  );
}

function time(run) {
  // Warm up, then time batches until ~150 ms have passed; best of 5 rounds.
  for (let k = 0; k < 20000; k++) run();
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < 150e6) {
      for (let k = 0; k < 1000; k++) run();
      calls += 1000;
      elapsed = Number(process.hrtime.bigint() - start);
    }
    best = Math.min(best, elapsed / calls);
  }
  return best;
}

console.log(
  "| n×n | multiply-adds fwd / bwd | fwd unrolled ns | fwd looped ns | fwd ratio | bwd unrolled ns | bwd looped ns | bwd ratio | unrolled fwd source KB |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const n of sizes) {
  const p = new Float64Array(n * n + n).map(() => Math.random() - 0.5);
  const g = new Float64Array(n * n + n);
  const x = new Float64Array(n + 3).map(() => Math.random());
  const Z = new Float64Array(n),
    A = new Float64Array(n),
    D = new Float64Array(n).map(() => Math.random()),
    G = new Float64Array(n);
  const fu = forwardUnrolled(n),
    fl = forwardLooped(n),
    bu = backwardUnrolled(n),
    bl = backwardLooped(n);
  const tfu = time(() => fu(p, x, 1, Z, A));
  const tfl = time(() => fl(p, x, 1, Z, A));
  const tbu = time(() => bu(p, x, 1, D, g, G));
  const tbl = time(() => bl(p, x, 1, D, g, G));
  const kb = (fu.toString().length / 1024).toFixed(1);
  console.log(
    `| ${n}×${n} | ${n * n} / ${2 * n * n} | ${tfu.toFixed(1)} | ${tfl.toFixed(1)} | ${(tfl / tfu).toFixed(2)}× | ${tbu.toFixed(1)} | ${tbl.toFixed(1)} | ${(tbl / tbu).toFixed(2)}× | ${kb} |`,
  );
}
