// Per-unit pictures of the hidden layers: for a chain of fully connected layers (layout layerN.weight [out, in]
// and layerN.bias [out], meta.activations per layer), each hidden unit's activation at a network input
// (the caller preprocesses raw points with the module's own preprocess, so the scaling is the module's).
// Networks of other layer kinds get no unit pictures (null).

interface Meta {
  inputs: number;
  layout: readonly { name: string; offset: number; shape: readonly number[] }[];
  activations: readonly string[];
}

const ACTIVATIONS: Record<string, (v: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  relu: (v) => Math.max(0, v),
  leaky_relu: (v) => (v > 0 ? v : 0.01 * v),
  linear: (v) => v,
  none: (v) => v,
};

/** units[layer][unit](params, x) for every hidden fc layer, or null when the network is not an fc chain. */
export function hiddenUnits(meta: Meta): { layer: number; units: number; at: (params: ArrayLike<number>, x: ArrayLike<number>) => Float64Array }[] | null {
  const layers: { w: number; b: number; out: number; in: number; f: (v: number) => number }[] = [];
  for (let i = 0; i < meta.layout.length; i += 2) {
    const w = meta.layout[i]!,
      b = meta.layout[i + 1];
    const f = ACTIVATIONS[(meta.activations[i / 2] ?? "").replace(/\(.*$/, "")];
    if (!b || !w.name.endsWith(".weight") || !b.name.endsWith(".bias") || w.shape.length !== 2 || !f) return null;
    layers.push({ w: w.offset, b: b.offset, out: w.shape[0]!, in: w.shape[1]!, f });
  }
  if (layers.length < 2 || layers[0]!.in !== meta.inputs) return null;
  const forward = (params: ArrayLike<number>, x: ArrayLike<number>, upTo: number): Float64Array => {
    let a: ArrayLike<number> = x;
    for (let l = 0; l <= upTo; l++) {
      const L = layers[l]!;
      const next = new Float64Array(L.out);
      for (let o = 0; o < L.out; o++) {
        let s = params[L.b + o]!;
        for (let k = 0; k < L.in; k++) s += params[L.w + o * L.in + k]! * a[k]!;
        next[o] = L.f(s);
      }
      a = next;
    }
    return Float64Array.from(a);
  };
  return layers.slice(0, -1).map((L, l) => ({ layer: l + 1, units: L.out, at: (params: ArrayLike<number>, x: ArrayLike<number>) => forward(params, x, l) }));
}
