// Contestants that drive a module with the generated-module API (src/module-api.ts): nnc's generated
// code, and the float64 reference interpreter, which has the same shape. Both compile a spec from
// bench/specs/ but train on the bench's own data, initial parameters and batch order, through
// lossAndGradient + step, exactly the loop a user of the generated module writes.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Contestant, epochViews, type Evaluation, gatherRows, scoreOutputs, timeCalls } from "../contestant.js";
import { parameterCount } from "../net.js";
import type { BenchCase } from "../workloads.js";

type Vector = Float64Array | Float32Array;

/** The part of src/module-api.ts GeneratedModule the bench uses (kept local so the bench type-checks on its own). */
export interface BenchModule {
  meta: {
    name: string;
    inputs: number;
    outputs: number;
    parameters: number;
    precision: "f64" | "f32";
    /** Modules before issue 17 lack it: their predict took the network's inputs. */
    preprocessing?: { scale: number; size: number };
  };
  predict(params: Vector, x: Vector, out?: Vector): Vector;
  /** A predict over a snapshot of params (modules built before it existed lack it). */
  createPredictor?(params: Vector): { run(x: Vector, out?: Vector): Vector }["run"];
  /** Raw rows → their outputs, batched: the batched-inference measurement (modules built before it existed lack it). */
  predictBatch?(params: Vector, xs: Vector, count: number, out?: Vector): Vector;
  lossAndGradient(params: Vector, xs: Vector, ys: Vector, count: number, grad: Vector): number;
  /** Over raw rows: outputs, loss and accuracy of `count` samples (the batched-inference measurement of modules without predictBatch). */
  evaluate(params: Vector, xs: Vector, ys: Vector, count: number): { loss: number; accuracy: number | null };
  createOptimizer(): unknown;
  step(params: Vector, grad: Vector, state: unknown, epoch: number): void;
}

export interface BuildStats {
  /** Spec → formatted module text. */
  milliseconds: number;
  sourceBytes: number;
  sourceLines: number;
}

export const SPEC_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "specs");

/** Imports a module of src/ by a path held in a variable, so the bench still type-checks and runs when it does not exist yet. */
export async function importSrc(relative: string): Promise<Record<string, unknown>> {
  const url = new URL(`../../src/${relative}`, import.meta.url).href;
  return (await import(url)) as Record<string, unknown>;
}

export abstract class ModuleContestant implements Contestant {
  abstract readonly id: string;
  abstract readonly label: string;
  /** Build statistics of the last module built (nnc only). */
  buildStats: BuildStats | null = null;
  private modules = new Map<string, BenchModule>();
  private m!: BenchModule;
  private c!: BenchCase;
  private params!: Vector;
  private grad!: Vector;
  private state: unknown;
  private xs!: Vector;
  private converted: BenchCase["data"] | null = null;
  private ys!: Vector;
  private bx!: Vector;
  private by!: Vector;
  /** Unshuffled workloads: views of one epoch's batches (see epochViews). */
  private views: { x: Vector; y: Vector }[] = [];

  /** Builds (or interprets) the spec at `specPath` into a module. */
  protected abstract build(specPath: string): Promise<BenchModule>;

  abstract available(): Promise<string | null>;

  abstract describe(): Promise<string>;

  private make(n: number): Vector {
    return this.m.meta.precision === "f32" ? new Float32Array(n) : new Float64Array(n);
  }

  /**
   * The module's parameter vector for the bench's parameters: a module that preprocesses keeps its
   * statistics after the trainable values; identity statistics (offset 0, scale 1), because the bench
   * feeds inputs it has already prepared, as every peer gets them.
   */
  private withIdentityStatistics(trainable: Vector): Vector {
    const size = this.m.meta.preprocessing?.size ?? 0;
    if (size === 0) return trainable;
    const whole = this.make(trainable.length + size);
    whole.set(trainable);
    whole.fill(1, trainable.length + size / 2);
    return whole;
  }

  /**
   * One prepared sample as the module's predict takes it: raw, so the data scale it applies (1/255 for
   * the Fashion workload) is divided out first (x / s · s gives x back to within one rounding).
   */
  private rawInput(x: Vector): Vector {
    const scale = this.m.meta.preprocessing?.scale ?? 1;
    if (scale !== 1) for (let i = 0; i < x.length; i++) x[i] = x[i]! / scale;
    return x;
  }

  private copy(a: Float64Array): Vector {
    return this.m.meta.precision === "f32" ? Float32Array.from(a) : Float64Array.from(a);
  }

