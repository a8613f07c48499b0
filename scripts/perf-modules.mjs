// Compares built modules of one two-input, one-output network (W2's shape: bench/specs/w2-planar.nn) on the
// same work: iterations/s of lossAndGradient + step over 400 fixed flower-like samples, per second of process
// CPU time, the modules alternating round by round, the median printed. Used for docs/performance.md 12–13.
//
//   node bin/nnc.js build bench/specs/w2-planar.nn -o /tmp/new --js   (and the same from an older checkout)
//   node scripts/perf-modules.mjs 9 /tmp/old/w2_planar.js /tmp/new/w2_planar.js
import { pathToFileURL } from "node:url";

const [roundsText, ...files] = process.argv.slice(2);
const rounds = Number(roundsText);
if (!Number.isInteger(rounds) || rounds < 1 || files.length === 0) {
  console.error("usage: node scripts/perf-modules.mjs ROUNDS MODULE.js [MODULE.js …]");
  process.exit(2);
}
const modules = await Promise.all(files.map((file) => import(pathToFileURL(file).href)));

// A fixed LCG, so every module and every run sees the same samples.
const count = 400;
const xs = new Float64Array(count * 2);
const ys = new Float64Array(count);
let seed = 1;
const uniform = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
for (let i = 0; i < count; i++) {
  const t = 2 * Math.PI * uniform();
  const r = Math.sin(4 * t) * 4 * uniform();
  xs[2 * i] = r * Math.sin(t);
  xs[2 * i + 1] = r * Math.cos(t);
  ys[i] = uniform() < 0.5 ? 1 : 0;
}

const ITERATIONS = 3000;
const rates = files.map(() => []);
for (let round = 0; round < rounds; round++)
  modules.forEach((m, j) => {
    const params = m.createParameters(3);
    const grad = new Float64Array(params.length);
    const state = m.createOptimizer();
    const start = process.cpuUsage();
    let loss = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      loss = m.lossAndGradient(params, xs, ys, count, grad);
      m.step(params, grad, state, 0);
    }
    const used = process.cpuUsage(start);
    rates[j].push(ITERATIONS / ((used.user + used.system) / 1e6));
    // The same loss from every module says they do the same work (equal bits where their maths is equal).
    if (round === 0) console.log(`${files[j]}: final loss ${loss}`);
  });
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
files.forEach((file, j) => console.log(`${file}: ${Math.round(median(rates[j]))} iterations/s (median of ${rounds})`));
