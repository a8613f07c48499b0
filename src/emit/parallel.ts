// Data-parallel training over worker threads (issue 16, "both cores"): trainParallel on the caller's thread
// and serveTrainingWorker in each worker, talking through SharedArrayBuffers and Atomics.
//
// Bit-identity whatever the number of workers: each batch is cut into slices of PARALLEL_SLICE samples, a
// size fixed by the spec's batch (not by the worker count). A worker takes the next slice from a shared
// counter and writes that slice's gradient (lossAndGradient over its rows) into the slice's own buffer;
// after a barrier, the workers sum the slice buffers element by element in slice order (each worker a range
// of parameters), and the caller's thread does the one optimiser step. Which worker computed which slice
// changes nothing, so 1, 2, 3 … workers give the same bits. Against train(), the batch gradient is
// reassociated (slice sums, then their weighted sum): equal to the interpreter within rounding, not bit for
// bit (docs/performance.md, "Both cores").
//
// Synchronisation, per batch: the caller writes the batch's numbers and bumps a generation word (Atomics.add,
// then notify); workers sleep in Atomics.wait on it. The last worker through each phase publishes the
// generation in that phase's word. The caller blocks in Atomics.wait where the host allows it (Node, any
// worker) and otherwise awaits Atomics.waitAsync (a page's main thread, where Atomics.wait throws).
import type { FunctionDeclarationStructure } from "ts-morph";
import { copyRow, functionStructure, mul, type EmitContext } from "./code.js";

/**
 * At most this many slices per batch, so up to this many workers do work; more slices would cost a reduction
 * pass over the gradient per extra slice (W5: 101,770 parameters per slice) for cores this project's target
 * machines (2 cores) do not have.
 */
export const MAX_SLICES = 4;
/** Slices are no smaller than this (unless the batch is): W5 single-threaded, 64 rows as 4 slices of 16 took 1.13× as long as one call, as 2 of 32 1.07× (each call copies the parameters into kernel memory and the gradient out). */
export const MIN_SLICE = 32;
/** Loads a waiting thread spins through before it sleeps (waitWhile). */
const SPIN = 200_000;
/** The reduction hands out the gradient in ranges of this many parameters (a few per worker even for small nets). */
const RANGE = 4096;

/** The plan's slice size: ceil(batch / slices), with slices = min(MAX_SLICES, ⌊batch / MIN_SLICE⌋) (at least 1). */
export function parallelSlice(batch: number): number {
  const b = Math.max(1, batch);
  const slices = Math.max(1, Math.min(MAX_SLICES, Math.floor(b / MIN_SLICE)));
  return Math.ceil(b / slices);
}

// The control words (an Int32Array in a SharedArrayBuffer): their indices in the emitted code.
const WORDS = {
  GENERATION: 0,
  COMMAND: 1,
  WORKERS: 2,
  SEED: 3,
  FIRST: 4,
  ROWS: 5,
  NEXT_SLICE: 6,
  SLICES_DONE: 7,
  SLICES_PASSED: 8,
  NEXT_RANGE: 9,
  RANGES_DONE: 10,
  FINISHED: 11,
  FAILED: 12,
} as const;
const CONTROL_WORDS = 13;

/** The section's type and constant statements (module.ts places them after the training loop's types). */
export function emitParallelTypes(ctx: EmitContext): string[] {
  const slice = parallelSlice(ctx.spec.training.batchSize);
  return [
    `/**
 * trainParallel's slice: each batch is cut into slices of this many samples (the last may be shorter), fixed by
 * the spec's batch size, never by the number of workers, so any number of workers gives the same parameters.
 */
export const PARALLEL_SLICE = ${slice};`,
    `/**
 * What trainParallel and serveTrainingWorker talk through: a Node worker_threads Worker or parentPort (on/off),
 * a page's Worker or a worker's \`self\` (addEventListener/removeEventListener). Typed structurally: the module
 * references no Node or DOM types.
 */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  on?(type: "message" | "error", listener: (data: unknown) => void): unknown;
  off?(type: "message" | "error", listener: (data: unknown) => void): unknown;
  addEventListener?(type: "message" | "error", listener: (event: { data?: unknown; message?: unknown }) => void): void;
  removeEventListener?(type: "message" | "error", listener: (event: { data?: unknown; message?: unknown }) => void): void;
  start?(): void;
}`,
    `/** What trainParallel posts to each worker: the shared buffers of one run. */
interface ParallelJob {
  nnc: "trainParallel";
  specHash: string;
  control: Int32Array;
  xs: ${ctx.array};
  ys: ${ctx.array};
  order: Int32Array;
  params: ${ctx.array};
  slices: ${ctx.array};
  grad: ${ctx.array};
  losses: Float64Array;
}`,
    `/**
 * The caller's side of a set of workers (createParallelGradient): lossAndGradient over the rows order[first … first + n − 1]
 * of the shared xs and ys, in fixed slices of PARALLEL_SLICE (the same bits for any number of workers); trainParallel's engine.
 */
export interface ParallelGradient {
  /** count row indices into xs and ys (shared with the workers): write a batch's rows here before lossAndGradient. */
  readonly order: Int32Array;
  /** Mean loss of rows order[first … first + n − 1]; grad overwritten with its gradient (as lossAndGradient). options.dropoutSeed seeds the slices' masks. */
  lossAndGradient(params: ${ctx.array}, first: number, n: number, grad: ${ctx.array}, options?: { dropoutSeed?: number }): Promise<number>;
  /** Releases the workers (they wait for the next run; terminate them when done). Resolves once every worker has left. */
  close(): Promise<void>;
}`,
  ];
}

