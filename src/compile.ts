// The compiler as one list of named stages, in the order they run. Pure (no file system): the CLI
// (src/commands/build.ts) is the only place that writes the result.
//
//   stage      file                        in → out
//   parse      src/front/syntax.ts         text → statements + NN001–NN003
//   lower      src/front/lower.ts          statements → Spec (defaults filled, lenient)
//   validate   src/front/validate.ts       Spec + statements → NN004–NN043
//   limits     src/limits.ts               Spec → NN050–NN053 (plans the spec when its sizes allow)
//   plan       src/plan.ts                 Spec → Plan (every decision; planned once: the limits stage's plan is reused)
//   verify     src/plan/verify.ts          Plan → its invariants hold, or an internal error
//   emit       src/emit/module.ts          Spec + Plan → module text (valid TypeScript)
//   format     src/format.ts               text → prettier'd text
//
// parse … limits are the front end (parseSpec in src/front/index.ts runs them; every command reads specs
// through it); plan … format the back end. `nnc build --dump STAGE` prints any stage's output (dumpStage).
// sha256 from @noble/hashes rather than node:crypto: the same bytes, and the core stays bundleable for a page (the playground).
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Diagnostic, Spec } from "./ir.js";
import { parseSyntax, type SyntaxResult } from "./front/syntax.js";
import { lower, type Lowered } from "./front/lower.js";
import { validate } from "./front/validate.js";
import { sortDiagnostics } from "./front/diagnostics.js";
import { checkLimitsAndPlan } from "./limits.js";
import { formatPlan, planSpec, type Plan, type PlanOptions } from "./plan.js";
import { assertPlan } from "./plan/verify.js";
import { emitModuleText } from "./emit/module.js";
import { formatModule } from "./format.js";

export const STAGES = ["parse", "lower", "validate", "limits", "plan", "verify", "emit", "format"] as const;
export type StageName = (typeof STAGES)[number];

/** What each stage gives (what `observe` receives). */
export interface StageOutputs {
  parse: SyntaxResult;
  lower: Lowered;
  validate: Diagnostic[];
  limits: Diagnostic[];
  plan: Plan;
  verify: Plan;
  emit: string;
  format: string;
}

/** Called with each stage's output as it is made (dumps, tests). */
export type Observe = <S extends StageName>(stage: S, output: StageOutputs[S]) => void;

export interface FrontEndResult {
  /** Null when any diagnostic is an error. */
  spec: Spec | null;
  /** Sorted by position. */
  diagnostics: Diagnostic[];
  /** The plan the limits stage made with the default options (null when it did not plan: errors, or a spec too large to plan). */
  plan: Plan | null;
}

/**
 * The plan the front end made of each spec it returned (the limits stage's, default options): the back end
 * reuses it, so a spec read through parseSpec (every command) is planned once. Specs are not changed after
 * the front end makes them; a spec built or copied elsewhere is simply planned.
 */
const frontEndPlans = new WeakMap<Spec, Plan>();

/** parse → lower → validate → limits. Throws only on a bug (parseSpec turns that into NN099). */
export function frontEnd(source: string, fileName: string, overrides: Record<string, number>, observe?: Observe): FrontEndResult {
  const syntax = parseSyntax(source, fileName);
  observe?.("parse", syntax);
  const sourceHash = bytesToHex(sha256(utf8ToBytes(source)));
  const lowered = lower({ statements: syntax.statements, fileName, sourceHash, overrides });
  observe?.("lower", lowered);
  const checked = validate({ source, fileName, statements: syntax.statements, lowered, overrides });
  observe?.("validate", checked);
  const found = [...syntax.diagnostics, ...checked];
  // Resource limits only on an otherwise valid spec: they plan it, which needs valid sizes.
  const valid = !found.some((d) => d.severity === "error");
  const limits = valid ? checkLimitsAndPlan(lowered.spec, source) : { diagnostics: [], plan: null };
  observe?.("limits", limits.diagnostics);
  const diagnostics = sortDiagnostics([...found, ...limits.diagnostics]);
  const ok = !diagnostics.some((d) => d.severity === "error");
  if (ok && limits.plan !== null) frontEndPlans.set(lowered.spec, limits.plan);
  return { spec: ok ? lowered.spec : null, diagnostics, plan: ok ? limits.plan : null };
}

export interface CompiledModule {
  /** Output file name: `<spec name>.ts`. */
  fileName: string;
  text: string;
  plan: Plan;
}

/** precision overrides the spec's; unrollLimit overrides the measured unroll threshold (tests). */
export type CompileOptions = PlanOptions;

/** True when the options change no plan decision (then the front end's plan is the plan). */
function defaultOptions(options: CompileOptions): boolean {
  return Object.values(options).every((value) => value === undefined);
}

/**
 * plan → verify → emit, without formatting: valid, deterministic TypeScript (what the random-IR tests
 * compile, as prettier is the slow part). `planned`: the front end's plan for the default options (found by
 * itself for a spec the front end made).
 */
export function compileSpecUnformatted(spec: Spec, options: CompileOptions = {}, planned: Plan | null = null, observe?: Observe): CompiledModule {
  const reusable = planned ?? frontEndPlans.get(spec) ?? null;
  const plan = reusable !== null && defaultOptions(options) ? reusable : planSpec(spec, options);
  observe?.("plan", plan);
  assertPlan(plan);
  observe?.("verify", plan);
  const text = emitModuleText(spec, plan);
  observe?.("emit", text);
  return { fileName: `${spec.name}.ts`, text, plan };
}

/** plan → verify → emit → format: one module (async only because prettier's format is). */
export async function compileSpec(spec: Spec, options: CompileOptions = {}, planned: Plan | null = null, observe?: Observe): Promise<CompiledModule> {
  const compiled = compileSpecUnformatted(spec, options, planned, observe);
  const text = await formatModule(compiled.text);
  observe?.("format", text);
  return { ...compiled, text };
}

export interface CompileResult {
  /** The front end's diagnostics (errors and warnings), sorted by position. */
  diagnostics: Diagnostic[];
  /** Output file name (`<model name>.ts`, relative to the output folder) → module text; empty on errors. */
  outputs: Map<string, string>;
}

/** Source text → diagnostics and formatted module(s): every stage, in order. Pure (no file system); async because prettier is. */
export async function compile(
  source: string,
  fileName: string,
  options: CompileOptions & { variables?: Record<string, number>; observe?: Observe } = {},
): Promise<CompileResult> {
  const { variables, observe, ...planOptions } = options;
  const front = frontEnd(source, fileName, variables ?? {}, observe);
  const outputs = new Map<string, string>();
  if (front.spec !== null) {
    const compiled = await compileSpec(front.spec, planOptions, front.plan, observe);
    outputs.set(compiled.fileName, compiled.text);
  }
  return { diagnostics: front.diagnostics, outputs };
}

/** A stage's output as text a person can read (`nnc build --dump STAGE`). */
export function dumpStage<S extends StageName>(stage: S, output: StageOutputs[S]): string {
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  switch (stage) {
    case "parse":
      return json(output);
    case "lower":
      return json((output as Lowered).spec);
    case "validate":
    case "limits":
      return json(output);
    case "plan":
      return `${formatPlan(output as Plan)}\n`;
    case "verify":
      return `plan ${(output as Plan).name}: every invariant holds (src/plan/verify.ts)\n`;
    case "emit":
    case "format":
      return output as string;
    default:
      throw new Error(`no stage ${String(stage)}`);
  }
}
