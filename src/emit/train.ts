// The training loop the spec describes (src/module-api.ts has the contract): epochs of batches in the
// seeded order, lossAndGradient in training mode and step per batch, evaluation metrics and stop criteria
// every `evaluateEvery` epochs, non-finite losses restoring the last finite epoch, early stopping
// restoring the best parameters.
import type { FunctionDeclarationStructure } from "ts-morph";
import { literal, substitute } from "../maths.js";
import { BATCH_SEED_SOURCE, EPOCH_SEED_SOURCE } from "../module-api.js";
import { add, copyRow, functionStructure, mul, type EmitContext, type Index } from "./code.js";
import { emitParallel } from "./parallel.js";

/**
 * trainAsync's default slice of work between pauses, in ms. Measured (docs/web.md, "trainAsync"): a pause
 * (a MessageChannel round trip) costs ~0.04 ms in Node 20 (setTimeout(0): ~1.2 ms, clamped) and 0.07–0.17 ms
 * in headless Chromium (test/web/worker.test.ts prints it), so 10 ms slices spend at most ~2 % pausing,
 * while a page still gets a turn within every frame (16.7 ms at 60 Hz).
 */
export const YIELD_EVERY_MS = 10;

/** trainAsync's two helpers: when to pause (createPacer) and the pause itself (pause). */
function emitPacing(): FunctionDeclarationStructure[] {
  const pacer = functionStructure({
    name: "createPacer",
    doc: [
      "When trainAsync pauses: once `sliceMs` have passed since the last pause, on the host's monotonic clock",
      "(performance.now; without one it never pauses). The clock is read only every `stride` batches, the",
      "stride doubling while reads come less than 1 ms apart, so a tiny net (~0.5 µs a batch) does not pay a",
      "clock read (~0.06 µs) per batch. Typed structurally: the module references no DOM or Node types.",
    ].join("\n"),
    parameters: [["sliceMs", "number"]],
    returns: "{ due(): boolean }",
    body: [
      "const clock = (globalThis as unknown as { performance?: { now(): number } }).performance;",
      "if (clock === undefined) return { due: () => false };",
      "let deadline = clock.now() + sliceMs;",
      "let lastRead = clock.now();",
      "let stride = 1;",
      "let untilRead = 1;",
      "return {",
      "due(): boolean {",
      "if (--untilRead > 0) return false;",
      "const now = clock.now();",
      "if (now - lastRead < 1 && stride < 65536) stride *= 2;",
      "untilRead = stride;",
      "lastRead = now;",
      "if (now < deadline) return false;",
      "deadline = now + sliceMs;",
      "return true;",
      "},",
      "};",
    ],
  });
  const pause = functionStructure({
    name: "pause",
    doc: [
      "Resolves on a later macrotask, so the host renders and handles input in between (awaiting a resolved",
      "promise would not: microtasks run before rendering). A MessageChannel message where there is one (no",
      "4 ms clamp, unlike nested setTimeout), else setTimeout(0). The host's API is typed structurally here:",
      "the module references no DOM or Node types.",
    ].join("\n"),
    parameters: [],
    returns: "Promise<void>",
    body: [
      "const host = globalThis as unknown as {",
      "MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(message: null): void } };",
      "setTimeout?: (callback: () => void, ms: number) => unknown;",
      "};",
      "return new Promise((resolve) => {",
      "if (host.MessageChannel !== undefined) {",
      "const channel = new host.MessageChannel();",
      "channel.port1.onmessage = () => {",
      "// Closed at once: an open port would keep Node's event loop alive after training.",
      "channel.port1.close();",
      "resolve();",
      "};",
      "channel.port2.postMessage(null);",
      "} else if (host.setTimeout !== undefined) host.setTimeout(resolve, 0);",
      "else resolve();",
      "});",
    ],
  });
  return [pacer, pause];
}

