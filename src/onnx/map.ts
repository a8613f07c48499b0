// Stage 2 of `nnc import`: the graph (read.ts) → nnc's layers (network.ts). The graph must be one chain
// from its input to its output; each node is an op nnc can express, walked in data order:
//
//   Gemm, MatMul (+ Add)        → layer fc (weights to [outputs][inputs]: Gemm transB=1 as stored, else transposed; alpha, beta folded)
//   Conv                        → layer conv (W [F][C][kh][kw] as stored; symmetric pads only)
//   Relu, LeakyRelu, Sigmoid,   → the activation of the fc/conv layer right before
//   Tanh, Softmax
//   BatchNormalization          → folded into the fc/conv layer right before (per output: W·s, (b − mean)·s + β, s = γ/√(var + ε))
//   MaxPool, AveragePool        → layer maxpool / avgpool (no padding)
//   Flatten (axis 1), Reshape   → layer flatten (C-major, as ONNX's row-major NCHW), nothing on a vector
//   to [batch, C·H·W]
//   Dropout                     → layer dropout between layers (identity at inference), else dropped
//   Identity                    → nothing
//   Sub, Div, Mul, Add before   → the input normalisation (x − offset) / scale, saved with the weights
//   the first layer
//
// Anything else is refused by an OnnxImportError naming the node, the op and the attribute.
import type { Activation, ActivationKind } from "../ir.js";
import { broadcastPerSample, NodeReader } from "./attributes.js";
import { OnnxImportError } from "./errors.js";
import { outputShapeOf, type ImportedLayer, type ImportedNetwork, type Preprocessing } from "./network.js";
import { DataType } from "./proto.js";
import type { GraphNode, OnnxGraph, Tensor } from "./read.js";

const ACTIVATION_OPS: Record<string, ActivationKind> = { Relu: "relu", LeakyRelu: "leaky_relu", Sigmoid: "sigmoid", Tanh: "tanh", Softmax: "softmax" };
export const SUPPORTED_OPS = [
  "Gemm",
  "MatMul",
  "Add",
  "Conv",
  "Relu",
  "LeakyRelu",
  "Sigmoid",
  "Tanh",
  "Softmax",
  "BatchNormalization",
  "MaxPool",
  "AveragePool",
  "Flatten",
  "Reshape",
  "Dropout",
  "Identity",
  "Sub",
  "Div",
  "Mul",
  "Constant",
];

/** The walk's state: where the data is, its per-sample shape, and what the next node may still fold into. */
interface Walk {
  graph: OnnxGraph;
  shape: number[];
  layers: ImportedLayer[];
  /** The last fc/conv layer while nothing but BatchNormalization/Add has followed it (an activation may still join it). */
  open: Extract<ImportedLayer, { kind: "fc" | "conv" }> | null;
  preprocessing: { offset: Float64Array; scale: Float64Array; nodes: string[]; divides: boolean } | null;
  notes: string[];
}

export function mapGraph(graph: OnnxGraph): ImportedNetwork {
  const { file } = graph;
  const constantNodes = readConstantNodes(graph);
  const consumers = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    if (node.op === "Constant") continue;
    for (const input of node.inputs) {
      if (input === "" || graph.constants.has(input)) continue;
      consumers.set(input, [...(consumers.get(input) ?? []), node]);
    }
  }

  const walk: Walk = { graph, shape: inputShape(graph), layers: [], open: null, preprocessing: null, notes: [] };
  const inputShapeCopy = [...walk.shape];
  const visited = new Set<GraphNode>(constantNodes);
  let current = graph.input.name;
  while (current !== graph.output.name) {
    const next = consumers.get(current) ?? [];
    if (next.length === 0)
      throw new OnnxImportError(file, `the value "${current}" is not used by any node and is not the graph's output "${graph.output.name}"`);
    if (next.length > 1) {
      const names = next.map((n) => `"${n.name}" (${n.op})`).join(", ");
      throw new OnnxImportError(file, `the value "${current}" feeds ${next.length} nodes (${names}); nnc imports a chain of layers, one after another`);
    }
    const node = next[0]!;
    // A valid ONNX graph is acyclic; a file whose nodes loop would otherwise walk forever.
    if (visited.has(node)) throw new OnnxImportError(file, "the graph has a cycle back to this node", { node: { name: node.name, op: node.op } });
    visited.add(node);
    current = step(walk, node, current, consumers);
  }
  const unvisited = graph.nodes.find((n) => !visited.has(n));
  if (unvisited) {
    throw new OnnxImportError(
      file,
      `is not on the path from the input "${graph.input.name}" to the output "${graph.output.name}"; nnc imports a chain of layers`,
      {
        node: { name: unvisited.name, op: unvisited.op },
      },
    );
  }
  if (!walk.layers.some((l) => l.kind === "fc" || l.kind === "conv"))
    throw new OnnxImportError(file, "the graph has no Gemm, MatMul or Conv: nothing for nnc to import");
  return { inputShape: inputShapeCopy, layers: trimDropouts(walk), preprocessing: preprocessingOf(walk, graph), notes: walk.notes };
}

