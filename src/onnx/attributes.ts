// Reading one node's attributes and constant inputs for map.ts, each refusal naming the node, its op and
// the attribute (or input) at fault: the only way a user learns what to change in their export.
import { OnnxImportError } from "./errors.js";
import type { Attribute, GraphNode, OnnxGraph, Tensor } from "./read.js";

export class NodeReader {
  /** Attributes map.ts has looked at; any other attribute on the node is refused (see `rejectUnread`). */
  private readonly seen = new Set<string>();

  constructor(
    readonly graph: OnnxGraph,
    readonly node: GraphNode,
  ) {}

  fail(message: string, attribute?: string): never {
    throw new OnnxImportError(this.graph.file, message, {
      node: { name: this.node.name, op: this.node.op },
      ...(attribute === undefined ? {} : { attribute }),
    });
  }

  private get(name: string): Attribute | undefined {
    this.seen.add(name);
    return this.node.attributes.get(name);
  }

  int(name: string, fallback: number): number {
    const a = this.get(name);
    if (a === undefined) return fallback;
    if (a.type !== "int") this.fail(`expected an integer, the file has a ${a.type}`, name);
    return a.value;
  }

  float(name: string, fallback: number): number {
    const a = this.get(name);
    if (a === undefined) return fallback;
    if (a.type !== "float") this.fail(`expected a float, the file has a ${a.type}`, name);
    return a.value;
  }

  ints(name: string, fallback: number[] | null): number[] | null {
    const a = this.get(name);
    if (a === undefined) return fallback;
    if (a.type !== "ints") this.fail(`expected a list of integers, the file has a ${a.type}`, name);
    return a.value;
  }

  string(name: string, fallback: string): string {
    const a = this.get(name);
    if (a === undefined) return fallback;
    if (a.type !== "string") this.fail(`expected a string, the file has a ${a.type}`, name);
    return a.value;
  }

  /** Marks attributes that do not change the inference result (Dropout's seed, BatchNormalization's momentum). */
  ignore(...names: string[]): void {
    for (const name of names) this.seen.add(name);
  }

  /** An attribute nnc did not read would change the result in a way it cannot check: refuse it. */
  rejectUnread(): void {
    for (const name of this.node.attributes.keys()) {
      if (!this.seen.has(name)) this.fail(`nnc does not know this attribute of ${this.node.op}`, name);
    }
  }

  /** Input `index` as a constant (initialiser or Constant node), or null when the input is absent ("" or missing). */
  constant(index: number, what: string): Tensor | null {
    const name = this.node.inputs[index];
    if (name === undefined || name === "") return null;
    const tensor = this.graph.constants.get(name);
    if (tensor === undefined) this.fail(`input ${index + 1} (${what}, "${name}") is computed by the graph; nnc needs it stored in the file as an initialiser`);
    return tensor;
  }

  requiredConstant(index: number, what: string): Tensor {
    const tensor = this.constant(index, what);
    if (tensor === null) this.fail(`input ${index + 1} (${what}) is missing`);
    return tensor;
  }
}

/**
 * Expands a constant to one value per number of a per-sample shape under ONNX (numpy) broadcasting against
 * [batch, ...shape]: dims align from the right, each 1 or equal, and a batch dim must be 1 (one value for
 * every sample). Null when it does not broadcast that way.
 */
export function broadcastPerSample(tensor: Tensor, shape: readonly number[]): Float64Array | null {
  const full = [1, ...shape];
  const dims = tensor.dims;
  if (dims.length > full.length) return null;
  const aligned = [...new Array<number>(full.length - dims.length).fill(1), ...dims];
  if (aligned[0] !== 1) return null;
  for (let k = 1; k < full.length; k++) if (aligned[k] !== 1 && aligned[k] !== full[k]) return null;
  const count = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(count);
  // Strides of the constant in the per-sample index space (0 along broadcast dims).
  const strides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    if (aligned[k + 1] !== 1) strides[k] = stride;
    stride *= aligned[k + 1]!;
  }
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    let source = 0;
    for (let k = 0; k < shape.length; k++) source += index[k]! * strides[k]!;
    out[i] = tensor.values[source]!;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++index[k]! < shape[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}
