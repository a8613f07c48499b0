// The benchmark runner: `tsx bench/run.ts [--quick] [--only W1,W2] [--contestants nnc,tfjs-wasm] [--rounds N]`.
// For each workload every contestant trains the same net from the same parameters over the same batches;
// contestants are interleaved round by round (the order rotates) so machine drift hits all alike, and the
// median round counts. Writes bench/results.json and bench/results.md.
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../src/atomic-write.js";
import { loadSpec } from "../src/front/index.js";
import type { Contestant } from "./contestant.js";
import { GenericJsContestant } from "./contestants/generic-js.js";
import { InterpreterContestant, ModuleContestant, NncContestant } from "./contestants/module.js";
import { ParallelContestant } from "./contestants/parallel.js";
import { TfjsContestant } from "./contestants/tfjs.js";
import { OnnxRuntimeContestant } from "./contestants/onnxruntime.js";
import { TorchContestant } from "./contestants/torch.js";
import { endToEndUnavailable, runEndToEnd, type EndToEndResult } from "./e2e.js";
import { firstSamples } from "./data.js";
import { measureSimdCeiling, type SimdCeiling } from "./ceiling.js";
import { describeNet, forwardMacs, trainingMacs } from "./net.js";
import {
  type BenchResults,
  type ContestantInfo,
  type InferenceResult,
  type LatencyResult,
  median,
  rate,
  renderMarkdown,
  si,
  type TrainingResult,
  type WorkloadResult,
} from "./results.js";
import { TARGETS } from "./targets.js";
import { benchCase, type Mode, WORKLOADS, workloadById } from "./workloads.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Relative loss difference allowed between a float32 peer and the float64 reference after the same training. */
const LOSS_TOLERANCE = 1e-3;
/** Quick runs train on at most this many samples of a data set (W5): set-up of 60 000 × 784 would dominate them. */
const QUICK_MAX_SAMPLES = 12_800;
/**
 * Epochs of the end-to-end Fashion row (specs/fashion.nn trains 10): 3 keeps the row to ~2 minutes on an
 * idle machine (four whole trainings) while the accuracy after the cosine schedule is settled enough to
 * compare (≈ 87 %); `--e2e-epochs 10` runs the spec's own count.
 */
const E2E_EPOCHS = 3;
/** A timed round shorter than this repeats the run (from the same init) until it is this long. */
const MIN_SECONDS: Record<Mode, number> = { full: 0.5, quick: 0.05 };
/**
 * A contestant with no target on a workload whose first round lasts longer than this runs that one round
 * only (the float64 interpreter on the conv nets: tens of seconds a round, there for the loss reference).
 */
const SLOW_SECONDS: Record<Mode, number> = { full: 8, quick: 2 };
/** The first-forward check: outputs for this many evaluation samples at the initial parameters, before timing. */
const FIRST_FORWARD_SAMPLES = 8;
/** Largest |output − reference output| the first-forward check allows (float32 peers against float64). */
const FORWARD_TOLERANCE = 1e-4;

interface Options {
  mode: Mode;
  only: string[] | null;
  contestants: string[] | null;
  rounds: number;
  out: string;
  /** Epochs of the end-to-end Fashion row (both sides). */
  e2eEpochs: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { mode: "full", only: null, contestants: null, rounds: 3, out: HERE, e2eEpochs: E2E_EPOCHS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === "--quick") o.mode = "quick";
    else if (a === "--only")
      o.only = value()
        .split(",")
        .map((s) => s.trim().toUpperCase());
    else if (a === "--contestants")
      o.contestants = value()
        .split(",")
        .map((s) => s.trim());
    else if (a === "--rounds") o.rounds = Number(value());
    else if (a === "--out") o.out = value();
    else if (a === "--e2e-epochs") o.e2eEpochs = Number(value());
    else if (a === "--help" || a === "-h") {
      console.log(
        "usage: tsx bench/run.ts [--quick] [--only W1,W2,...,E2E] [--contestants nnc,nnc-2threads,interpreter,generic-js,tfjs-cpu,tfjs-wasm,torch] [--rounds N] [--e2e-epochs N] [--out DIR]",
      );
      process.exit(0);
    } else fail(`unknown option ${a} (try --help)`);
  }
  if (!Number.isInteger(o.rounds) || o.rounds < 1) fail(`--rounds must be a positive integer, got ${o.rounds}`);
  if (!Number.isInteger(o.e2eEpochs) || o.e2eEpochs < 1) fail(`--e2e-epochs must be a positive integer, got ${o.e2eEpochs}`);
  for (const id of o.only ?? []) {
    if (id === "E2E") continue;
    try {
      workloadById(id);
    } catch (e) {
      fail((e as Error).message);
    }
  }
  return o;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