/** Constant nodes become constants (PyTorch writes Reshape's shape as one). */
function readConstantNodes(graph: OnnxGraph): GraphNode[] {
  const nodes = graph.nodes.filter((n) => n.op === "Constant");
  for (const node of nodes) {
    const reader: NodeReader = new NodeReader(graph, node);
    const attribute = [...node.attributes.entries()][0];
    if (node.attributes.size !== 1 || attribute === undefined) reader.fail("expected exactly one value attribute");
    const [name, a] = attribute;
    let tensor: Tensor;
    if (name === "value" && a.type === "tensor") tensor = a.value;
    else if ((name === "value_float" && a.type === "float") || (name === "value_int" && a.type === "int"))
      tensor = { dims: [], values: Float64Array.of(a.value), dataType: name === "value_int" ? DataType.INT64 : DataType.FLOAT };
    else if ((name === "value_floats" && a.type === "floats") || (name === "value_ints" && a.type === "ints"))
      tensor = { dims: [a.value.length], values: Float64Array.from(a.value), dataType: name === "value_ints" ? DataType.INT64 : DataType.FLOAT };
    else reader.fail("nnc reads tensor, float and int constants only", name);
    graph.constants.set(node.outputs[0] ?? "", tensor);
  }
  return nodes;
}

function inputShape(graph: OnnxGraph): number[] {
  const { dims, name, elemType } = graph.input;
  const where = `the graph input "${name}"`;
  if (elemType !== DataType.FLOAT && elemType !== DataType.DOUBLE)
    throw new OnnxImportError(graph.file, `${where} has element type ${elemType}; nnc imports float (or double) networks`);
  if (dims === null) throw new OnnxImportError(graph.file, `${where} has no shape; nnc needs [batch, features] or [batch, channels, height, width]`);
  if (dims.length !== 2 && dims.length !== 4) {
    throw new OnnxImportError(graph.file, `${where} has ${dims.length} dimensions; nnc imports [batch, features] or [batch, channels, height, width] inputs`);
  }
  const sample = dims.slice(1);
  if (sample.some((d) => d === null || d < 1)) {
    throw new OnnxImportError(
      graph.file,
      `${where} has shape [${dims.map((d) => d ?? "?").join(", ")}]: every dimension but the first (the batch) must be a fixed size`,
    );
  }
  return sample as number[];
}

