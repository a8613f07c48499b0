// Assembles one generated module as a ts-morph SourceFile, stage by stage, in reading order: header, PRNG,
// types, meta, layout constants, scratch buffers, init, forward, loss, backward, schedule, optimiser,
// training loop, weights.
import type { FunctionDeclarationStructure, Project, SourceFile, StatementStructures } from "ts-morph";
import { tsMorph } from "./ts-morph.js";
import { NUMPY_RNG_SOURCE } from "../numpy-random.js";
import { PRNG_SOURCE } from "../prng.js";
import { elementaryUsedBy } from "../elementary.js";
import { emitPassSetup, hasPasses } from "./wasm/passes.js";
import type { Spec } from "../ir.js";
import type { Plan } from "../plan.js";
import { type EmitContext } from "./code.js";
import { emitHeader } from "./header.js";
import { emitTypes } from "./types.js";
import { emitMeta } from "./meta.js";
import { emitBuffers, emitCreateParameters, emitLayoutConstants } from "./parameters.js";
import { emitForward } from "./forward.js";
import { emitLoss } from "./loss.js";
import { emitBackward } from "./backward.js";
import { emitOptimizer, emitSchedule } from "./optimizer.js";
import { emitTrain } from "./train.js";
import { emitParallelTypes } from "./parallel.js";
import { emitWeights } from "./weights.js";
import { emitKernelSetup } from "./wasm/emit.js";
import { assertIndexedReads } from "./indexed-reads.js";
import { emitPreprocessing, emitPreprocessingBuffer, emitPreprocessingConstants, hasPreprocessing, vectorLength } from "./preprocess.js";
import { rawEntryLines } from "./strategy.js";
import { emitClassifyBuffer } from "./classify.js";
import { emitCheckHelpers, withArgumentChecks } from "./checks.js";

// One in-memory project for every module: creating a Project is the expensive part of ts-morph.
let project: Project | undefined;

function section(title: string): string {
  return `// ---- ${title} ${"-".repeat(Math.max(4, 100 - title.length))}`;
}

export function emitSourceFile(spec: Spec, plan: Plan): SourceFile {
  project ??= new (tsMorph().Project)({ useInMemoryFileSystem: true });
  const ctx: EmitContext = { spec, plan, array: plan.precision === "f32" ? "Float32Array" : "Float64Array" };
  const statements: (string | StatementStructures)[] = [
    emitHeader(ctx),
    section("seeded PRNG (nnc's own, so seeds mean the same numbers everywhere)"),
    PRNG_SOURCE,
    ...(spec.init.rng === "numpy" ? [section("numpy's legacy generator (init rng=numpy: np.random.seed, randn)"), NUMPY_RNG_SOURCE] : []),
    section("types"),
    ...emitTypes(ctx),
    section("metadata and parameter layout"),
    emitMeta(ctx),
    ...emitLayoutConstants(ctx),
    ...emitPreprocessingConstants(ctx),
    ...(plan.batch.kernel.kind === "wasm"
      ? [section("WebAssembly SIMD kernels of the blocked batch (TS blocked code when unavailable)"), ...emitKernelSetup(ctx)]
      : []),
    ...(hasPasses(ctx)
      ? [section("WebAssembly f64x2 passes of tanh and σ over the fused body's blocks (TS passes when unavailable)"), ...emitPassSetup(ctx)]
      : []),
    section("scratch buffers (allocated once, at module load)"),
    ...emitBuffers(ctx),
    ...emitPreprocessingBuffer(ctx),
    ...emitClassifyBuffer(ctx),
    section("argument checks (each exported function checks its arguments once, at its entry)"),
    ...emitCheckHelpers(ctx),
    section("initialisation"),
    emitCreateParameters(ctx),
    section("preprocessing of raw inputs (data scale, then the normalisation stored in the parameter vector)"),
    ...emitPreprocessing(ctx, rawEntryLines(ctx, "evaluate")),
    section("forward"),
    ...emitForward(ctx),
    section("loss"),
    ...networkInputEvaluate(ctx, emitLoss(ctx)),
    section("backward"),
    ...sayNetworkInputs(ctx, emitBackward(ctx)),
    section("learning-rate schedule and optimiser"),
    emitSchedule(ctx),
    ...sayNetworkInputs(ctx, emitOptimizer(ctx)),
    section("data-parallel training over worker threads (trainParallel, serveTrainingWorker)"),
    ...emitParallelTypes(ctx),
    section("training loop"),
    ...sayNetworkInputs(ctx, trainOnNetworkInputs(ctx, emitTrain(ctx))),
    section("weights"),
    ...emitWeights(ctx),
  ];
  const create = (all: (string | StatementStructures)[]): SourceFile =>
    project!.createSourceFile(`${plan.name}.ts`, { statements: withArgumentChecks(ctx, all) }, { overwrite: true });
  const file = create(statements);
  // The elementary functions (src/elementary.ts) the maths table's text called, after the PRNG: which ones is
  // known only once the code is written, so a module that calls any is made a second time with them.
  const elementary = elementaryUsedBy(file.getFullText());
  if (elementary.length === 0) return file;
  const at = statements.indexOf(PRNG_SOURCE) + 1;
  return create([
    ...statements.slice(0, at),
    section("elementary functions (nnc's own exp, tanh, log1p: the interpreter runs the same text)"),
    ...elementary.map((e) => e.source),
    ...statements.slice(at),
  ]);
}