const log = (s: string): void => console.log(s);

function allContestants(): Contestant[] {
  return [
    new NncContestant(),
    new ParallelContestant(2),
    new InterpreterContestant(),
    new GenericJsContestant(),
    new TfjsContestant("cpu"),
    new TfjsContestant("wasm"),
    new TorchContestant(),
    new OnnxRuntimeContestant("node"),
    new OnnxRuntimeContestant("web"),
  ];
}

/** Rotates the running order each round so no contestant always runs first (or right after a heavy one). */
function rotate<T>(xs: T[], by: number): T[] {
  const k = by % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const notices: string[] = [];
  const notice = (s: string): void => {
    notices.push(s);
    console.log(`NOTICE: ${s}`);
  };

  const infos: ContestantInfo[] = [];
  const active: Contestant[] = [];
  for (const c of allContestants()) {
    if (opts.contestants && !opts.contestants.includes(c.id)) continue;
    const why = await c.available();
    if (why) notice(why);
    else active.push(c);
    const description = why ? null : await c.describe();
    infos.push({ id: c.id, label: c.label, description, skipped: why, ...(c.inferenceOnly ? { inferenceOnly: true } : {}) });
  }
  const referenceOf = (cs: Contestant[]) => cs.find((c) => c.id === "interpreter") ?? cs.find((c) => c.id === "generic-js") ?? null;
  log(`contestants: ${active.map((c) => c.id).join(", ")}; loss reference: ${referenceOf(active)?.id ?? "none"}; mode ${opts.mode}, ${opts.rounds} rounds`);

  // The SIMD128 ceiling (bench/ceiling.ts), measured before and after the workloads; the higher of the two
  // counts, as each is a peak and a busy machine only lowers it.
  const ceilingRuns = opts.mode === "quick" ? ([20, 3] as const) : ([40, 7] as const);
  const ceilingBefore = measureSimdCeiling(...ceilingRuns);
  log(`SIMD128 ceiling (one core): f32x4 ${ceilingBefore.f32x4.toFixed(1)} GFLOP/s, f64x2 ${ceilingBefore.f64x2.toFixed(1)} GFLOP/s`);

  const workloads = WORKLOADS.filter((w) => !opts.only || opts.only.includes(w.id));
  const results: WorkloadResult[] = [];
  for (const w of workloads) {
    const loaded = w.load(log);
    const data = opts.mode === "quick" ? firstSamples(loaded, QUICK_MAX_SAMPLES) : loaded;
    if (data.notice) notice(`${w.id}: ${data.notice}`);
    const bc = benchCase(w, data, opts.mode);
    log(`\n${w.id} ${w.title}: ${describeNet(w.net)}, ${bc.plan.samples} samples in ${bc.plan.batches} batches per round`);
    // Contestants that cannot express this net (the dense-only generic JS on the conv nets) sit it out.
    const runners = active.filter((c) => {
      const why = c.unsupported?.(w) ?? null;
      if (why) notice(`${w.id}: ${c.id} skipped: ${why}`);
      return !why;
    });
    // Inference peers (ONNX Runtime) join the first-forward check, latency and batched inference, not training.
    const trainers = runners.filter((c) => !c.inferenceOnly);
    const reference = referenceOf(trainers);
    const firstForward = await checkFirstForward(runners, reference, bc, notice);
    const notes: Record<string, string> = {};
    const targeted = new Set(TARGETS.filter((t) => t.workload === w.id).flatMap((t) => [t.peer, "nnc"]));
    const singleRound = new Set<string>();
    const train: Record<string, TrainingResult> = {};
    for (const c of trainers) {
      train[c.id] = {
        samplesPerSecond: [],
        medianSamplesPerSecond: NaN,
        medianBatchesPerSecond: NaN,
        seconds: [],
        repetitions: 1,
        loss: null,
        accuracy: null,
        lossRelativeError: null,
        lossAgrees: null,
        error: null,
      };
    }
    const reps: Record<string, number> = {};
    for (let round = 0; round < opts.rounds; round++) {
      for (const c of rotate(trainers, round)) {
        const t = train[c.id]!;
        if (t.error || singleRound.has(c.id)) continue;
        try {
          // A run too short to time well (W1 takes milliseconds in fast code) is repeated, each time from the
          // same init; the number of repetitions is set by the first round and the time per run reported.
          const n = reps[c.id] ?? 1;
          let seconds = 0;
          for (let r = 0; r < n; r++) {
            await c.setup(bc);
            const start = performance.now();
            const own = await c.train();
            seconds += own ?? (performance.now() - start) / 1000;
          }
          const note = c.note?.() ?? null;
          if (note) notes[c.id] = note;
          if (round === 0 && opts.rounds > 1 && !targeted.has(c.id) && seconds > SLOW_SECONDS[opts.mode]) {
            singleRound.add(c.id);
            notice(`${w.id}: ${c.id} timed in one round only (${seconds.toFixed(1)} s a run; it has no target here)`);
          }
          reps[c.id] ??= Math.max(1, Math.min(1000, Math.ceil(MIN_SECONDS[opts.mode] / seconds)));
          t.repetitions = reps[c.id]!;
          t.seconds.push(seconds / n);
          t.samplesPerSecond.push((bc.plan.samples * n) / seconds);
          if (round === opts.rounds - 1 || singleRound.has(c.id)) {
            const e = await c.evaluate();
            t.loss = e.loss;
            t.accuracy = e.accuracy;
          }
          await c.dispose();
        } catch (e) {
          t.error = (e as Error).message;
          notice(`${w.id} ${c.id} failed: ${t.error}`);
        }
      }
    }
    const ref = reference ? train[reference.id] : undefined;
    for (const c of trainers) {
      const t = train[c.id]!;
      if (t.error) continue;
      t.medianSamplesPerSecond = median(t.samplesPerSecond);
      t.medianBatchesPerSecond = median(t.seconds.map((s) => bc.plan.batches / s));
      if (ref && ref.loss !== null && t.loss !== null) {
        t.lossRelativeError = Math.abs(t.loss - ref.loss) / Math.max(Math.abs(ref.loss), 1e-6);
        t.lossAgrees = t.lossRelativeError <= LOSS_TOLERANCE;
        if (!t.lossAgrees)
          notice(
            `${w.id}: LOSS MISMATCH — ${c.id} reached ${t.loss} but ${reference!.id} reached ${ref.loss} (relative ${t.lossRelativeError.toExponential(2)}); the throughput comparison is not honest until this is fixed`,
          );
      }
    }
    const wr: WorkloadResult = {
      id: w.id,
      title: w.title,
      net: describeNet(w.net),
      loss: w.net.loss,
      training: w.anchorTraining,
      unit: w.unit,
      data: data.source,
      notice: data.notice,
      samples: bc.plan.samples,
      batches: bc.plan.batches,
      evaluationSamples: bc.evaluation.count,
      referenceContestant: reference?.id ?? null,
      training_results: train,
      latency: null,
      inference: null,
      build: null,
      firstForward,
      notes,
      flops: {
        training: 2 * trainingMacs(w.net),
        inference: 2 * forwardMacs(w.net),
        nncPrecision: loadSpec(join(HERE, "specs", w.spec)).precision,
      },
    };
    for (const c of trainers) {
      const t = train[c.id]!;
      log(
        `  ${c.id.padEnd(12)} ${t.error ? "error" : `${si(rate(wr, t)).padStart(7)} ${w.unit}  loss ${t.loss?.toPrecision(6)}${t.accuracy === null ? "" : ` acc ${(t.accuracy * 100).toFixed(2)}%`}${t.lossAgrees === false ? "  ⚠ LOSS MISMATCH" : ""}`}`,
      );
    }
    const nnc = runners.find((c) => c.id === "nnc");
    if (nnc instanceof ModuleContestant && nnc.buildStats) wr.build = { ...nnc.buildStats };
    if (w.latency) wr.latency = await measureLatency(runners, bc, opts, notice);
    if (w.latency) wr.inference = await measureBatched(runners, bc, opts, notice);
    // Notes again: the latency probe may add to them (PyTorch's conv backend for single samples).
    for (const c of runners) {
      const note = c.note?.() ?? null;
      if (note) notes[c.id] = note;
    }
    results.push(wr);
    // Free the case's cached tensors (W5's are hundreds of MB per backend).
    for (const c of active) if (c instanceof TfjsContestant) await c.close();
  }
  for (const c of active) if (c instanceof TorchContestant) await c.close();
  const ceilingAfter = measureSimdCeiling(...ceilingRuns);
  const ceiling: SimdCeiling = ceilingAfter.f32x4 > ceilingBefore.f32x4 ? ceilingAfter : ceilingBefore;
  log(`SIMD128 ceiling after the workloads: f32x4 ${ceilingAfter.f32x4.toFixed(1)}, f64x2 ${ceilingAfter.f64x2.toFixed(1)} GFLOP/s (the higher run counts)`);

  // The end-to-end row: whole processes, run after the workloads (nothing else of the bench is running).
  let endToEnd: EndToEndResult | undefined;
  if (opts.mode === "full" && (!opts.only || opts.only.includes("E2E"))) {
    const why = endToEndUnavailable();
    if (why) notice(why);
    else {
      log(`\nE2E Fashion-MNIST MLP end to end (nnc train against an idiomatic PyTorch script), ${opts.e2eEpochs} epochs`);
      endToEnd = runEndToEnd(opts.e2eEpochs, log);
    }
  }

  const out: BenchResults = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    mode: opts.mode,
    rounds: opts.rounds,
    machine: { cpu: cpus()[0]?.model.trim() ?? "unknown", cores: cpus().length, node: process.versions.node, platform: `${process.platform} ${process.arch}` },
    lossTolerance: LOSS_TOLERANCE,
    contestants: infos,
    workloads: results,
    notices,
    ...(endToEnd ? { endToEnd } : {}),
    ceiling,
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileAtomic(join(opts.out, "results.json"), JSON.stringify(out, null, 2) + "\n");
  writeFileAtomic(join(opts.out, "results.md"), renderMarkdown(out));
  log(`\nwrote ${join(opts.out, "results.md")} and results.json in ${out.seconds.toFixed(0)} s`);
  const mismatches = results.flatMap((w) => [
    ...Object.entries(w.training_results)
      .filter(([, t]) => t.lossAgrees === false)
      .map(([id]) => `${w.id}/${id}`),
    ...Object.entries(w.firstForward ?? {})
      .filter(([, d]) => !(d <= FORWARD_TOLERANCE))
      .map(([id]) => `${w.id}/${id} (first forward)`),
  ]);
  if (mismatches.length) {
    console.error(`\n⚠ LOSS MISMATCH in ${mismatches.join(", ")}: contestants did not train the same thing.`);
    process.exitCode = 3;
  }
}