const W = (name: keyof typeof WORDS): string => `${WORDS[name]} /* ${name.toLowerCase()} */`;

export function emitParallel(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { plan, spec } = ctx;
  const A = ctx.array;
  const I = plan.inputs;
  const O = plan.outputs;
  const P = plan.parameters;
  const slices = Math.ceil(Math.max(1, spec.training.batchSize) / parallelSlice(spec.training.batchSize));
  const bytes = plan.precision === "f32" ? 4 : 8;

  const listen = functionStructure({
    name: "listen",
    doc: "Adds `listener` for `type` events of `port` (Node's on gives the data, the DOM's addEventListener an event); returns its removal.",
    parameters: [
      ["port", "MessageEndpoint"],
      ["type", '"message" | "error"'],
      ["listener", "(data: unknown) => void"],
    ],
    returns: "() => void",
    body: [
      "if (port.on !== undefined && port.off !== undefined) {",
      "port.on(type, listener);",
      "return () => port.off?.(type, listener);",
      "}",
      "// A DOM error event has no data, only a message.",
      'const wrapped = (event: { data?: unknown; message?: unknown }): void => listener(type === "message" ? event.data : event.message);',
      "port.addEventListener?.(type, wrapped);",
      "// A MessagePort's listeners get nothing until it is started (a Worker and a worker's self need no start).",
      "port.start?.();",
      "return () => port.removeEventListener?.(type, wrapped);",
    ],
  });

  const waitWhile = functionStructure({
    name: "waitWhile",
    doc: [
      `Returns once control word \`index\` no longer holds \`value\` (or Atomics.wait wakes): spinning first, up to ${SPIN.toLocaleString("en")} loads`,
      "(~0.5 ms here), then sleeping: how a worker waits for the next batch. Why spin: waking a sleeping thread took 1–2 ms",
      "on this project's 2-core VM, longer than a W4 slice (~0.4 ms), so the caller, already running, took every slice; a",
      "worker that spins through the caller's step is there for the next batch (OpenMP runtimes spin too: KMP_BLOCKTIME).",
    ].join("\n"),
    parameters: [
      ["control", "Int32Array"],
      ["index", "number"],
      ["value", "number"],
    ],
    returns: "void",
    body: [`for (let spin = 0; spin < ${SPIN} && Atomics.load(control, index) === value; spin++);`, "Atomics.wait(control, index, value);"],
  });

  const waitFor = functionStructure({
    name: "waitFor",
    doc: [
      "Resolves once control word `index` holds `value`: sleeping in Atomics.wait when `block` (the thread may block),",
      "else in Atomics.waitAsync (a page's main thread, where Atomics.wait throws).",
    ].join("\n"),
    parameters: [
      ["control", "Int32Array"],
      ["index", "number"],
      ["value", "number"],
      ["block", "boolean"],
    ],
    returns: "Promise<void>",
    body: [
      "const atomics = Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: unknown } };",
      "for (let now = Atomics.load(control, index); now !== value; now = Atomics.load(control, index)) {",
      "// Sleeping, not spinning: where the caller shares a core with a worker (a busy machine), its spinning kept the worker",
      "// from finishing (W4 at 0.48× train() with 2 threads).",
      "if (block) Atomics.wait(control, index, now);",
      "else {",
      "const waiting = atomics.waitAsync(control, index, now);",
      "if (waiting.async) await waiting.value;",
      "}",
      "}",
    ],
  });
  waitFor.isAsync = true;

  const take = functionStructure({
    name: "takeSlices",
    doc: [
      "One thread's share of a batch's first phase (a worker's or the caller's): the next slice from the shared counter",
      "until none is left, each slice's rows gathered through the shared order and its gradient written into its own buffer.",
    ].join("\n"),
    parameters: [
      ["job", "ParallelJob"],
      ["views", `readonly ${A}[]`],
      ["sliceXs", A],
      ["sliceYs", A],
    ],
    returns: "void",
    body: [
      "const { control, xs, ys, order, params, losses } = job;",
      `const n = control[${W("ROWS")}]!;`,
      "const pieces = Math.ceil(n / PARALLEL_SLICE);",
      ...(plan.hasDropout ? [`const seed = control[${W("SEED")}]! >>> 0;`] : []),
      `const first = control[${W("FIRST")}]!;`,
      `for (let k = Atomics.add(control, ${W("NEXT_SLICE")}, 1); k < pieces; k = Atomics.add(control, ${W("NEXT_SLICE")}, 1)) {`,
      "const count = Math.min(PARALLEL_SLICE, n - k * PARALLEL_SLICE);",
      "gatherSlice(xs, ys, order, first + k * PARALLEL_SLICE, count, sliceXs, sliceYs);",
      plan.hasDropout
        ? "// Each slice its own masks, seeded by batch and slice (never by thread).\nlosses[k] = lossAndGradientUnchecked(params, sliceXs, sliceYs, count, views[k]!, { training: true, dropoutSeed: (seed ^ Math.imul(k + 1, 0x27d4eb2f)) >>> 0 });"
        : "losses[k] = lossAndGradientUnchecked(params, sliceXs, sliceYs, count, views[k]!);",
      "}",
    ],
  });
  const ranges = functionStructure({
    name: "takeRanges",
    doc: "One thread's share of a batch's second phase: the next range of parameters until none is left, summed over the slices (sumSlices).",
    parameters: [
      ["job", "ParallelJob"],
      ["views", `readonly ${A}[]`],
    ],
    returns: "void",
    body: [
      "const { control, grad } = job;",
      `const n = control[${W("ROWS")}]!;`,
      `for (let r = Atomics.add(control, ${W("NEXT_RANGE")}, 1); r * ${RANGE} < ${P}; r = Atomics.add(control, ${W("NEXT_RANGE")}, 1))`,
      `sumSlices(views, grad, r * ${RANGE}, Math.min(${P}, (r + 1) * ${RANGE}), n);`,
    ],
  });
  const arrive = functionStructure({
    name: "arrive",
    doc: [
      "A thread's arrival at the end of a phase: counts it in word `done`; the last of the run's threads publishes the",
      "generation in word `passed` and wakes the others (returns true); the others return false and wait for `passed`.",
    ].join("\n"),
    parameters: [
      ["control", "Int32Array"],
      ["done", "number"],
      ["passed", "number"],
      ["generation", "number"],
    ],
    returns: "boolean",
    body: [
      `if (Atomics.add(control, done, 1) !== control[${W("WORKERS")}]! - 1) return false;`,
      "Atomics.store(control, passed, generation);",
      "Atomics.notify(control, passed);",
      "return true;",
    ],
  });
  const serveSlices = functionStructure({
    name: "serveSlices",
    doc: [
      "A worker's side of one trainParallel run, until the caller says exit: per batch, its share of the slices, a",
      "barrier, its share of the sums. Returns the first error it caught (the run goes on to its barriers, so no thread",
      "waits for ever; the caller stops after the batch).",
    ].join("\n"),
    parameters: [["job", "ParallelJob"]],
    returns: "string | null",
    body: [
      "const control = job.control;",
      `const sliceXs = new ${A}(PARALLEL_SLICE * ${I});`,
      `const sliceYs = new ${A}(PARALLEL_SLICE * ${O});`,
      "// One view per slice buffer, made once (lossAndGradient writes a slice's gradient into it).",
      `const views: ${A}[] = [];`,
      `for (let k = 0; k < ${slices}; k++) views.push(job.slices.subarray(k * ${P}, (k + 1) * ${P}));`,
      "let failure: string | null = null;",
      "// The caller bumps the generation only after every worker said it is ready, so each starts from 0.",
      "let seen = 0;",
      "for (;;) {",
      `waitWhile(control, ${W("GENERATION")}, seen);`,
      `const generation = Atomics.load(control, ${W("GENERATION")});`,
      "if (generation === seen) continue;",
      "seen = generation;",
      `if (Atomics.load(control, ${W("COMMAND")}) !== 0) return failure;`,
      "try {",
      "takeSlices(job, views, sliceXs, sliceYs);",
      "} catch (error) {",
      "failure ??= error instanceof Error ? (error.stack ?? error.message) : String(error);",
      `Atomics.store(control, ${W("FAILED")}, 1);`,
      "}",
      `if (!arrive(control, ${W("SLICES_DONE")}, ${W("SLICES_PASSED")}, generation))`,
      `for (let now = Atomics.load(control, ${W("SLICES_PASSED")}); now !== generation; now = Atomics.load(control, ${W("SLICES_PASSED")}))`,
      "// Sleeping, not spinning: a worker spinning here slowed a hand W4 loop from 1.2 to 6 ms a batch (measured, not understood).",
      `Atomics.wait(control, ${W("SLICES_PASSED")}, now);`,
      "takeRanges(job, views);",
      `arrive(control, ${W("RANGES_DONE")}, ${W("FINISHED")}, generation);`,
      "}",
    ],
  });

  // The per-row and per-parameter loops are functions of their own, called per slice and per range: a loop in
  // serveSlices would run in V8's interpreter again at every run's first batches (serveSlices is entered once per
  // run and its loop optimised on the spot each time), which cost W5 ~40 ms per batch for the first few.
  const gather = functionStructure({
    name: "gatherSlice",
    doc: "Copies rows order[from … from + count − 1] of xs and ys into a slice's buffers.",
    parameters: [
      ["xs", A],
      ["ys", A],
      ["order", "Int32Array"],
      ["from", "number"],
      ["count", "number"],
      ["sliceXs", A],
      ["sliceYs", A],
    ],
    returns: "void",
    body: [
      "for (let s = 0; s < count; s++) {",
      "const row = order[from + s]!;",
      ...copyRow(I, "sliceXs", mul("s", I), "xs"),
      ...copyRow(O, "sliceYs", mul("s", O), "ys"),
      "}",
    ],
  });
  const views = Array.from({ length: slices }, (_, k) => `v${k}`);
  const sum = functionStructure({
    name: "sumSlices",
    doc: [
      "The batch gradient of parameters lo … end − 1 from the slices' mean gradients, summed in slice order: a batch of",
      "full slices weighs them alike (one division), a shorter one weighs each by its rows, over n.",
    ].join("\n"),
    parameters: [
      ["views", `readonly ${A}[]`],
      ["grad", A],
      ["lo", "number"],
      ["end", "number"],
      ["n", "number"],
    ],
    returns: "void",
    body: [
      "const pieces = Math.ceil(n / PARALLEL_SLICE);",
      "const last = n - (pieces - 1) * PARALLEL_SLICE;",
      `const [${views.join(", ")}] = views as [${views.map(() => A).join(", ")}];`,
      ...(slices === 1
        ? ["for (let i = lo; i < end; i++) grad[i] = last === PARALLEL_SLICE ? v0[i]! : (v0[i]! * last) / n;"]
        : [
            `if (pieces === ${slices} && last === PARALLEL_SLICE)`,
            `for (let i = lo; i < end; i++) grad[i] = (${views.map((v) => `${v}[i]!`).join(" + ")}) / ${slices};`,
            "else",
            "for (let i = lo; i < end; i++) {",
            "let sum = 0;",
            "for (let k = 0; k < pieces - 1; k++) sum += views[k]![i]! * PARALLEL_SLICE;",
            "grad[i] = (sum + views[pieces - 1]![i]! * last) / n;",
            "}",
          ]),
    ],
  });

  const serve = functionStructure({
    name: "serveTrainingWorker",
    exported: true,
    doc: [
      "Makes this thread one of trainParallel's workers: call it once in a worker that imports this module",
      '(Node: serveTrainingWorker(parentPort) with node:worker_threads; a page: serveTrainingWorker(self) in a { type: "module" }',
      "Worker). It answers each trainParallel run (of this same module, checked by meta.specHash) until that run ends, then",
      "waits for the next; while a run lasts the thread is busy in it (Atomics.wait between batches).",
    ].join("\n"),
    parameters: [["port", "MessageEndpoint"]],
    returns: "void",
    body: [
      'listen(port, "message", (data) => {',
      "const job = data as Partial<ParallelJob> | null;",
      'if (typeof job !== "object" || job === null || job.nnc !== "trainParallel") return;',
      "if (job.specHash !== meta.specHash) {",
      "port.postMessage({",
      'nnc: "trainParallel.failed",',
      "message: `this worker serves the module of ${meta.name} (spec ${meta.specHash.slice(0, 12)}), not trainParallel's (spec ${String(job.specHash).slice(0, 12)})`,",
      "});",
      "return;",
      "}",
      'port.postMessage({ nnc: "trainParallel.ready" });',
      'port.postMessage({ nnc: "trainParallel.exited", failure: serveSlices(job as ParallelJob) });',
      "});",
    ],
  });

  const shared = (length: string, type: string = A, size = bytes): string => `new ${type}(new SharedArrayBuffer(${length} * ${size}))`;
  const start = functionStructure({
    name: "createParallelGradient",
    exported: true,
    doc: [
      "Starts a data-parallel lossAndGradient over `workers` (each running serveTrainingWorker) for count samples of xs and ys:",
      "shared buffers (xs and ys used in place when already in a SharedArrayBuffer, else copied once), the job posted to every",
      "worker, each one's answer awaited. Throws, naming the cause, where SharedArrayBuffer is missing (a page without",
      "cross-origin isolation), a worker refuses (it runs another module) or fails to start. Call close() when done.",
    ].join("\n"),
    parameters: [
      ["xs", A],
      ["ys", A],
      ["count", "number"],
      ["workers", "readonly MessageEndpoint[]"],
    ],
    returns: "Promise<ParallelGradient>",
    body: [
      "// A page that is not cross-origin isolated may still have the constructor, but cannot share what it makes.",
      'if (typeof SharedArrayBuffer !== "function" || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false)',
      "throw new Error(",
      '"trainParallel: SharedArrayBuffer is unavailable; a page has it only when cross-origin isolated (served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)",',
      ");",
      "// Atomics.wait throws on a page's main thread: there the caller awaits Atomics.waitAsync instead.",
      "let block = true;",
      "try {",
      "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);",
      "} catch {",
      "block = false;",
      "}",
      'if (!block && typeof (Atomics as unknown as { waitAsync?: unknown }).waitAsync !== "function")',
      'throw new Error("trainParallel: this thread can neither block (Atomics.wait) nor wait asynchronously (Atomics.waitAsync); call trainParallel from a worker");',
      `const inShared = (array: ${A}, length: number): ${A} => {`,
      "if (array.buffer instanceof SharedArrayBuffer) return array.subarray(0, length);",
      `const copy = ${shared("length")};`,
      "copy.set(array.subarray(0, length));",
      "return copy;",
      "};",
      `const control = ${shared(String(CONTROL_WORDS), "Int32Array", 4)};`,
      "// The caller takes slices too: the run's threads are the workers and this one.",
      `control[${W("WORKERS")}] = workers.length + 1;`,
      `const sliceXs = new ${A}(PARALLEL_SLICE * ${I});`,
      `const sliceYs = new ${A}(PARALLEL_SLICE * ${O});`,
      "const job: ParallelJob = {",
      'nnc: "trainParallel",',
      "specHash: meta.specHash,",
      "control,",
      `xs: inShared(xs, count * ${I}),`,
      `ys: inShared(ys, count * ${O}),`,
      `order: ${shared("count", "Int32Array", 4)},`,
      `params: ${shared(String(P))},`,
      `slices: ${shared(String(slices * P))},`,
      `grad: ${shared(String(P))},`,
      `losses: ${shared(String(slices), "Float64Array", 8)},`,
      "};",
      `const views: ${A}[] = [];`,
      `for (let k = 0; k < ${slices}; k++) views.push(job.slices.subarray(k * ${P}, (k + 1) * ${P}));`,
      "const removals: (() => void)[] = [];",
      "const ready: Promise<void>[] = [];",
      "const exited: Promise<string | null>[] = [];",
      "workers.forEach((worker, i) => {",
      "ready.push(",
      "new Promise<void>((resolve, reject) => {",
      "exited.push(",
      "new Promise<string | null>((done) => {",
      "removals.push(",
      'listen(worker, "message", (data) => {',
      "const message = data as { nnc?: unknown; message?: unknown; failure?: unknown } | null;",
      'if (typeof message !== "object" || message === null) return;',
      'if (message.nnc === "trainParallel.ready") resolve();',
      'else if (message.nnc === "trainParallel.failed") reject(new Error(`trainParallel: workers[${i}]: ${String(message.message)}`));',
      'else if (message.nnc === "trainParallel.exited") done(typeof message.failure === "string" ? `workers[${i}]: ${message.failure}` : null);',
      "}),",
      'listen(worker, "error", (error) => reject(new Error(`trainParallel: workers[${i}] failed: ${String(error)}`))),',
      ");",
      "}),",
      ");",
      "}),",
      ");",
      "worker.postMessage(job);",
      "});",
      "let closed = false;",
      "const close = async (): Promise<string[]> => {",
      "if (closed) return [];",
      "closed = true;",
      `Atomics.store(control, ${W("COMMAND")}, 1);`,
      `Atomics.add(control, ${W("GENERATION")}, 1);`,
      `Atomics.notify(control, ${W("GENERATION")});`,
      "const failures = await Promise.all(exited);",
      "for (const remove of removals) remove();",
      "return failures.filter((f): f is string => f !== null);",
      "};",
      'const fn = "ParallelGradient.lossAndGradient";',
      "try {",
      "await Promise.all(ready);",
      "} catch (error) {",
      "// The workers that did start are in their loop: release them (the failed ones never answer).",
      "closed = true;",
      `Atomics.store(control, ${W("COMMAND")}, 1);`,
      `Atomics.add(control, ${W("GENERATION")}, 1);`,
      `Atomics.notify(control, ${W("GENERATION")});`,
      "for (const remove of removals) remove();",
      "throw error;",
      "}",
      "return {",
      "order: job.order,",
      `async lossAndGradient(params: ${A}, first: number, n: number, grad: ${A}, options?: { dropoutSeed?: number }): Promise<number> {`,
      `checkLength(fn, "params", params, ${P}, "the trainable parameters");`,
      'checkInteger(fn, "first", first, 0, count - 1);',
      'checkInteger(fn, "n", n, 1, count - first);',
      `checkLength(fn, "grad", grad, ${P}, "one per trainable parameter");`,
      'if (options?.dropoutSeed !== undefined) checkInteger(fn, "options.dropoutSeed", options.dropoutSeed, 0, 4294967295);',
      "if (closed) throw new Error(`${fn}: called after close()`);",
      `job.params.set(params.subarray(0, ${P}));`,
      `control[${W("SEED")}] = (options?.dropoutSeed ?? 0) | 0;`,
      `control[${W("FIRST")}] = first;`,
      `control[${W("ROWS")}] = n;`,
      `control[${W("NEXT_SLICE")}] = 0;`,
      `control[${W("SLICES_DONE")}] = 0;`,
      `control[${W("NEXT_RANGE")}] = 0;`,
      `control[${W("RANGES_DONE")}] = 0;`,
      "// Atomics.add publishes the writes above to the workers (a sequentially consistent write).",
      `const generation = (Atomics.add(control, ${W("GENERATION")}, 1) + 1) | 0;`,
      `Atomics.notify(control, ${W("GENERATION")});`,
      "// This thread's share, as a worker's (serveSlices), waiting where it must as the host allows (waitFor).",
      "let failure: unknown = null;",
      "try {",
      "takeSlices(job, views, sliceXs, sliceYs);",
      "} catch (error) {",
      "failure = error;",
      `Atomics.store(control, ${W("FAILED")}, 1);`,
      "}",
      `if (!arrive(control, ${W("SLICES_DONE")}, ${W("SLICES_PASSED")}, generation)) await waitFor(control, ${W("SLICES_PASSED")}, generation, block);`,
      "takeRanges(job, views);",
      `if (!arrive(control, ${W("RANGES_DONE")}, ${W("FINISHED")}, generation)) await waitFor(control, ${W("FINISHED")}, generation, block);`,
      "if (failure !== null) {",
      "await close();",
      "throw failure;",
      "}",
      `if (Atomics.load(control, ${W("FAILED")}) !== 0) throw new Error(\`trainParallel: \${(await close()).join("; ")}\`);`,
      "let loss = 0;",
      "for (let k = 0; k * PARALLEL_SLICE < n; k++) loss += job.losses[k]! * Math.min(PARALLEL_SLICE, n - k * PARALLEL_SLICE);",
      `grad.set(job.grad);`,
      "return loss / n;",
      "},",
      "async close(): Promise<void> {",
      "const failures = await close();",
      'if (failures.length > 0) throw new Error(`trainParallel: ${failures.join("; ")}`);',
      "},",
      "};",
    ],
  });
  start.isAsync = true;
  return [listen, waitWhile, waitFor, gather, sum, take, ranges, arrive, serveSlices, serve, start];
}
