// "nnc, 2 threads": the generated module trained data-parallel over two threads (this one and one worker_threads Worker) (issue 16, "both
// cores"), through the module's createParallelGradient: the bench's own batches (its order, sizes and epochs), each
// batch's gradient computed by the workers in the module's fixed slices, then the module's step on this thread,
// exactly the loop a module user writes around trainParallel's engine. Everything but train() (setup, evaluation,
// latency) is ModuleContestant's, as for the nnc contestant, so the two differ only in where the gradient is computed.
import { Worker } from "node:worker_threads";
import type { BenchCase } from "../workloads.js";
import { importSrc, ModuleContestant, NncContestant, type BenchModule } from "./module.js";

type Vector = Float64Array | Float32Array;

/** What createParallelGradient returns (src/emit/parallel.ts), kept local so the bench type-checks on its own. */
interface ParallelGradient {
  readonly order: Int32Array;
  lossAndGradient(params: Vector, first: number, n: number, grad: Vector): Promise<number>;
  close(): Promise<void>;
}

interface ParallelModule extends BenchModule {
  createParallelGradient?(xs: Vector, ys: Vector, count: number, workers: readonly Worker[]): Promise<ParallelGradient>;
}

/** The part of ModuleContestant's state this train() uses (private there; read here so module.ts stays as it is). */
interface ModuleState {
  m: ParallelModule;
  c: BenchCase;
  params: Vector;
  grad: Vector;
  state: unknown;
  xs: Vector;
  ys: Vector;
}

const SERVE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.url).then((m) => m.serveTrainingWorker(parentPort));
`;

/** How long each thread of the bench's capacity probe loops (ms). */
const PROBE_MS = 400;
/**
 * The capacity probe's worker: lossAndGradient on one slice's worth of seeded rows, in a loop for PROBE_MS;
 * posts its calls per second. Nothing shared with the other probe thread (scripts/perf-parallel.ts's probe).
 */
const PROBE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.url).then((m) => {
  const rows = m.PARALLEL_SLICE, I = m.meta.inputs, O = m.meta.outputs;
  const A = m.meta.precision === "f32" ? Float32Array : Float64Array;
  const xs = new A(rows * I).map((_, i) => ((i * 7919) % 1000) / 1000), ys = new A(rows * O).fill(1 / O);
  const p = m.createParameters(), g = new A(m.meta.parameters);
  for (let i = 0; i < 20; i++) m.lossAndGradient(p, xs, ys, rows, g);
  parentPort.postMessage("ready");
  parentPort.once("message", () => {
    const t = performance.now();
    let calls = 0;
    while (performance.now() - t < workerData.ms) { m.lossAndGradient(p, xs, ys, rows, g); calls++; }
    parentPort.postMessage(calls / ((performance.now() - t) / 1000));
  });
});
`;

/**
 * What the machine gives several threads at this moment: the lossAndGradient calls per second of one probe worker
 * alone (`one`), then of `threads` that share nothing, started together once all are warm (`all`, summed). all ÷ one
 * bounds any scaling measured around it (on this project's 2-vCPU VMs it has ranged from ~1 to 2:
 * docs/performance.md 16). `url`: the module's JavaScript; each worker loops for `ms`. scripts/perf-parallel.ts
 * uses it too.
 */
export async function probeCapacity(url: string, threads: number, ms = PROBE_MS): Promise<{ one: number; all: number }> {
  const run = async (n: number): Promise<number> => {
    const ws = Array.from({ length: n }, () => new Worker(PROBE, { eval: true, workerData: { url, ms } }));
    try {
      await Promise.all(ws.map((w) => new Promise((ready) => w.once("message", ready))));
      const rates = ws.map((w) => new Promise<number>((done) => w.once("message", done)));
      for (const w of ws) w.postMessage("go");
      return (await Promise.all(rates)).reduce((a, b) => a + b, 0);
    } finally {
      await Promise.all(ws.map((w) => w.terminate()));
    }
  };
  const one = await run(1);
  return { one, all: await run(threads) };
}

