// "Generic JS loops (f64)": the naive peer. Plain Float64Array loops whose sizes are read at run time from
// the net description, mini-batch SGD with hand-written backprop. It is what one writes without a
// compiler, and it stands in for the reference interpreter until that lands.
import { type Contestant, epochViews, type Evaluation, gatherRows, scoreOutputs, timeCalls } from "../contestant.js";
import { type BenchActivation, type BenchLayer, layerOffsets, type LayerOffsets, type NetShape } from "../net.js";
import type { BenchCase } from "../workloads.js";

/** Forward of one layer over `count` samples: out = act(W·in + b), rows of `inp` and `out` are samples. */
function forwardLayer(l: BenchLayer, p: Float64Array, at: LayerOffsets, inp: Float64Array, out: Float64Array, count: number): void {
  const { inputs: ni, outputs: no } = l;
  for (let s = 0; s < count; s++) {
    const xo = s * ni;
    const yo = s * no;
    for (let o = 0; o < no; o++) {
      let z = p[at.bias + o]!;
      const wo = at.weights + o * ni;
      for (let i = 0; i < ni; i++) z += p[wo + i]! * inp[xo + i]!;
      out[yo + o] = z;
    }
    activate(l.activation, out, yo, no);
  }
}

function activate(act: BenchActivation, v: Float64Array, at: number, n: number): void {
  switch (act) {
    case "linear":
      return;
    case "sigmoid":
      for (let k = at; k < at + n; k++) v[k] = 1 / (1 + Math.exp(-v[k]!));
      return;
    case "tanh":
      for (let k = at; k < at + n; k++) v[k] = Math.tanh(v[k]!);
      return;
    case "relu":
      for (let k = at; k < at + n; k++) if (v[k]! < 0) v[k] = 0;
      return;
    case "softmax": {
      let m = -Infinity;
      for (let k = at; k < at + n; k++) if (v[k]! > m) m = v[k]!;
      let sum = 0;
      for (let k = at; k < at + n; k++) sum += v[k] = Math.exp(v[k]! - m);
      for (let k = at; k < at + n; k++) v[k] = v[k]! / sum;
      return;
    }
  }
}

/** d(act)/dz expressed through the activation's output a (softmax never reaches here: it is fused with its loss). */
function derivative(act: BenchActivation, a: number): number {
  switch (act) {
    case "sigmoid":
      return a * (1 - a);
    case "tanh":
      return 1 - a * a;
    case "relu":
      return a > 0 ? 1 : 0;
    default:
      return 1;
  }
}

/** Mini-batch SGD state for one net: activation buffers sized for the largest batch. */
export class GenericNet {
  readonly offsets: LayerOffsets[];
  readonly acts: Float64Array[];
  readonly deltas: Float64Array[];
  readonly grad: Float64Array;

  constructor(
    readonly net: NetShape,
    readonly params: Float64Array,
    readonly maxBatch: number,
  ) {
    this.offsets = layerOffsets(net);
    this.acts = [new Float64Array(maxBatch * net.layers[0]!.inputs), ...net.layers.map((l) => new Float64Array(maxBatch * l.outputs))];
    this.deltas = net.layers.map((l) => new Float64Array(maxBatch * l.outputs));
    this.grad = new Float64Array(params.length);
  }

  /** Forward `count` samples of xs (default: those copied into acts[0]); returns the output activations. */
  forward(count: number, xs: Float64Array = this.acts[0]!): Float64Array {
    const { layers } = this.net;
    for (let k = 0; k < layers.length; k++) forwardLayer(layers[k]!, this.params, this.offsets[k]!, k === 0 ? xs : this.acts[k]!, this.acts[k + 1]!, count);
    return this.acts[layers.length]!;
  }

  /** One SGD step on `count` samples of xs (count × inputs) with targets ys (count × outputs). */
  step(xs: Float64Array, ys: Float64Array, count: number, lr: number): void {
    const { layers, loss } = this.net;
    const L = layers.length;
    const out = this.forward(count, xs);
    const last = layers[L - 1]!;
    const no = last.outputs;
    const dOut = this.deltas[L - 1]!;
    for (let k = 0; k < count * no; k++) {
      const a = out[k]!;
      // Sigmoid + binary CE and softmax + categorical CE fuse to (a − y); MSE is 2(a − y)/outputs · act'.
      dOut[k] = loss === "mse" ? (((2 * (a - ys[k]!)) / no) * derivative(last.activation, a)) / count : (a - ys[k]!) / count;
    }
    const g = this.grad;
    g.fill(0);
    for (let li = L - 1; li >= 0; li--) {
      const l = layers[li]!;
      const at = this.offsets[li]!;
      const d = this.deltas[li]!;
      const inp = li === 0 ? xs : this.acts[li]!;
      const ni = l.inputs;
      const nout = l.outputs;
      for (let s = 0; s < count; s++) {
        for (let o = 0; o < nout; o++) {
          const dv = d[s * nout + o]!;
          g[at.bias + o] += dv;
          const wo = at.weights + o * ni;
          const xo = s * ni;
          for (let i = 0; i < ni; i++) g[wo + i] += dv * inp[xo + i]!;
        }
      }
      if (li > 0) {
        const prev = layers[li - 1]!;
        const dp = this.deltas[li - 1]!;
        for (let s = 0; s < count; s++) {
          for (let i = 0; i < ni; i++) {
            let sum = 0;
            for (let o = 0; o < nout; o++) sum += d[s * nout + o]! * this.params[at.weights + o * ni + i]!;
            dp[s * ni + i] = sum * derivative(prev.activation, inp[s * ni + i]!);
          }
        }
      }
    }
    const p = this.params;
    for (let k = 0; k < p.length; k++) p[k] -= lr * g[k]!;
  }
}

