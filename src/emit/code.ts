// Small helpers every emitter shares: index arithmetic that folds literals (so unrolled code reads
// `params[17]`, not `params[0 + 17]`), a loop-or-unroll combinator driven by the plan's code shape, and
// ts-morph structure builders for functions and constants.
import type { FunctionDeclarationStructure, VariableStatementStructure } from "ts-morph";
import { tsMorph } from "./ts-morph.js";
import type { PlannedLayerBase } from "../layers/types.js";
import type { CodeShape } from "../plan/base.js";
import type { PlanOf } from "../plan/types.js";
import type { Spec } from "../ir.js";

/** What every emitter reads. */
export interface EmitContext {
  spec: Spec;
  /** The plan; its layers as their common part (each layer's rule knows its own planned form). */
  plan: PlanOf<PlannedLayerBase>;
  /** The typed-array class of parameters, data and scratch: Float64Array or Float32Array. */
  array: "Float64Array" | "Float32Array";
}

/** An index expression: a literal when everything in it is known, else source text. */
export type Index = number | string;

/** a + b + …, folding the literal parts; a number when every term is one. */
export function add(...terms: Index[]): Index {
  let constant = 0;
  const symbolic: string[] = [];
  for (const term of terms) {
    if (typeof term === "number") constant += term;
    else symbolic.push(term);
  }
  if (symbolic.length === 0) return constant;
  if (constant !== 0) symbolic.push(String(constant));
  return symbolic.join(" + ");
}

/** a · n for a literal n. */
export function mul(a: Index, n: number): Index {
  if (typeof a === "number") return a * n;
  if (n === 0) return 0;
  if (n === 1) return a;
  return `${a} * ${n}`;
}

/**
 * Rows at least this wide are copied with TypedArray set over a subarray (a memory copy), narrower ones element
 * by element. Measured (Node 20, 2026-12-02, 256 gathered rows): the element loop costs ~4 ns a number whatever
 * the width; set costs 37 ns a number at width 4, 5.7 at 26, 2.4 at 64 and 0.8 at 784 (f32), so it wins from ~32.
 * W4's 289-wide slices gathered 300 → 48 µs.
 */
export const ROW_COPY_BY_SET = 32;

/**
 * Statements copying sample `row`'s `width` numbers of `from` (row-major, `width` a row) to `to` at `at`: one
 * assignment for one number, a set of a subarray for wide rows (ROW_COPY_BY_SET), else a loop.
 */
export function copyRow(width: number, to: string, at: Index, from: string): string[] {
  if (width === 1) return [`${to}[${at}] = ${from}[row];`];
  if (width >= ROW_COPY_BY_SET) return [`${to}.set(${from}.subarray(row * ${width}, (row + 1) * ${width}), ${at});`];
  return [`for (let i = 0; i < ${width}; i++) ${to}[${add(at, "i")}] = ${from}[row * ${width} + i];`];
}

/**
 * Statements for k = 0 … count−1: one copy of `body` per k with k a literal ("unrolled"), or a `for` loop over
 * the variable `name` with a literal bound ("loop").
 */
export function repeat(count: number, shape: CodeShape, name: string, body: (k: Index) => string[]): string[] {
  if (shape === "unrolled") {
    const out: string[] = [];
    for (let k = 0; k < count; k++) out.push(...body(k));
    return out;
  }
  return [`for (let ${name} = 0; ${name} < ${count}; ${name}++) {`, ...body(name), "}"];
}

/** Blocked loops over `count` items in tiles of `size`: a runtime count (rows) or a literal one (columns). */
export function tiled(count: Index, size: number, name: string, body: (start: Index, width: number) => string[]): string[] {
  if (typeof count === "number") {
    const main = count - (count % size);
    const out: string[] = [];
    if (main > 0) out.push(`for (let ${name} = 0; ${name} < ${main}; ${name} += ${size}) {`, ...body(name, size), "}");
    if (main < count) out.push(...body(main, count - main));
    return out;
  }
  return [
    `let ${name} = 0;`,
    `for (; ${name} + ${size} <= ${count}; ${name} += ${size}) {`,
    ...body(name, size),
    "}",
    `for (; ${name} < ${count}; ${name}++) {`,
    ...body(name, 1),
    "}",
  ];
}

export interface FunctionSpec {
  name: string;
  doc: string;
  parameters: [name: string, type: string][];
  returns: string;
  body: string[];
  exported?: boolean;
}

/**
 * A function declaration. A module-private function's parameter that its body never names (backwardSample's
 * x when the first layer is a dropout's) is written `_x`, so noUnusedParameters accepts it; exported
 * functions keep their documented names (their bodies mark an unused one with `void`).
 */
export function functionStructure(f: FunctionSpec): FunctionDeclarationStructure {
  const body = f.body.join("\n");
  const named = (name: string): boolean => new RegExp(`(?<![.\\w$])${name.replace(/\?$/, "")}(?![\\w$])`).test(body);
  return {
    kind: tsMorph().StructureKind.Function,
    name: f.name,
    isExported: f.exported ?? false,
    docs: [{ description: f.doc }],
    parameters: f.parameters.map(([name, type]) => ({ name: f.exported === true || named(name) ? name : `_${name}`, type })),
    returnType: f.returns,
    statements: f.body,
  };
}

export function constStructure(
  name: string,
  initializer: string,
  doc: string,
  options: { exported?: boolean; type?: string } = {},
): VariableStatementStructure {
  const { StructureKind, VariableDeclarationKind } = tsMorph();
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported: options.exported ?? false,
    docs: doc === "" ? [] : [{ description: doc }],
    declarations: [{ name, initializer, type: options.type }],
  };
}

/** The exported offset constant of a layout tensor: layer1.weight → LAYER1_WEIGHT. */
export function layoutConstantName(tensor: string): string {
  return tensor.replace(".", "_").toUpperCase();
}

/** 6326 → "6,326" (locale-independent, so headers are byte-stable everywhere). */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