  async setup(c: BenchCase): Promise<void> {
    const spec = c.workload.spec;
    let m = this.modules.get(spec);
    if (!m) {
      m = await this.build(join(SPEC_DIR, spec));
      this.modules.set(spec, m);
    }
    const want = parameterCount(c.workload.net);
    if (m.meta.parameters !== want || m.meta.inputs !== c.data.inputs || m.meta.outputs !== c.data.outputs) {
      throw new Error(
        `${spec}: module has ${m.meta.inputs} inputs, ${m.meta.outputs} outputs, ${m.meta.parameters} parameters; the workload needs ${c.data.inputs}, ${c.data.outputs}, ${want}`,
      );
    }
    this.m = m;
    if (this.c !== c) this.batchedRows = null;
    this.c = c;
    this.params = this.withIdentityStatistics(this.copy(c.params));
    this.grad = this.make(this.m.meta.parameters);
    this.state = m.createOptimizer();
    // Data converted to the module's precision once, untimed, as a user would load it.
    if (this.converted !== c.data || this.xs.constructor !== this.params.constructor) {
      this.xs = this.copy(c.data.xs);
      this.ys = this.copy(c.data.ys);
      this.converted = c.data;
    }
    this.bx = this.make(c.workload.batchSize * c.data.inputs);
    this.by = this.make(c.workload.batchSize * c.data.outputs);
    this.views = c.workload.shuffle ? [] : epochViews(c.plan, this.xs, this.ys, c.data.inputs, c.data.outputs);
  }

  async train(): Promise<undefined> {
    const { plan, data, workload } = this.c;
    const ni = data.inputs;
    const no = data.outputs;
    const m = this.m;
    for (let b = 0; b < plan.batches; b++) {
      const start = plan.starts[b]!;
      const size = plan.sizes[b]!;
      let bx = this.bx;
      let by = this.by;
      if (!workload.shuffle) {
        // Unshuffled epochs visit 0..n−1 in order: each batch is a view made in setup, no copy, no allocation.
        const v = this.views[b % this.views.length]!;
        bx = v.x;
        by = v.y;
      } else {
        gatherRows(this.xs, ni, plan.indices, start, size, bx);
        gatherRows(this.ys, no, plan.indices, start, size, by);
      }
      m.lossAndGradient(this.params, bx, by, size, this.grad);
      m.step(this.params, this.grad, this.state, plan.epochs[b]!);
    }
    return undefined;
  }

  async evaluate(): Promise<Evaluation> {
    const e = this.c.evaluation;
    const ni = this.c.data.inputs;
    const no = this.c.data.outputs;
    const outputs = new Float64Array(e.count * no);
    const x = this.make(ni);
    const out = this.make(no);
    for (let s = 0; s < e.count; s++) {
      x.set(e.xs.subarray(s * ni, (s + 1) * ni));
      outputs.set(this.m.predict(this.params, this.rawInput(x), out), s * no);
    }
    return scoreOutputs(outputs, e.ys, e.count, no, this.c.workload.net.loss);
  }

  async parameters(): Promise<Float64Array> {
    return Float64Array.from(this.params.subarray(0, this.m.meta.parameters));
  }

  async forward(count: number): Promise<Float64Array> {
    const e = this.c.evaluation;
    const ni = this.c.data.inputs;
    const no = this.c.data.outputs;
    const outputs = new Float64Array(count * no);
    const x = this.make(ni);
    for (let s = 0; s < count; s++) {
      x.set(e.xs.subarray(s * ni, (s + 1) * ni));
      outputs.set(this.m.predict(this.params, this.rawInput(x)), s * no);
    }
    return outputs;
  }

  /** Batched inference (issue 16) is measured for the generated module only; the interpreter is the loss reference. */
  readonly measuresBatched: boolean = false;
  private batchedRows: { xs: Vector; ys: Vector; count: number } | null = null;