const vectorShape = (shape: number[]): boolean => shape.length === 1;
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** One node: checks it, folds it into the walk, returns the value it produces. */
function step(walk: Walk, node: GraphNode, current: string, consumers: Map<string, GraphNode[]>): string {
  const r = new NodeReader(walk.graph, node);
  if (node.domain !== "" && node.domain !== "ai.onnx") r.fail(`is in the domain "${node.domain}"; nnc imports standard ONNX ops only`);
  if (node.inputs[0] !== current && node.op !== "Add" && node.op !== "Mul")
    r.fail(`takes "${current}" as input ${node.inputs.indexOf(current) + 1}; nnc expects the data as input 1`);
  const out = primaryOutput(r, node, consumers);
  switch (node.op) {
    case "Gemm":
      gemm(walk, r);
      break;
    case "MatMul":
      matmul(walk, r);
      break;
    case "Conv":
      conv(walk, r);
      break;
    case "Add":
    case "Sub":
    case "Mul":
    case "Div":
      elementwise(walk, r, current);
      break;
    case "BatchNormalization":
      batchNorm(walk, r);
      break;
    case "Relu":
    case "LeakyRelu":
    case "Sigmoid":
    case "Tanh":
    case "Softmax":
      activation(walk, r);
      break;
    case "MaxPool":
    case "AveragePool":
      pool(walk, r);
      break;
    case "Flatten": {
      const rank = walk.shape.length + 1;
      const axis = r.int("axis", 1);
      if ((axis < 0 ? axis + rank : axis) !== 1) r.fail(`axis=${axis}: nnc flattens each sample whole (axis 1)`, "axis");
      flatten(walk, node);
      break;
    }
    case "Reshape":
      reshape(walk, r);
      break;
    case "Dropout":
      dropout(walk, r);
      break;
    case "Identity":
      break;
    default:
      r.fail(`op ${node.op} is not supported; nnc imports ${SUPPORTED_OPS.filter((op) => op !== "Constant").join(", ")}`);
  }
  r.rejectUnread();
  return out;
}

/** The node's one used output; further outputs (Dropout's mask, MaxPool's indices, BatchNormalization's running stats) must be unused. */
function primaryOutput(r: NodeReader, node: GraphNode, consumers: Map<string, GraphNode[]>): string {
  const [out, ...rest] = node.outputs;
  if (out === undefined || out === "") r.fail("has no output");
  for (const extra of rest) {
    if (extra !== "" && ((consumers.get(extra)?.length ?? 0) > 0 || extra === r.graph.output.name)) {
      r.fail(`its output "${extra}" is used; nnc computes only the first output of ${node.op}`);
    }
  }
  return out;
}

function addLayer(walk: Walk, layer: ImportedLayer): void {
  walk.layers.push(layer);
  walk.shape = outputShapeOf(layer, walk.shape);
  walk.open = layer.kind === "fc" || layer.kind === "conv" ? layer : null;
}

const linear = (): Activation => ({ kind: "linear", alpha: 0 });

function gemm(walk: Walk, r: NodeReader): void {
  if (!vectorShape(walk.shape)) r.fail(`its input is ${walk.shape.length + 1}-D [batch, ${walk.shape.join(", ")}]; put a Flatten before it`);
  const alpha = r.float("alpha", 1);
  const beta = r.float("beta", 1);
  if (r.int("transA", 0) !== 0) r.fail("transA=1 transposes the batch into the features; nnc computes each sample on its own", "transA");
  const transB = r.int("transB", 0) !== 0;
  const b = r.requiredConstant(1, "B, the weights");
  if (b.dims.length !== 2) r.fail(`B has ${b.dims.length} dimensions; expected 2`);
  const inputs = walk.shape[0]!;
  const [rows, columns] = b.dims as [number, number];
  const outputs = transB ? rows : columns;
  if ((transB ? columns : rows) !== inputs) r.fail(`B is [${b.dims.join(", ")}]${transB ? " (transB=1)" : ""} but the input has ${inputs} features`);
  const weight = new Float64Array(outputs * inputs);
  // nnc stores W [outputs][inputs]: transB=1's B is that already (PyTorch's Linear); transB=0's B is [inputs][outputs].
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < inputs; i++) weight[o * inputs + i] = alpha * b.values[transB ? o * inputs + i : i * outputs + o]!;
  }
  const c = r.constant(2, "C, the bias");
  const bias = new Float64Array(outputs);
  if (c !== null) {
    const expanded = broadcastPerSample(c, [outputs]);
    if (expanded === null) r.fail(`C is [${c.dims.join(", ")}]; nnc needs one bias per output (${outputs}), the same for every sample`);
    for (let o = 0; o < outputs; o++) bias[o] = beta * expanded[o]!;
  }
  addLayer(walk, { kind: "fc", inputs, outputs, activation: linear(), weight, bias, nodes: [r.node.name] });
}

