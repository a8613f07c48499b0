// Row 2: the planar "flower" set, as the course runs it. specs/planar-course.nn is the course's assignment
// exactly (its data set and initial weights from nnc's numpy-compatible generator, `rng=numpy`; its cost and
// full-batch gradient descent, lr 1.2): H = 4 after 10 000 iterations, the hidden-size sweep after 5 000
// (the notebook's), and logistic regression (planar-course-logistic.nn), each checked digit for digit against
// the course's published figures. planar.nn (nnc's own flower set) is trained too, for comparison.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { runSweep } from "../sweep/run.js";
import type { SweepRow } from "../sweep/table.js";
import { boundarySvg } from "../train/plots.js";
import { QUIET, specPath, trainQuietly } from "./train.js";
import { pct, type Check, type RowContext, type RowResult } from "./types.js";

/** The course's training accuracy per hidden size after 5 000 iterations (its "tuning hidden layer size" table). */
export const COURSE_SWEEP: Record<number, number> = { 1: 0.675, 2: 0.6725, 3: 0.9075, 4: 0.905, 5: 0.9125, 20: 0.905, 50: 0.9075 };
/** The course's H = 4 network after 10 000 iterations (the figure; the notebook prints it as "90%"). */
export const COURSE_H4 = 0.905;
export const COURSE_LOGISTIC = 0.47;
/** Iterations of the course's sweep (its nn_model(X, Y, n_h, num_iterations = 5000)). */
export const COURSE_SWEEP_ITERATIONS = 5000;
export const COURSE_POINTS = 400;

/**
 * What numpy itself gives when the course's code runs with its initial W1 scaled by (1 + 1e-15·ε), ε ~ N(0, 1),
 * 12 draws each (numpy 2.4.6, this machine; test/fixtures/planar_rounding_spread.py): the figures a rounding
 * difference alone can move between. The sizes not listed gave one figure in all 12 runs.
 */
export const NUMPY_ROUNDING_SPREAD: Record<string, readonly number[]> = {
  "4@10000": [0.9075, 0.905],
  "20@5000": [0.905, 0.9],
  "50@5000": [0.9025, 0.9075],
};
/** numpy 2.4.6 (AVX-512 tanh/exp, OpenBLAS) running the course's code on this machine, unperturbed. */
export const NUMPY_HERE: Record<string, number> = {
  "4@10000": 0.9075,
  "1@5000": 0.675,
  "2@5000": 0.6725,
  "3@5000": 0.9075,
  "4@5000": 0.905,
  "5@5000": 0.9125,
  "20@5000": 0.905,
  "50@5000": 0.9025,
};

export interface PlanarOptions {
  /** Hidden sizes to sweep (default: planar-course.nn's sweep statement, 1, 2, 3, 4, 5, 20, 50). */
  sweep?: number[];
}

/** Accuracy as the course prints it: correct points of 400, in percent with the digits it needs (90.5, 67.25). */
const coursePct = (v: number): string => `${Number((v * 100).toFixed(2))} %`;
const samePoints = (a: number, b: number): boolean => Math.round(a * COURSE_POINTS) === Math.round(b * COURSE_POINTS);
const pointsApart = (a: number, b: number): number => Math.abs(Math.round(a * COURSE_POINTS) - Math.round(b * COURSE_POINTS));