export class ParallelContestant extends ModuleContestant {
  readonly id: string;
  readonly label: string;
  /** Batched inference and latency are the nnc contestant's (the same module); only training is measured here. */
  override readonly measuresBatched = false;
  private readonly single = new NncContestant();
  private workers = new Map<BenchModule, Worker[]>();
  private gang: ParallelGradient | null = null;
  private sources = new Map<BenchModule, string>();
  /** The capacity probe's finding per module (once per workload, before its first timed round). */
  private capacities = new Map<BenchModule, string>();

  constructor(private readonly threads = 2) {
    super();
    this.id = `nnc-${threads}threads`;
    this.label = `nnc, ${threads} threads (createParallelGradient: this thread and ${threads - 1} worker_threads)`;
  }

  async available(): Promise<string | null> {
    return this.single.available();
  }

  async describe(): Promise<string> {
    return `the nnc module's data-parallel gradient over ${this.threads} threads, this one and ${this.threads - 1} worker_threads Workers (fixed slices of PARALLEL_SLICE, summed in slice order), the step on this thread`;
  }

  unsupported(w: BenchCase["workload"]): string | null {
    return w.batchSize < 64 ? `batch ${w.batchSize}: one slice per batch (PARALLEL_SLICE ≥ 32), nothing to share between threads` : null;
  }

  protected async build(specPath: string): Promise<BenchModule> {
    const { loadSpec } = (await importSrc("front/index.js")) as { loadSpec: (p: string) => unknown };
    const { compileSpec } = (await importSrc("compile.js")) as { compileSpec: (spec: unknown, o: object) => Promise<{ text: string }> };
    const { loadModule } = (await importSrc("harness/load.js")) as { loadModule: (text: string) => Promise<BenchModule> };
    const { transform } = await import("esbuild");
    const { text } = await compileSpec(loadSpec(specPath), {});
    const m = await loadModule(text);
    // The workers import the module's JavaScript from a data: URL (as nnc train's helpers do): the same text as `m`.
    const { code } = await transform(text, { loader: "ts", format: "esm", target: "es2022" });
    this.sources.set(m, `data:text/javascript;base64,${Buffer.from(code, "utf8").toString("base64")}`);
    return m;
  }

  override async setup(c: BenchCase): Promise<void> {
    await super.setup(c);
    await this.gang?.close();
    const s = this as unknown as ModuleState;
    if (s.m.createParallelGradient === undefined) throw new Error(`${s.m.meta.name}: the module has no createParallelGradient`);
    let workers = this.workers.get(s.m);
    if (workers === undefined) {
      // The calling thread takes slices too: threads − 1 workers.
      workers = Array.from({ length: this.threads - 1 }, () => new Worker(SERVE, { eval: true, workerData: { url: this.sources.get(s.m)! } }));
      this.workers.set(s.m, workers);
    }
    if (!this.capacities.has(s.m)) {
      const { one, all } = await probeCapacity(this.sources.get(s.m)!, this.threads);
      const slice = String((s.m as unknown as { PARALLEL_SLICE?: number }).PARALLEL_SLICE ?? "?");
      this.capacities.set(
        s.m,
        `capacity before the timing: ${this.threads} threads sharing nothing, each looping over lossAndGradient on one slice (${slice} rows), did ${(all / one).toFixed(2)}× one thread's work`,
      );
    }
    // The data go into shared memory once per setup, untimed (a user loads them there once).
    this.gang = await s.m.createParallelGradient(s.xs, s.ys, c.data.count, workers);
  }

  note(): string | null {
    return this.capacities.get((this as unknown as ModuleState).m) ?? null;
  }

  override async train(): Promise<undefined> {
    const s = this as unknown as ModuleState;
    const { plan } = s.c;
    const gang = this.gang!;
    for (let b = 0; b < plan.batches; b++) {
      const start = plan.starts[b]!;
      const size = plan.sizes[b]!;
      gang.order.set(plan.indices.subarray(start, start + size));
      await gang.lossAndGradient(s.params, 0, size, s.grad);
      s.m.step(s.params, s.grad, s.state, plan.epochs[b]!);
    }
    return undefined;
  }

  override async dispose(): Promise<void> {
    await this.gang?.close();
    this.gang = null;
    await Promise.all([...this.workers.values()].flat().map((w) => w.terminate()));
    this.workers.clear();
  }
}