/** MatMul by a constant [inputs][outputs] → fc (transposed to [outputs][inputs]); an Add of a constant right after becomes its bias (elementwise). */
function matmul(walk: Walk, r: NodeReader): void {
  if (!vectorShape(walk.shape)) r.fail(`its input is ${walk.shape.length + 1}-D; nnc imports MatMul of a [batch, features] input by a 2-D initialiser`);
  const b = r.requiredConstant(1, "the weights");
  if (b.dims.length !== 2) r.fail(`the weights are ${b.dims.length}-D [${b.dims.join(", ")}]; expected [inputs, outputs]`);
  const inputs = walk.shape[0]!;
  const [rows, outputs] = b.dims as [number, number];
  if (rows !== inputs) r.fail(`the weights are [${b.dims.join(", ")}] but the input has ${inputs} features`);
  const weight = new Float64Array(outputs * inputs);
  for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) weight[o * inputs + i] = b.values[i * outputs + o]!;
  addLayer(walk, { kind: "fc", inputs, outputs, activation: linear(), weight, bias: new Float64Array(outputs), nodes: [r.node.name] });
}

/** Add/Sub/Mul/Div by a constant: the bias of the layer just made (Add), or, before any layer, the input normalisation. */
function elementwise(walk: Walk, r: NodeReader, current: string): void {
  const { node } = r;
  const dataIndex = node.inputs.indexOf(current);
  const other = node.inputs[1 - dataIndex];
  if (node.inputs.length !== 2 || dataIndex < 0 || other === undefined) r.fail("expected two inputs, the data and a constant");
  if ((node.op === "Sub" || node.op === "Div") && dataIndex !== 0)
    r.fail(`computes constant ${node.op === "Sub" ? "−" : "/"} data; nnc can only take a constant from the data`);
  const constant = r.requiredConstant(1 - dataIndex, "a constant");
  const values = broadcastPerSample(constant, walk.shape);
  if (values === null)
    r.fail(`the constant is [${constant.dims.join(", ")}], which does not broadcast to one value per number of a sample [${walk.shape.join(", ")}]`);

  if (walk.layers.length === 0) {
    // Before the first layer: x' = (x − offset) / scale, composed in float64 as the nodes apply it.
    const p = (walk.preprocessing ??= { offset: new Float64Array(values.length), scale: new Float64Array(values.length).fill(1), nodes: [], divides: false });
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if ((node.op === "Mul" || node.op === "Div") && v === 0) r.fail(`value ${i} of the constant is 0: the input would be lost`);
      // (x − o)/s − v = (x − (o + v·s))/s; (x − o)/s + v = (x − (o − v·s))/s; (x − o)/s / v = (x − o)/(s·v); (x − o)/s · v = (x − o)/(s/v).
      if (node.op === "Sub") p.offset[i] = p.offset[i]! + v * p.scale[i]!;
      else if (node.op === "Add") p.offset[i] = p.offset[i]! - v * p.scale[i]!;
      else if (node.op === "Div") p.scale[i] = p.scale[i]! * v;
      else p.scale[i] = p.scale[i]! / v;
    }
    if (node.op === "Mul" || node.op === "Div") p.divides = true;
    p.nodes.push(node.name);
    return;
  }
  const open = walk.open;
  if (node.op !== "Add" || open === null || open.activation.kind !== "linear") {
    r.fail(`${node.op} by a constant is supported before the first layer (input normalisation) or, for Add, right after a Gemm, MatMul or Conv (its bias)`);
  }
  // A bias: one value per output unit (fc) or per filter, the same at every position (conv).
  const perUnit = open.kind === "fc" ? open.outputs : open.filters;
  const positions = values.length / perUnit;
  for (let u = 0; u < perUnit; u++) {
    const v = values[u * positions]!;
    for (let k = 1; k < positions; k++)
      if (values[u * positions + k] !== v) r.fail("the constant differs across positions of one filter; nnc's conv has one bias per filter");
    open.bias[u] = open.bias[u]! + v;
  }
  open.nodes.push(node.name);
}

