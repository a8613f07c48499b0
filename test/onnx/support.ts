// Shared by the ONNX tests: the fixtures (copied from PyTorch 1.13 exports with the inputs and outputs
// PyTorch computed), onnxruntime as the independent oracle, and a builder for small ONNX models made here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { parseNpy, type NpyArray } from "../../src/data/npy.js";
import { AttributeType, DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from "../../src/onnx/proto.js";

export const FIXTURES = join(import.meta.dirname, "../fixtures/onnx");
export const MANIFEST = JSON.parse(readFileSync(join(FIXTURES, "manifest.json"), "utf8")) as Record<
  string,
  { input_shape: number[]; output_shape: number[]; supported: boolean }
>;

export function fixture(name: string): { path: string; bytes: Uint8Array; input: NpyArray; output: NpyArray } {
  const dir = join(FIXTURES, name);
  const npy = (file: string) => parseNpy(readFileSync(join(dir, file)), join(dir, file));
  return { path: join(dir, "model.onnx"), bytes: readFileSync(join(dir, "model.onnx")), input: npy("input.npy"), output: npy("output.npy") };
}

/** onnxruntime's output for a batch (row-major numbers, f32 unless `float64`). */
export async function runOrt(model: Uint8Array, input: ArrayLike<number>, dims: number[], float64 = false): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(model);
  const data = float64 ? Float64Array.from(input) : Float32Array.from(input);
  const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor(float64 ? "float64" : "float32", data, dims) });
  return Float64Array.from(result[session.outputNames[0]!]!.data as Float32Array);
}

/** The largest |a − b| / max(|a|, |b|) over the entries (0 where both are 0). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]!), Math.abs(b[i]!));
    if (scale > 0) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  }
  return worst;
}

/**
 * As maxRelativeError, but an entry near 0 is measured against 10 % of the largest |value| instead of its own
 * size: a linear output that cancels to ~0.001 still carries onnxruntime's float32 rounding of its terms
 * (~5e-8 for terms ~0.3: 5e-5 of the result). A mapping mistake is off by far more. Used for the graphs made in
 * the tests, some of which end linear; the PyTorch fixtures are held to the plain relative error.
 */
export function maxRelativeErrorFloored(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < b.length; i++) largest = Math.max(largest, Math.abs(a[i]!), Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]!), Math.abs(b[i]!), 0.1 * largest);
    if (scale > 0) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  }
  return worst;
}

/** A deterministic pseudo-random stream (mulberry32) for weights and inputs made by the tests. */
export function randoms(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

// ---- building small ONNX models (the tests' own exporter) ----

export const floats = (name: string, dims: number[], values: ArrayLike<number>): TensorProto => ({
  name,
  dims,
  data_type: DataType.FLOAT,
  raw_data: new Uint8Array(Float32Array.from(values).buffer),
});
export const int64s = (name: string, values: number[]): TensorProto => ({ name, dims: [values.length], data_type: DataType.INT64, int64_data: values });
export const randomFloats = (name: string, dims: number[], seed: number, scale = 1): TensorProto => {
  const r = randoms(seed);
  return floats(
    name,
    dims,
    Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => scale * r()),
  );
};

export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i }),
  float: (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  ints: (name: string, ints: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints }),
  string: (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }),
};

export const node = (op: string, inputs: string[], outputs: string[], attribute: AttributeProto[] = [], name = outputs[0]!): NodeProto => ({
  op_type: op,
  name,
  input: inputs,
  output: outputs,
  attribute,
});

export interface ModelOptions {
  inputDims: (number | string)[];
  nodes: NodeProto[];
  initializers: TensorProto[];
  output?: string;
  opset?: number;
  irVersion?: number;
}

export function model(o: ModelOptions): ModelProto {
  const dims = (d: (number | string)[]) => d.map((v) => (typeof v === "string" ? { dim_param: v } : { dim_value: v }));
  return {
    ir_version: o.irVersion ?? 8,
    opset_import: [{ domain: "", version: o.opset ?? 13 }],
    producer_name: "nnc-tests",
    graph: {
      name: "test",
      node: o.nodes,
      initializer: o.initializers,
      input: [{ name: "x", type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: dims(o.inputDims) } } } }],
      output: [{ name: o.output ?? "y", type: { tensor_type: { elem_type: DataType.FLOAT } } }],
    },
  };
}