export class GenericJsContestant implements Contestant {
  readonly id = "generic-js";
  readonly label = "generic JS loops (f64)";
  private c!: BenchCase;
  private net!: GenericNet;
  private bx!: Float64Array;
  private by!: Float64Array;
  /** Unshuffled workloads: views of one epoch's batches (see epochViews). */
  private views: { x: Float64Array; y: Float64Array }[] = [];

  async available(): Promise<string | null> {
    return null;
  }

  async describe(): Promise<string> {
    return `Node ${process.versions.node}, Float64Array loops with runtime sizes, hand-written backprop`;
  }

  async setup(c: BenchCase): Promise<void> {
    this.c = c;
    const maxBatch = Math.max(c.workload.batchSize, 1);
    this.net = new GenericNet(c.workload.net, Float64Array.from(c.params), maxBatch);
    this.bx = this.net.acts[0]!;
    this.by = new Float64Array(maxBatch * c.data.outputs);
    this.views = c.workload.shuffle ? [] : epochViews(c.plan, c.data.xs, c.data.ys, c.data.inputs, c.data.outputs);
  }

  async train(): Promise<undefined> {
    const { plan, data, workload } = this.c;
    const ni = data.inputs;
    const no = data.outputs;
    for (let b = 0; b < plan.batches; b++) {
      const start = plan.starts[b]!;
      const size = plan.sizes[b]!;
      if (!workload.shuffle) {
        // The same treatment as the module contestants: views made in setup, no copy, no allocation.
        const v = this.views[b % this.views.length]!;
        this.net.step(v.x, v.y, size, workload.learningRate);
      } else {
        gatherRows(data.xs, ni, plan.indices, start, size, this.bx);
        gatherRows(data.ys, no, plan.indices, start, size, this.by);
        this.net.step(this.bx, this.by, size, workload.learningRate);
      }
    }
    return undefined;
  }

  async evaluate(): Promise<Evaluation> {
    const e = this.c.evaluation;
    const ni = this.c.data.inputs;
    const no = this.c.data.outputs;
    const outputs = new Float64Array(e.count * no);
    const chunk = this.net.maxBatch;
    for (let s = 0; s < e.count; s += chunk) {
      const n = Math.min(chunk, e.count - s);
      this.bx.set(e.xs.subarray(s * ni, (s + n) * ni));
      outputs.set(this.net.forward(n).subarray(0, n * no), s * no);
    }
    return scoreOutputs(outputs, e.ys, e.count, no, this.c.workload.net.loss);
  }

  async parameters(): Promise<Float64Array> {
    return Float64Array.from(this.net.params);
  }

  async forward(count: number): Promise<Float64Array> {
    const e = this.c.evaluation;
    const one = new GenericNet(this.c.workload.net, this.net.params, count);
    return Float64Array.from(one.forward(count, e.xs.subarray(0, count * this.c.data.inputs)).subarray(0, count * this.c.data.outputs));
  }

  /** Dense nets only: the conv workloads (W7, W8) are skipped, as issue 14 asks only for TF.js and PyTorch there. */
  unsupported(w: BenchCase["workload"]): string | null {
    return w.net.image ? "the generic-JS peer is dense-only (no conv or pooling loops written); issue 14 compares conv nets with TF.js and PyTorch" : null;
  }

  async latency(x: Float64Array, calls: number): Promise<number> {
    // A batch-of-one net so the call does exactly one sample; the result is copied out as a caller would.
    const one = new GenericNet(this.c.workload.net, this.net.params, 1);
    const no = this.c.data.outputs;
    // Like the module contestants: the input read in place, the output written to a caller's buffer.
    const input = Float64Array.from(x);
    const out = new Float64Array(no);
    return timeCalls(() => {
      const y = one.forward(1, input);
      for (let k = 0; k < no; k++) out[k] = y[k]!;
      return out;
    }, calls);
  }

  async dispose(): Promise<void> {}
}