function conv(walk: Walk, r: NodeReader): void {
  if (walk.shape.length !== 3) r.fail(`its input is [batch, ${walk.shape.join(", ")}]; nnc's conv takes [batch, channels, height, width]`);
  const [channels, height, width] = walk.shape as [number, number, number];
  const w = r.requiredConstant(1, "W, the weights");
  if (w.dims.length !== 4) r.fail(`W is ${w.dims.length}-D; nnc imports 2-D convolutions (W [filters, channels, kh, kw])`);
  const [filters, wChannels, kh, kw] = w.dims as [number, number, number, number];
  const autoPad = r.string("auto_pad", "NOTSET");
  if (autoPad !== "NOTSET") r.fail(`auto_pad=${autoPad}; nnc needs explicit pads (export with padding given as numbers)`, "auto_pad");
  const group = r.int("group", 1);
  if (group !== 1) r.fail(`group=${group}: nnc's conv connects every channel to every filter (group 1)`, "group");
  if (wChannels !== channels) r.fail(`W has ${wChannels} channels but the input has ${channels}`);
  const dilations = r.ints("dilations", [1, 1])!;
  if (dilations.some((d) => d !== 1)) r.fail(`dilations=[${dilations.join(", ")}]: nnc's conv has no dilation`, "dilations");
  const kernel = r.ints("kernel_shape", [kh, kw])!;
  if (kernel.length !== 2 || kernel[0] !== kh || kernel[1] !== kw)
    r.fail(`kernel_shape=[${kernel.join(", ")}] does not match W [${w.dims.join(", ")}]`, "kernel_shape");
  const strides = r.ints("strides", [1, 1])!;
  if (strides.length !== 2 || strides.some((s) => s < 1)) r.fail(`strides=[${strides.join(", ")}]`, "strides");
  const pads = r.ints("pads", [0, 0, 0, 0])!;
  if (pads.length !== 4) r.fail(`pads=[${pads.join(", ")}]: expected [top, left, bottom, right]`, "pads");
  const [top, left, bottom, right] = pads as [number, number, number, number];
  if (top !== bottom || left !== right) {
    r.fail(`pads=[${pads.join(", ")}] (top, left, bottom, right) are asymmetric; nnc pads the same on both sides (padding=rows x columns)`, "pads");
  }
  if (top < 0 || left < 0) r.fail(`pads=[${pads.join(", ")}] are negative`, "pads");
  const b = r.constant(2, "B, the bias");
  const bias = new Float64Array(filters);
  if (b !== null) {
    if (b.values.length !== filters) r.fail(`B has ${b.values.length} values for ${filters} filters`);
    bias.set(b.values);
  }
  if (Math.floor((height + 2 * top - kh) / strides[0]!) + 1 < 1 || Math.floor((width + 2 * left - kw) / strides[1]!) + 1 < 1) {
    r.fail(`the ${kh}×${kw} kernel does not fit the ${height}×${width} input`);
  }
  addLayer(walk, {
    kind: "conv",
    input: [channels, height, width],
    filters,
    kernel: [kh, kw],
    stride: [strides[0]!, strides[1]!],
    padding: [top, left],
    activation: linear(),
    weight: Float64Array.from(w.values),
    bias,
    nodes: [r.node.name],
  });
}

function batchNorm(walk: Walk, r: NodeReader): void {
  const open = walk.open;
  if (open === null || open.activation.kind !== "linear") {
    r.fail("nnc folds BatchNormalization into the Gemm, MatMul or Conv right before it, and there is none (or an activation is in between)");
  }
  if (r.int("training_mode", 0) !== 0)
    r.fail("training_mode=1 normalises by the batch's statistics; nnc folds inference-mode BatchNormalization only", "training_mode");
  r.ignore("momentum", "spatial");
  const epsilon = r.float("epsilon", 1e-5);
  const units = open.kind === "fc" ? open.outputs : open.filters;
  const [gamma, beta, mean, variance] = ["scale", "B", "input_mean", "input_var"].map((what, k) => {
    const t = r.requiredConstant(k + 1, what);
    if (t.values.length !== units) r.fail(`${what} has ${t.values.length} values; the layer before has ${units} ${open.kind === "fc" ? "outputs" : "filters"}`);
    return t.values;
  }) as [Float64Array, Float64Array, Float64Array, Float64Array];
  // y = γ (z − mean)/√(var + ε) + β with z = W x + b: W·s and (b − mean)·s + β, s = γ/√(var + ε), per output.
  const perUnit = open.weight.length / units;
  for (let u = 0; u < units; u++) {
    const s = gamma[u]! / Math.sqrt(variance[u]! + Math.fround(epsilon));
    for (let k = 0; k < perUnit; k++) open.weight[u * perUnit + k] = open.weight[u * perUnit + k]! * s;
    open.bias[u] = (open.bias[u]! - mean[u]!) * s + beta[u]!;
  }
  open.nodes.push(r.node.name);
  walk.notes.push(`BatchNormalization "${r.node.name}" folded into layer ${walk.layers.length} (weights × γ/√(var + ε), bias (b − mean)·γ/√(var + ε) + β)`);
}