/**
 * Before any timing: every contestant's outputs for the first few evaluation samples at the initial
 * parameters, against the reference's (largest absolute difference per contestant). A layout mix-up
 * (NCHW vs NHWC, a filter or flatten order) shows here as a difference of order 0.1, not 1e-7.
 */
async function checkFirstForward(
  runners: Contestant[],
  reference: Contestant | null,
  bc: ReturnType<typeof benchCase>,
  notice: (s: string) => void,
): Promise<Record<string, number> | null> {
  if (!reference) return null;
  const count = Math.min(FIRST_FORWARD_SAMPLES, bc.evaluation.count);
  const outputs = new Map<string, Float64Array>();
  for (const c of runners) {
    try {
      await c.setup(bc);
      outputs.set(c.id, await c.forward(count));
      await c.dispose();
    } catch (e) {
      notice(`${bc.workload.id} first forward ${c.id} failed: ${(e as Error).message}`);
    }
  }
  const want = outputs.get(reference.id);
  if (!want) return null;
  const diffs: Record<string, number> = {};
  for (const [id, got] of outputs) {
    let worst = got.length === want.length ? 0 : Infinity;
    for (let i = 0; i < want.length && worst < Infinity; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    diffs[id] = worst;
    if (!(worst <= FORWARD_TOLERANCE))
      notice(
        `${bc.workload.id}: FIRST FORWARD MISMATCH — ${id}'s outputs differ from ${reference.id}'s by up to ${worst.toExponential(2)} at the initial parameters`,
      );
  }
  log(
    `  first forward (${count} samples) vs ${reference.id}: ${Object.entries(diffs)
      .map(([id, d]) => `${id} ${d.toExponential(1)}`)
      .join(", ")}`,
  );
  return diffs;
}

/**
 * Batched inference (issue 16): samples per second of one forward pass over the whole evaluation set,
 * interleaved rounds, each round the best of enough passes to last ~0.3 s (quick: 0.1 s).
 */
async function measureBatched(
  active: Contestant[],
  bc: ReturnType<typeof benchCase>,
  opts: Options,
  notice: (s: string) => void,
): Promise<Record<string, InferenceResult> | null> {
  const measured = active.filter((c) => typeof c.batched === "function" && c.measuresBatched !== false);
  if (measured.length === 0) return null;
  const count = bc.evaluation.count;
  const budget = opts.mode === "quick" ? 0.1 : 0.3;
  const res: Record<string, InferenceResult> = {};
  for (let round = 0; round < opts.rounds; round++) {
    for (const c of rotate(measured, round)) {
      const r = (res[c.id] ??= { samplesPerSecond: [], medianSamplesPerSecond: NaN, samples: count, passes: 0, error: null });
      if (r.error) continue;
      try {
        await c.setup(bc);
        if (r.passes === 0) r.passes = Math.max(3, Math.min(1000, Math.ceil(budget / (await c.batched!(count)))));
        let best = Infinity;
        for (let k = 0; k < r.passes; k++) best = Math.min(best, await c.batched!(count));
        r.samplesPerSecond.push(count / best);
        await c.dispose();
      } catch (e) {
        r.error = (e as Error).message;
        notice(`${bc.workload.id} batched inference ${c.id} failed: ${r.error}`);
      }
    }
  }
  for (const [id, r] of Object.entries(res)) {
    r.medianSamplesPerSecond = median(r.samplesPerSecond);
    log(`  batched ${id.padEnd(12)} ${r.error ? "error" : `${si(r.medianSamplesPerSecond)} samples/s (${count} a pass, best of ${r.passes})`}`);
  }
  return res;
}

/** W6: µs per single-sample forward, interleaved rounds; calls calibrated per contestant to ~0.3 s (quick: 0.1 s) per round. */
async function measureLatency(
  active: Contestant[],
  bc: ReturnType<typeof benchCase>,
  opts: Options,
  notice: (s: string) => void,
): Promise<Record<string, LatencyResult>> {
  const x = bc.evaluation.xs.subarray(0, bc.data.inputs);
  const budget = opts.mode === "quick" ? 0.1 : 0.3;
  const res: Record<string, LatencyResult> = {};
  for (let round = 0; round < opts.rounds; round++) {
    for (const c of rotate(active, round)) {
      const r = (res[c.id] ??= { micros: [], medianMicros: NaN, calls: 0, error: null });
      if (r.error) continue;
      try {
        await c.setup(bc);
        if (r.calls === 0) {
          const probe = await c.latency(x, 50);
          r.calls = Math.max(100, Math.min(200_000, Math.round((budget * 1e6) / probe)));
        }
        r.micros.push(await c.latency(x, r.calls));
        await c.dispose();
      } catch (e) {
        r.error = (e as Error).message;
        notice(`${bc.workload.id} latency ${c.id} failed: ${r.error}`);
      }
    }
  }
  for (const [id, r] of Object.entries(res)) {
    r.medianMicros = median(r.micros);
    log(`  latency ${id.padEnd(12)} ${r.error ? "error" : `${r.medianMicros.toFixed(2)} µs (${r.calls} calls)`}`);
  }
  return res;
}

await main();