  /**
   * Seconds of one batched forward pass over the first `count` evaluation samples, as raw rows: the module's
   * predictBatch (every output computed, into a new array, as ONNX Runtime and PyTorch return theirs), the
   * batched call a module user has; modules built before it existed, evaluate (outputs computed, then scored).
   * The rows are converted once per case, untimed.
   */
  async batched(count: number): Promise<number> {
    const e = this.c.evaluation;
    if (this.batchedRows?.count !== count || this.batchedRows.xs.constructor !== this.params.constructor) {
      this.batchedRows = {
        xs: this.rawInput(this.copy(e.xs.subarray(0, count * this.c.data.inputs))),
        ys: this.copy(e.ys.subarray(0, count * this.c.data.outputs)),
        count,
      };
    }
    const { xs, ys } = this.batchedRows;
    const m = this.m;
    const predictBatch = m.predictBatch;
    if (predictBatch !== undefined) {
      const { value: outputs, seconds } = timed(() => predictBatch(this.params, xs, count));
      const last = outputs[count * this.c.data.outputs - 1];
      if (last === undefined || !Number.isFinite(last)) throw new Error(`predictBatch gave ${String(last)} as its last output`);
      return seconds;
    }
    const { value: r, seconds } = timed(() => m.evaluate(this.params, xs, ys, count));
    if (!Number.isFinite(r.loss)) throw new Error(`evaluate gave loss ${r.loss}`);
    return seconds;
  }

  async latency(x: Float64Array, calls: number): Promise<number> {
    const input = this.rawInput(this.copy(x));
    const out = this.make(this.c.data.outputs);
    // A deployed model predicts from fixed weights: through the module's snapshot predictor when it has one
    // (createPredictor: wasm modules keep the snapshot in kernel memory), else predict.
    const run = this.m.createPredictor?.(this.params);
    if (run !== undefined) return timeCalls(() => run(input, out), calls);
    return timeCalls(() => this.m.predict(this.params, input, out), calls);
  }

  async dispose(): Promise<void> {}
}

/** nnc: the spec compiled to a specialised TypeScript module and loaded through the harness. */
export class NncContestant extends ModuleContestant {
  readonly id = "nnc";
  readonly label = "nnc (generated module)";
  override readonly measuresBatched = true;
  private reason: string | null | undefined;

  async available(): Promise<string | null> {
    if (this.reason === undefined) {
      try {
        const compile = await importSrc("compile.js");
        const load = await importSrc("harness/load.js");
        await importSrc("front/index.js");
        this.reason =
          typeof compile.compileSpec !== "function" || typeof load.loadModule !== "function"
            ? "nnc skipped: src/compile.ts has no compileSpec or src/harness/load.ts no loadModule"
            : null;
      } catch (e) {
        this.reason = `nnc skipped: the code generator is not importable yet (${(e as Error).message.split("\n")[0]})`;
      }
    }
    return this.reason;
  }

  async describe(): Promise<string> {
    return `generated module per spec in bench/specs/, compileSpec + loadModule, precision from the spec`;
  }

  protected async build(specPath: string): Promise<BenchModule> {
    const { loadSpec } = (await importSrc("front/index.js")) as { loadSpec: (p: string) => unknown };
    const { compileSpec } = (await importSrc("compile.js")) as { compileSpec: (spec: unknown, o: object) => Promise<{ text: string }> };
    const { loadModule } = (await importSrc("harness/load.js")) as { loadModule: (text: string) => Promise<BenchModule> };
    const t0 = performance.now();
    const { text } = await compileSpec(loadSpec(specPath), {});
    const milliseconds = performance.now() - t0;
    this.buildStats = { milliseconds, sourceBytes: Buffer.byteLength(text), sourceLines: text.split("\n").length };
    return loadModule(text);
  }
}

/** The float64 reference interpreter (src/interpreter/): generic loops over the IR, the naive baseline. */
export class InterpreterContestant extends ModuleContestant {
  readonly id = "interpreter";
  readonly label = "nnc reference interpreter (f64)";
  private reason: string | null | undefined;

  async available(): Promise<string | null> {
    if (this.reason === undefined) {
      try {
        const i = await importSrc("interpreter/index.js");
        await importSrc("front/index.js");
        this.reason = typeof i.interpret === "function" ? null : "interpreter skipped: src/interpreter has no interpret()";
      } catch (e) {
        this.reason = `interpreter skipped: not importable (${(e as Error).message.split("\n")[0]})`;
      }
    }
    return this.reason;
  }

  async describe(): Promise<string> {
    return "src/interpreter interpret(spec): float64 loops over the IR";
  }

  protected async build(specPath: string): Promise<BenchModule> {
    const { loadSpec } = (await importSrc("front/index.js")) as { loadSpec: (p: string) => unknown };
    const { interpret } = (await importSrc("interpreter/index.js")) as { interpret: (spec: unknown) => BenchModule };
    // Always float64: it is the bench's reference, also for specs that ask nnc for `precision f32` (W4, W5).
    return interpret({ ...(loadSpec(specPath) as object), precision: "f64" });
  }
}

/** What `f` returns and the wall seconds it took (performance.now around the one call). */
function timed<T>(f: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - start) / 1000 };
}