function activation(walk: Walk, r: NodeReader): void {
  const kind = ACTIVATION_OPS[r.node.op]!;
  let open = walk.open;
  // relu(maxpool(conv(x))), PyTorch's classic MNIST example, is maxpool(relu(conv(x))) exactly: the activations
  // but softmax are non-decreasing, so the window's maximum maps to the maximum of the mapped window (the same
  // element). nnc's activations sit on the conv, so the activation moves there.
  const [pool, conv] = [walk.layers[walk.layers.length - 1], walk.layers[walk.layers.length - 2]];
  const slope = r.node.attributes.get("alpha");
  const increasing = kind !== "softmax" && (kind !== "leaky_relu" || slope === undefined || (slope.type === "float" && slope.value >= 0));
  if (open === null && pool?.kind === "maxpool" && conv?.kind === "conv" && conv.activation.kind === "linear" && increasing) {
    open = conv;
    walk.notes.push(
      `${r.node.op} "${r.node.name}" after MaxPool "${pool.nodes[0]}" moved onto the conv before it (the same numbers: ${r.node.op} is non-decreasing)`,
    );
  }
  if (open === null || open.activation.kind !== "linear") {
    r.fail(`nnc has activations only on its fc and conv layers: ${r.node.op} must come right after a Gemm, MatMul or Conv (or its BatchNormalization)`);
  }
  let alpha = 0;
  if (kind === "leaky_relu") alpha = r.float("alpha", 0.01);
  if (kind === "softmax") {
    if (open.kind !== "fc") r.fail("nnc applies softmax to an fc layer's outputs only");
    // Opset < 13: softmax over the flattened dims from `axis` (default 1); 13+: along `axis` (default −1).
    // On [batch, outputs] both mean "over the outputs" for axis 1 or −1; any other axis is across the batch.
    const axis = r.int("axis", r.graph.opset < 13 ? 1 : -1);
    if (axis !== 1 && axis !== -1) r.fail(`axis=${axis} on [batch, ${open.outputs}]: nnc's softmax is over each sample's outputs (axis 1 or −1)`, "axis");
  }
  open.activation = { kind, alpha };
  open.nodes.push(r.node.name);
  walk.open = null;
}

function pool(walk: Walk, r: NodeReader): void {
  const kind = r.node.op === "MaxPool" ? "maxpool" : "avgpool";
  if (walk.shape.length !== 3) r.fail(`its input is [batch, ${walk.shape.join(", ")}]; nnc pools [batch, channels, height, width]`);
  const autoPad = r.string("auto_pad", "NOTSET");
  if (autoPad !== "NOTSET") r.fail(`auto_pad=${autoPad}; nnc's pooling has no padding`, "auto_pad");
  const kernel = r.ints("kernel_shape", null);
  if (kernel === null || kernel.length !== 2)
    r.fail(`kernel_shape${kernel === null ? " is missing" : `=[${kernel.join(", ")}]`}: nnc pools 2-D windows`, "kernel_shape");
  const strides = r.ints("strides", [1, 1])!;
  if (strides.length !== 2 || strides.some((s) => s < 1)) r.fail(`strides=[${strides.join(", ")}]`, "strides");
  const pads = r.ints("pads", [0, 0, 0, 0])!;
  if (pads.some((p) => p !== 0)) r.fail(`pads=[${pads.join(", ")}]: nnc's pooling has no padding`, "pads");
  if (r.int("ceil_mode", 0) !== 0) r.fail("ceil_mode=1: nnc's pooling rounds the output size down (ceil_mode 0)", "ceil_mode");
  if (kind === "maxpool") {
    const dilations = r.ints("dilations", [1, 1])!;
    if (dilations.some((d) => d !== 1)) r.fail(`dilations=[${dilations.join(", ")}]: nnc's pooling has no dilation`, "dilations");
    r.ignore("storage_order"); // only changes the Indices output, which must be unused
  } else {
    r.ignore("count_include_pad"); // no padding: every window is whole
  }
  const [c, h, w] = walk.shape as [number, number, number];
  if (kernel[0]! > h || kernel[1]! > w) r.fail(`the ${kernel.join("×")} window does not fit the ${h}×${w} input`, "kernel_shape");
  addLayer(walk, { kind, input: [c, h, w], kernel: [kernel[0]!, kernel[1]!], stride: [strides[0]!, strides[1]!], nodes: [r.node.name] });
}