export function emitTrain(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { spec, plan } = ctx;
  const t = spec.training;
  const seed = literal(t.seed);
  const batch = Math.max(1, t.batchSize);
  const early = t.stop.find((s) => s.kind === "early");
  const epochSeed = functionStructure({
    name: "epochSeed",
    doc: `Seed of epoch \`epoch\`'s shuffle (training seed ${t.seed}).`,
    parameters: [["epoch", "number"]],
    returns: "number",
    body: [`return ${substitute(EPOCH_SEED_SOURCE, { seed })};`],
  });
  const batchSeed = functionStructure({
    name: "batchSeed",
    doc: "Seed of the dropout masks of batch `batch` in epoch `epoch`.",
    parameters: [
      ["epoch", "number"],
      ["batch", "number"],
    ],
    returns: "number",
    body: [`return ${substitute(BATCH_SEED_SOURCE, { seed })};`],
  });
  const shuffle = functionStructure({
    name: "shuffleIndices",
    doc: "Fisher–Yates shuffle of `order` in place, drawing from rng (nnc's shuffleIndices).",
    parameters: [
      ["order", "Int32Array"],
      ["rng", "Rng"],
    ],
    returns: "void",
    body: [
      "for (let i = order.length - 1; i > 0; i--) {",
      "const j = Math.floor(rng.uniform() * (i + 1));",
      "const t = order[i];",
      "order[i] = order[j];",
      "order[j] = t;",
      "}",
    ],
  });

  // Stop criteria in spec order; the first that fires wins (later ones are not looked at).
  const criteria: string[] = [];
  for (const s of t.stop) {
    const check: string[] = [];
    if (s.kind === "loss_below") check.push(`if (metrics.loss < ${literal(s.value)}) stop = "loss_below";`);
    else if (s.kind === "accuracy_above") check.push(`if (metrics.accuracy !== null && metrics.accuracy >= ${literal(s.value)}) stop = "accuracy_above";`);
    else {
      const loss = s.monitor === "val_loss";
      check.push(
        `const monitored = ${loss ? "metrics.testLoss ?? metrics.loss" : "metrics.testAccuracy !== undefined ? metrics.testAccuracy : metrics.accuracy"};`,
        "if (monitored !== null) {",
        `if (early.bestEpoch < 0 || ${loss ? `monitored < early.bestValue - ${literal(s.minDelta)}` : `monitored > early.bestValue + ${literal(s.minDelta)}`}) {`,
        "early.bestValue = monitored;",
        "early.bestEpoch = epoch;",
        "early.best.set(params);",
        "early.waited = 0;",
        `} else if (++early.waited >= ${s.patience}) {`,
        'stop = "early";',
        "params.set(early.best);",
        "}",
        "}",
      );
    }
    // The first criterion needs a block only for its locals (early stopping's `monitored`).
    if (criteria.length === 0) criteria.push(...(check.length === 1 ? check : ["{", ...check, "}"]));
    else criteria.push("if (stop === null) {", ...check, "}");
  }

  const A = ctx.array;
  // train's body, and trainAsync's: the same statements in the same order (so the same numbers, bit for bit),
  // trainAsync adding a signal check and a pause for the host after each batch and each evaluation.
  // trainParallel's is trainAsync's with each batch's gradient from the workers (src/emit/parallel.ts): its
  // order lives in shared memory, the workers gather the rows, and the body runs inside try/finally so the
  // workers are released however it returns.
  const body = (mode: "sync" | "async" | "parallel"): string[] => {
    const isAsync = mode !== "sync";
    const parallel = mode === "parallel";
    const lines = [
      `const epochs = options.epochs ?? ${t.epochs};`,
      "const startEpoch = options.startEpoch ?? 0;",
      "const state = options.optimizer ?? createOptimizer();",
      "const every = options.evaluateEvery ?? 1;",
      batch === 1 ? "const batches = count;" : `const batches = Math.ceil(count / ${batch});`,
      ...(parallel
        ? [`const grad = new ${A}(${plan.parameters});`, "const order = gang.order;"]
        : [
            `const grad = new ${A}(${plan.parameters});`,
            "const order = new Int32Array(count);",
            `const batchXs = new ${A}(${batch * plan.inputs});`,
            `const batchYs = new ${A}(${batch * plan.outputs});`,
          ]),
      "// The parameters at the end of the last epoch that left every parameter finite, and that epoch count",
      "// (what a non-finite loss reports: the weights kept are those of a run told to stop there).",
      `const lastFinite = ${A}.from(params);`,
      "let finiteEpochs = startEpoch;",
      ...(early
        ? [
            "// Early-stopping state: the caller's when resuming (updated in place, so a checkpoint can save it).",
            `const early: EarlyStoppingState = options.earlyStopping ?? { bestEpoch: -1, bestValue: 0, waited: 0, best: new ${A}(${plan.parameters}) };`,
          ]
        : []),
      "const history: EpochMetrics[] = [];",
      "let completed = startEpoch;",
      ...(isAsync ? [`const pacer = createPacer(options.yieldEveryMs ?? ${YIELD_EVERY_MS});`] : []),
      "const finish = (stoppedBy: StopReason): TrainingReport => {",
      "const report: TrainingReport = { epochs: completed, stoppedBy, history, optimizer: state };",
      ...(early ? ['if (stoppedBy === "early") report.bestEpoch = early.bestEpoch;'] : []),
      "return report;",
      "};",
      "for (let epoch = startEpoch; epoch < epochs; epoch++) {",
      "for (let i = 0; i < count; i++) order[i] = i;",
      ...(t.shuffle ? ["shuffleIndices(order, createRng(epochSeed(epoch)));"] : []),
      "for (let b = 0; b < batches; b++) {",
      ...(parallel
        ? [
            ...(batch === 1 ? [] : [`const first = b * ${batch};`]),
            `const loss = await gang.lossAndGradient(params, ${batch === 1 ? "b, 1" : `first, Math.min(${batch}, count - first)`}, grad${plan.hasDropout ? ", { dropoutSeed: batchSeed(epoch, b) }" : ""});`,
          ]
        : batch === 1
          ? ["const n = 1;", "const row = order[b];", ...copyRow(plan.inputs, "batchXs", 0, "xs"), ...copyRow(plan.outputs, "batchYs", 0, "ys")]
          : [
              `const first = b * ${batch};`,
              `const n = Math.min(${batch}, count - first);`,
              "for (let s = 0; s < n; s++) {",
              "const row = order[first + s];",
              ...copyRow(plan.inputs, "batchXs", mul("s", plan.inputs), "xs"),
              ...copyRow(plan.outputs, "batchYs", mul("s", plan.outputs), "ys"),
              "}",
            ]),
      // Training mode only matters for dropout: without it, no options object per batch.
      ...(parallel
        ? []
        : [
            plan.hasDropout
              ? "const loss = lossAndGradient(params, batchXs, batchYs, n, grad, { training: true, dropoutSeed: batchSeed(epoch, b) });"
              : "const loss = lossAndGradient(params, batchXs, batchYs, n, grad);",
          ]),
      "options.onBatch?.(epoch, b, batches, loss);",
      "if (!Number.isFinite(loss)) {",
      "params.set(lastFinite);",
      "completed = finiteEpochs;",
      'return finish("non_finite");',
      "}",
      "step(params, grad, state, epoch);",
      isAsync ? "if (options.shouldStop?.() === true || options.signal?.aborted === true) {" : "if (options.shouldStop?.() === true) {",
      "if (b === batches - 1) completed = epoch + 1;",
      'return finish("interrupted");',
      "}",
      ...(isAsync ? ["if (pacer.due()) await pause();"] : []),
      "}",
      "completed = epoch + 1;",
      "if ((epoch + 1) % every === 0 || epoch === epochs - 1) {",
      "const fit = evaluate(params, xs, ys, count);",
      "if (!Number.isFinite(fit.loss)) {",
      "params.set(lastFinite);",
      "completed = finiteEpochs;",
      'return finish("non_finite");',
      "}",
      "const metrics: EpochMetrics = { epoch, learningRate: learningRate(epoch), loss: fit.loss, accuracy: fit.accuracy };",
      "if (options.test !== undefined) {",
      "const held = evaluate(params, options.test.xs, options.test.ys, options.test.count);",
      "metrics.testLoss = held.loss;",
      "metrics.testAccuracy = held.accuracy;",
      "}",
      "history.push(metrics);",
      // Without stop criteria there is no `stop` to set (nor a dead check of it).
      ...(criteria.length > 0 ? ["let stop: StopReason | null = null;", ...criteria] : []),
      "const carryOn = options.onEpoch?.(metrics);",
      ...(criteria.length > 0 ? ["if (stop !== null) return finish(stop);"] : []),
      'if (carryOn === false) return finish("callback");',
      ...(isAsync ? ["if (pacer.due()) await pause();"] : []),
      "}",
      "let finite = true;",
      `for (let i = 0; i < ${plan.parameters}; i++) if (!Number.isFinite(params[i])) finite = false;`,
      "if (finite) {",
      "lastFinite.set(params);",
      "finiteEpochs = epoch + 1;",
      "}",
      "}",
      'return finish("epochs");',
    ];
    if (!parallel) return lines;
    return ["const gang = await createParallelGradient(xs, ys, count, workers);", "try {", ...lines, "} finally {", "await gang.close();", "}"];
  };
  const train = functionStructure({
    name: "train",
    exported: true,
    doc: [
      `Trains params in place on count samples: ${t.epochs} epochs (options.epochs overrides) of batches of ${batch}${t.shuffle ? " in a seeded shuffled order" : " in order"},`,
      `${spec.training.optimizer.kind} steps; metrics every options.evaluateEvery epochs (and the last)${t.stop.length > 0 ? `; stops on ${t.stop.map((s) => s.kind).join(", ")}` : ""}.`,
      "A non-finite loss stops training and restores the parameters of the last finite epoch.",
    ].join("\n"),
    parameters: [
      ["params", A],
      ["xs", A],
      ["ys", A],
      ["count", "number"],
      ["options", "TrainOptions = {}"],
    ],
    returns: "TrainingReport",
    body: body("sync"),
  });
  const trainAsync = functionStructure({
    name: "trainAsync",
    exported: true,
    doc: [
      "train() for a page's main thread: the same batches, steps and checks in the same order (the same parameters",
      `and report, bit for bit), pausing for the host (a macrotask: rendering and input run) after about every`,
      `options.yieldEveryMs milliseconds of work (default ${YIELD_EVERY_MS}). options.signal (an AbortSignal, or any { aborted }) stops it`,
      'after the current batch, as shouldStop does: stoppedBy "interrupted".',
    ].join("\n"),
    parameters: [
      ["params", A],
      ["xs", A],
      ["ys", A],
      ["count", "number"],
      ["options", "TrainOptions & { signal?: { readonly aborted: boolean }; yieldEveryMs?: number } = {}"],
    ],
    returns: "Promise<TrainingReport>",
    body: body("async"),
  });
  trainAsync.isAsync = true;
  const trainParallel = functionStructure({
    name: "trainParallel",
    exported: true,
    doc: [
      "train() over this thread and `workers` (Node worker_threads Workers, or a page's Web Workers; may be empty), each",
      "running this module's serveTrainingWorker. Each batch is cut into fixed slices (PARALLEL_SLICE samples, a size the",
      "spec fixes, not the number of threads); the threads take slices, each slice's gradient goes to its own buffer, and",
      "the slices are summed in slice order, so the parameters are bit-identical for any number of threads (they differ",
      "from train()'s by that reassociation only). Otherwise as trainAsync: the same options, callbacks on this thread, signal, pauses.",
      "Data go to the workers in SharedArrayBuffers (xs and ys are used in place when they already are in one).",
    ].join("\n"),
    parameters: [
      ["params", A],
      ["xs", A],
      ["ys", A],
      ["count", "number"],
      ["workers", "readonly MessageEndpoint[]"],
      ["options", "TrainOptions & { signal?: { readonly aborted: boolean }; yieldEveryMs?: number } = {}"],
    ],
    returns: "Promise<TrainingReport>",
    body: body("parallel"),
  });
  trainParallel.isAsync = true;
  // batchSeed seeds dropout masks only.
  // epochSeed and shuffleIndices only for a shuffled spec (strict builds refuse unused functions).
  return [
    ...(t.shuffle ? [epochSeed] : []),
    ...(plan.hasDropout ? [batchSeed] : []),
    ...(t.shuffle ? [shuffle] : []),
    train,
    ...emitPacing(),
    trainAsync,
    ...emitParallel(ctx),
    trainParallel,
  ];
}
