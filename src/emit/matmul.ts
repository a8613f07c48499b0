// The blocked TS code of one planned matrix product (src/plan/base.ts PlannedMatmul) over a chunk of n
// samples, with register blocking; the element-wise work around it (activation, deltas) is the layer
// rule's. Every accumulator is a local and sums its products in the interpreter's order (inputs ascending
// then the bias; samples ascending onto the running gradient; outputs ascending from 0), so an f64 module
// gives bit-identical results to the per-sample code.
//   forward          Y = X·Wᵀ + b    tile: samples × outputs, loop over inputs
//   weight gradient  dW += δᵀ·X      tile: outputs × inputs,  loop over samples
//   input gradient   dX = δ·W        tile: samples × inputs,  loop over outputs
import type { PlannedMatmul } from "../plan/base.js";
import { add, tiled, type Index } from "./code.js";

export type Tile = { samples: number; outputs: number };

function range(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k);
}

/** The product's input rows: the chunk's rows of xs (the chunk function's x from xo) or a chunk buffer. */
export function matmulInput(m: PlannedMatmul): { array: string; base: Index } {
  return m.input.kind === "sample" ? { array: "x", base: "xo" } : { array: m.input.name, base: 0 };
}

/**
 * Y = X·Wᵀ + b over the chunk's n rows; `store(at, z)` gives the statements that keep element `at` of the
 * product (z: a local holding the sum plus the bias), e.g. the pre-activation and the activation.
 */
export function forwardProduct(m: PlannedMatmul, tile: Tile, store: (at: Index) => string[], count: string = "n"): string[] {
  const { samples: RS, outputs: RO } = tile;
  const input = matmulInput(m);
  const In = m.inputs;
  const Out = m.outputs;
  return tiled(count, RS, "s", (s, rows) => [
    ...range(rows).map((r) => `const x${r} = ${add(input.base, `(${add(s, r)}) * ${In}`)};`),
    ...tiled(Out, RO, "j", (j, cols) => {
      const acc = (r: number, c: number): string => `a${r}_${c}`;
      const lines = [
        ...range(cols).map((c) => `const w${c} = ${add(m.weightOffset, typeof j === "number" ? (j + c) * In : `(${add(j, c)}) * ${In}`)};`),
        ...range(rows).flatMap((r) => range(cols).map((c) => `let ${acc(r, c)} = 0;`)),
        `for (let i = 0; i < ${In}; i++) {`,
        ...range(rows).map((r) => `const u${r} = ${input.array}[x${r} + i];`),
        ...range(cols).map((c) => `const v${c} = params[w${c} + i];`),
        ...range(rows).flatMap((r) => range(cols).map((c) => `${acc(r, c)} += v${c} * u${r};`)),
        "}",
      ];
      for (const r of range(rows)) {
        for (const c of range(cols)) {
          const at = add(`(${add(s, r)}) * ${Out}`, j, c);
          lines.push(`{`, `const z = ${acc(r, c)} + params[${add(m.biasOffset, j, c)}];`, ...store(at), "}");
        }
      }
      return lines;
    }),
  ]);
}

/** dL/db_j onto the running gradient `grad`: each sample's δ, samples ascending. */
export function biasGradient(m: PlannedMatmul, grad: string, count: string = "n"): string[] {
  const Out = m.outputs;
  return [
    `for (let j = 0; j < ${Out}; j++) {`,
    `let acc = ${grad}[${add(m.biasOffset, "j")}];`,
    `for (let s = 0; s < ${count}; s++) acc += ${m.delta}[s * ${Out} + j];`,
    `${grad}[${add(m.biasOffset, "j")}] = acc;`,
    "}",
  ];
}

/** dL/dW_ji += Σ_s δ_sj·x_si: tiles of outputs × inputs, samples ascending onto the running gradient. */
export function weightGradientProduct(m: PlannedMatmul, tile: Tile, count: string = "n"): string[] {
  const { samples: RS, outputs: RO } = tile;
  const input = matmulInput(m);
  const In = m.inputs;
  const Out = m.outputs;
  return tiled(In, RO, "i", (i, cols) =>
    tiled(Out, RS, "j", (j, rows) => {
      const g = (r: number, c: number): Index => add(m.weightOffset, typeof j === "number" ? (j + r) * In : `(${add(j, r)}) * ${In}`, i, c);
      const acc = (r: number, c: number): string => `g${r}_${c}`;
      return [
        ...range(rows).flatMap((r) => range(cols).map((c) => `let ${acc(r, c)} = grad[${g(r, c)}];`)),
        `for (let s = 0; s < ${count}; s++) {`,
        `const xr = ${add(input.base, `s * ${In}`, i)};`,
        `const dr = ${add(`s * ${Out}`, j)};`,
        ...range(rows).map((r) => `const d${r} = ${m.delta}[${add("dr", r)}];`),
        ...range(cols).map((c) => `const u${c} = ${input.array}[${add("xr", c)}];`),
        ...range(rows).flatMap((r) => range(cols).map((c) => `${acc(r, c)} += d${r} * u${c};`)),
        "}",
        ...range(rows).flatMap((r) => range(cols).map((c) => `grad[${g(r, c)}] = ${acc(r, c)};`)),
      ];
    }),
  );
}

/** dL/d(input)_si = Σ_j W_ji δ_sj, outputs ascending from 0: tiles of samples × inputs (into gin from gino when the input is the sample, only when gin is given). */
export function inputGradientProduct(m: PlannedMatmul, tile: Tile, count: string = "n"): string[] {
  const { samples: RS, outputs: RO } = tile;
  const In = m.inputs;
  const Out = m.outputs;
  const target = m.inputGradient.kind === "sample" ? { array: "gin", base: "gino" as Index } : { array: m.inputGradient.name, base: 0 as Index };
  const dx = tiled(count, RS, "s", (s, rows) => [
    ...range(rows).map((r) => `const t${r} = ${add(target.base, `(${add(s, r)}) * ${In}`)};`),
    ...range(rows).map((r) => `const e${r} = (${add(s, r)}) * ${Out};`),
    ...tiled(In, RO, "i", (i, cols) => {
      const acc = (r: number, c: number): string => `h${r}_${c}`;
      return [
        ...range(rows).flatMap((r) => range(cols).map((c) => `let ${acc(r, c)} = 0;`)),
        `for (let j = 0; j < ${Out}; j++) {`,
        `const w = ${add(m.weightOffset, `j * ${In}`, i)};`,
        ...range(cols).map((c) => `const v${c} = params[${add("w", c)}];`),
        ...range(rows).map((r) => `const d${r} = ${m.delta}[e${r} + j];`),
        ...range(rows).flatMap((r) => range(cols).map((c) => `${acc(r, c)} += v${c} * d${r};`)),
        "}",
        ...range(rows).flatMap((r) => range(cols).map((c) => `${target.array}[${add(`t${r}`, i, c)}] = ${acc(r, c)};`)),
      ];
    }),
  ]);
  return m.inputGradient.kind === "sample" ? ["if (gin !== null) {", ...dx, "}"] : dx;
}