function flatten(walk: Walk, node: GraphNode): void {
  if (walk.shape.length === 3) addLayer(walk, { kind: "flatten", input: walk.shape as [number, number, number], nodes: [node.name] });
  else walk.open = null;
}

function reshape(walk: Walk, r: NodeReader): void {
  const target = r.requiredConstant(1, "shape");
  const allowZero = r.int("allowzero", 0) !== 0;
  const values = Array.from(target.values);
  const units = size(walk.shape);
  const batch = r.graph.input.dims?.[0] ?? null;
  // To [batch, C·H·W]: the batch as −1, 0 (copy, unless allowzero) or its fixed size; the rest as C·H·W or −1.
  const first = values[0];
  const firstOk = first === -1 || (first === 0 && !allowZero) || (batch !== null && first === batch);
  const second = values[1];
  const secondOk = second === units || (second === -1 && first !== -1);
  if (values.length !== 2 || !firstOk || !secondOk) {
    r.fail(`to [${values.join(", ")}]: nnc reshapes only to [batch, ${units}] (a flatten of each sample)`);
  }
  flatten(walk, r.node);
}

function dropout(walk: Walk, r: NodeReader): void {
  r.ignore("seed");
  let rate = r.graph.opset < 12 ? r.float("ratio", 0.5) : 0.5;
  if (r.graph.opset >= 12) {
    const ratio = r.constant(1, "ratio");
    if (ratio !== null) rate = ratio.values[0]!;
    const training = r.constant(2, "training_mode");
    if (training !== null && training.values[0] !== 0) r.fail("training_mode is true: the output would be random; nnc imports inference graphs");
  }
  // In an inference graph Dropout is the identity; between two layers it becomes nnc's dropout (for fine-tuning).
  walk.layers.push({ kind: "dropout", size: size(walk.shape), rate, nodes: [r.node.name] });
  walk.open = null;
}

/** Dropout that nnc cannot place (first, last, on images, rate 0) is dropped: it is the identity at inference. */
function trimDropouts(walk: Walk): ImportedLayer[] {
  const kept: ImportedLayer[] = [];
  walk.layers.forEach((layer, i) => {
    if (layer.kind !== "dropout") return void kept.push(layer);
    const before = walk.layers
      .slice(0, i)
      .filter((l) => l.kind !== "dropout")
      .pop();
    const after = walk.layers.slice(i + 1).some((l) => l.kind !== "dropout");
    const previousIsDropout = kept[kept.length - 1]?.kind === "dropout";
    if (before !== undefined && before.kind === "fc" && after && layer.rate > 0 && layer.rate < 1 && !previousIsDropout) kept.push(layer);
    else walk.notes.push(`Dropout "${layer.nodes[0]}" dropped (the identity at inference; nnc places dropout only between fc layers)`);
  });
  return kept;
}

function preprocessingOf(walk: Walk, graph: OnnxGraph): Preprocessing | null {
  const p = walk.preprocessing;
  if (p === null) return null;
  const written = graph.metadata.get("nnc.normalize");
  const kind = written === "zero_mean" || written === "min_max" || written === "z_score" ? written : p.divides ? "z_score" : "zero_mean";
  return { kind, offset: p.offset, scale: p.scale, nodes: p.nodes };
}