export async function planarRow(ctx: RowContext, options: PlanarOptions = {}): Promise<RowResult> {
  const started = performance.now();
  const checks: Check[] = [];
  const plots: string[] = [];
  const trained: Record<string, number> = {};
  for (const name of ["planar-course", "planar-course-logistic", "planar"]) {
    ctx.log(`  ${name}.nn`);
    const { run } = await trainQuietly(specPath(ctx.root, `${name}.nn`));
    const plot = `${name}-boundary.svg`;
    writeFileAtomic(
      join(ctx.outDir, plot),
      await boundarySvg(run.module, run.params, run.stats, run.rawTrainFeatures, run.train.labels!, `${name}: decision boundary`),
    );
    plots.push(plot);
    trained[name] = run.trainEval.accuracy ?? 0;
  }
  const h4 = trained["planar-course"]!;
  checks.push({
    what: "planar-course.nn (2-4-1, 10 000 iterations) training accuracy, digit for digit",
    target: `${coursePct(COURSE_H4)} (the course)`,
    measured: samePoints(h4, COURSE_H4)
      ? coursePct(h4)
      : `${coursePct(h4)}: ${pointsApart(h4, COURSE_H4)} of 400 points apart (numpy here: ${coursePct(NUMPY_HERE["4@10000"]!)})`,
    pass: samePoints(h4, COURSE_H4),
  });
  const logistic = trained["planar-course-logistic"]!;
  checks.push({
    what: "planar-course-logistic.nn (no hidden layer) training accuracy, digit for digit",
    target: `${coursePct(COURSE_LOGISTIC)} (the course): a line cannot separate the petals`,
    measured: coursePct(logistic),
    pass: samePoints(logistic, COURSE_LOGISTIC),
  });

  ctx.log(`  sweep H, ${COURSE_SWEEP_ITERATIONS} iterations`);
  // The sweep writes its run folder as nnc sweep does (generations behind symlinks, src/train/run-unit.ts);
  // the docs hold plain files, so it runs in a temporary folder and its files are copied over.
  const sweepDir = join(ctx.outDir, "planar-sweep");
  const work = mkdtempSync(join(tmpdir(), "nnc-results-sweep-"));
  let sweep: Awaited<ReturnType<typeof runSweep>>;
  try {
    sweep = await runSweep({
      specPath: specPath(ctx.root, "planar-course.nn"),
      variable: options.sweep ? { name: "H", values: options.sweep } : undefined,
      epochs: COURSE_SWEEP_ITERATIONS,
      out: work,
      json: true,
      streams: QUIET,
    });
    mkdirSync(sweepDir, { recursive: true });
    for (const name of readdirSync(work).filter((n) => !n.startsWith(".")))
      if (statSync(join(work, name)).isFile()) writeFileAtomic(join(sweepDir, name), readFileSync(join(work, name)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const differing = sweep.rows.filter((r) => COURSE_SWEEP[r.value] !== undefined && !samePoints(r.accuracy ?? 0, COURSE_SWEEP[r.value]!));
  checks.push({
    what: `hidden-size sweep (planar-course.nn, ${COURSE_SWEEP_ITERATIONS} iterations), digit for digit`,
    target: sweep.rows.map((r) => `H=${r.value}: ${COURSE_SWEEP[r.value] === undefined ? "–" : coursePct(COURSE_SWEEP[r.value]!)}`).join(", "),
    measured:
      sweep.rows.map((r) => `H=${r.value}: ${coursePct(r.accuracy ?? 0)}`).join(", ") +
      (differing.length === 0 ? "" : ` (${sweep.rows.length - differing.length} of ${sweep.rows.length} equal)`),
    pass: differing.length === 0,
  });
  // The figures that differ: does numpy itself move between ours and the course's under a rounding-sized change?
  const off = [
    ...(samePoints(h4, COURSE_H4) ? [] : [{ key: "4@10000", measured: h4, course: COURSE_H4 }]),
    ...differing.map((r) => ({ key: `${r.value}@${COURSE_SWEEP_ITERATIONS}`, measured: r.accuracy ?? 0, course: COURSE_SWEEP[r.value]! })),
  ];
  if (off.length > 0) {
    const explained = off.filter((o) => {
      const spread = NUMPY_ROUNDING_SPREAD[o.key] ?? [];
      return spread.some((s) => samePoints(s, o.measured)) && spread.some((s) => samePoints(s, o.course));
    });
    checks.push({
      what: "the figures that differ: within numpy's own rounding spread",
      target: "numpy, with W1 changed by 1e-15 relative, gives both nnc's figure and the course's",
      measured: off
        .map((o) => {
          const [h, it] = o.key.split("@");
          return `H=${h} (${it}): nnc ${coursePct(o.measured)}, course ${coursePct(o.course)}, numpy ${(NUMPY_ROUNDING_SPREAD[o.key] ?? []).map(coursePct).join(" or ") || "one figure"}`;
        })
        .join("; "),
      pass: explained.length === off.length,
    });
  }
  checks.push({
    what: "planar.nn (nnc's own flower set, 2-4-1) training accuracy",
    target: "≥ 90 % (another draw of the same construction)",
    measured: pct(trained["planar"]),
    pass: trained["planar"]! >= 0.9,
  });

  const body = [
    `Hidden-size sweep (\`nnc sweep specs/planar-course.nn --epochs ${COURSE_SWEEP_ITERATIONS}\`; each H is its own generated module, full-batch gradient descent, lr 1.2):`,
    "",
    sweepTable(sweep.rows),
    "",
    "The course's figures come from numpy's legacy generator: `np.random.seed(1)` for the flower set and `np.random.seed(2)`, `randn·0.01` for the weights. nnc draws the same numbers (`data planar rng=numpy`, `init normal std=0.01 seed=2 rng=numpy`: MT19937 as `np.random.seed` seeds it, `rand`, the legacy polar `randn`; test/data/numpy-random.test.ts holds them bit for bit against numpy), and its binary cross-entropy (mean over the batch) and sgd are the course's cost and update: after 1, 10, 100 and 1 000 iterations nnc's parameters equal numpy's running the course's code to 1e-10 relative (test/results/planar-course.test.ts).",
    "",
    "Where a figure differs, it is rounding, not the method: full-batch gradient descent at lr 1.2 amplifies last-bit differences (numpy's SIMD `tanh`/`exp` against nnc's own, BLAS sums with FMA against nnc's plain sums, sin/cos in the data), and a point near the boundary changes sides. nnc computes tanh and σ with its own functions (src/elementary.ts: fdlibm's exp, Cephes' tanh, within 2 ulps of V8's Math.tanh and Math.exp), the same bits in every engine; with V8's Math.tanh and Math.exp instead, as before 2026-12-03, H = 4 after 10 000 iterations gave 90.75 %, numpy 2.4.6's figure on this machine (\"numpy here\"), where nnc's own functions give the course's 90.5 %. With the starting W1 changed by 1e-15 relative, numpy itself moves between the two figures (\"numpy's spread\"), and likewise for H = 20 and 50. The other cells gave one figure in all 12 perturbed numpy runs. And numpy given the reference's data set (made by numpy 1.24.2, whose sin/cos differ from glibc's in the last bit on 574 of 800 coordinates) with glibc's `tanh`/`exp` in place of its own gives the course's 90.5 % (H = 4, 10 000), 90.5 % (H = 20) and 90.75 % (H = 50) (test/fixtures/planar_course_libm.py): the course's figures are those of one machine's last bits, which no other libm need share.",
    "",
    ...plots.map((p) => `![${p}](results/${p})`),
    "",
    "Decision boundaries per hidden size:",
    "",
    sweep.rows.map((r) => (r.boundary ? `![H = ${r.value}](results/planar-sweep/${r.boundary})` : "")).join(" "),
  ].join("\n");
  return {
    id: "planar",
    title: "Planar data: logistic regression, 2-4-1, hidden-size sweep",
    specs: ["specs/planar-course.nn", "specs/planar-course-logistic.nn", "specs/planar.nn"],
    checks,
    body,
    seconds: (performance.now() - started) / 1000,
    measuredAt: new Date().toISOString(),
  };
}

function sweepTable(rows: readonly SweepRow[]): string {
  const lines = ["| H | course accuracy | measured accuracy | numpy here | numpy's spread | loss | time (s) |", "|---|---|---|---|---|---|---|"];
  for (const r of rows) {
    const key = `${r.value}@${COURSE_SWEEP_ITERATIONS}`;
    const course = COURSE_SWEEP[r.value];
    const here = NUMPY_HERE[key];
    const spread = NUMPY_ROUNDING_SPREAD[key];
    lines.push(
      `| ${r.value} | ${course === undefined ? "–" : coursePct(course)} | ${coursePct(r.accuracy ?? 0)} | ${here === undefined ? "–" : coursePct(here)} | ${spread ? spread.map(coursePct).join(", ") : here === undefined ? "–" : "one figure"} | ${Number(r.loss.toPrecision(4))} | ${r.seconds.toFixed(2)} |`,
    );
  }
  return lines.join("\n");
}
