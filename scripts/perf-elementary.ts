// Measurement script (docs/performance.md, "Transcendentals: nnc's own exp, tanh and log1p"): the time per
// element of Math.tanh / Math.exp / Math.log1p against src/elementary.ts's nncTanh / nncExp / nncLog1p, each in
// its own loop over 4 096 values (one call site, so V8 inlines nnc's), rounds alternating, per element of
// process CPU time, median of the rounds. Usage: npx tsx scripts/perf-elementary.ts [rounds]
// (`node --max-inlined-bytecode-size-cumulative=0` on the written module shows the cost when they are not
// inlined: each call then boxes its argument and result.)
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ELEMENTARY_JAVASCRIPT } from "../src/elementary.js";

const rounds = Number(process.argv[2] ?? 9);

// The loops live in a module of their own, written out as JavaScript, so each is a function V8 optimises
// alone, with nnc's functions pasted as a generated module carries them.
const loops = `
const N = 4096;
const xs = new Float64Array(N);
for (let i = 0; i < N; i++) xs[i] = 6 * (((i * 2654435761) % 4096) / 4096 - 0.5);
export const cases = {
  "Math.tanh": () => { let s = 0; for (let i = 0; i < N; i++) s += Math.tanh(xs[i]); return s; },
  nncTanh: () => { let s = 0; for (let i = 0; i < N; i++) s += nncTanh(xs[i]); return s; },
  "Math.exp": () => { let s = 0; for (let i = 0; i < N; i++) s += Math.exp(xs[i]); return s; },
  nncExp: () => { let s = 0; for (let i = 0; i < N; i++) s += nncExp(xs[i]); return s; },
  "Math.log1p(e^-|z|)": () => { let s = 0; for (let i = 0; i < N; i++) s += Math.log1p(Math.exp(-Math.abs(xs[i]))); return s; },
  "nncLog1p(nncExp(-|z|))": () => { let s = 0; for (let i = 0; i < N; i++) s += nncLog1p(nncExp(-Math.abs(xs[i]))); return s; },
};
export const N_ELEMENTS = N;
`;
const file = join(mkdtempSync(join(tmpdir(), "nnc-elementary-")), "loops.mjs");
writeFileSync(file, `${ELEMENTARY_JAVASCRIPT}\n${loops}`);
const { cases, N_ELEMENTS } = (await import(pathToFileURL(file).href)) as { cases: Record<string, () => number>; N_ELEMENTS: number };

const samples = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
let sink = 0;
for (let round = 0; round < rounds + 1; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const start = process.cpuUsage();
    const repeats = 400;
    for (let r = 0; r < repeats; r++) sink += run();
    const used = process.cpuUsage(start);
    // The first round warms every loop up (optimisation) and is not counted.
    if (round > 0) samples.get(name)!.push(((used.user + used.system) * 1000) / (repeats * N_ELEMENTS));
  }
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`ns per element, process CPU time, median of ${rounds} alternating rounds (module: ${file}; checksum ${sink.toPrecision(6)})`);
for (const [name, v] of samples) console.log(`${name.padEnd(24)} ${median(v).toFixed(2)}`);