/**
 * In a module that preprocesses, the evaluate of the loss section works on network inputs: it becomes the
 * exported evaluateInputs, and the raw-input evaluate (src/emit/preprocess.ts) wraps it.
 */
function networkInputEvaluate(ctx: EmitContext, statements: FunctionDeclarationStructure[]): FunctionDeclarationStructure[] {
  if (!hasPreprocessing(ctx)) return statements;
  return statements.map((s) => {
    if (s.name !== "evaluate") return s;
    const rest = (s.docs ?? []).map((d) => (typeof d === "string" ? d : (d.description ?? "")));
    return {
      ...s,
      name: "evaluateInputs",
      docs: [{ description: `Over network inputs (what preprocess returns; train() evaluates with it). ${rest.join(" ")}`.trim() }],
    };
  });
}

/** In a module that preprocesses, the doc comments of the functions that take network inputs say so. */
function sayNetworkInputs(ctx: EmitContext, statements: FunctionDeclarationStructure[]): FunctionDeclarationStructure[] {
  if (!hasPreprocessing(ctx)) return statements;
  const takers = new Set(["lossAndGradient", "step", "train", "trainAsync", "trainParallel"]);
  return statements.map((s) => {
    if (s.name === undefined || !takers.has(s.name) || !s.isExported) return s;
    if (s.name === "step" && vectorLength(ctx) === ctx.plan.parameters) return s;
    const text = (s.docs ?? []).map((d) => (typeof d === "string" ? d : (d.description ?? ""))).join("\n");
    const note =
      s.name === "step"
        ? "Updates the trainable parameters only (the normalisation statistics after them stay)."
        : "xs are network inputs: what preprocess(params, raw, count) returns, not raw rows.";
    return { ...s, docs: [{ description: `${text}\n${note}` }] };
  });
}

/** train() takes network inputs: in a module that preprocesses, its metrics come from evaluateInputs. */
function trainOnNetworkInputs(ctx: EmitContext, statements: FunctionDeclarationStructure[]): FunctionDeclarationStructure[] {
  if (!hasPreprocessing(ctx)) return statements;
  const rename = (text: string): string => text.replace(/(?<![\w.$])evaluate\(/g, "evaluateInputs(");
  return statements.map((s) => {
    if (!Array.isArray(s.statements)) return s;
    return { ...s, statements: s.statements.map((line) => (typeof line === "string" ? rename(line) : line)) };
  });
}

/**
 * The module's text before formatting (valid TypeScript; prettier makes it readable and stable), with every
 * element read asserted non-null (src/emit/indexed-reads.ts).
 */
export function emitModuleText(spec: Spec, plan: Plan): string {
  const file = emitSourceFile(spec, plan);
  const text = assertIndexedReads(file);
  project!.removeSourceFile(file);
  return text;
}
