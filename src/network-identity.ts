// What a parameter vector means, independent of the spec's text: the network hash that weights files and
// `meta.networkHash` carry, and the preprocessing (data scale, normalisation) a module applies to raw
// inputs. Weights stay usable as long as this matches: comments, formatting and model-independent
// training settings (epochs, learning rate, optimiser, schedule, stop rules, seeds, data paths, loss) are
// not part of it.
// sha256 from @noble/hashes (the same bytes as node:crypto): the emitter reaches this file, and the playground bundles the emitter for a page.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Layer, Normalization, Spec } from "./ir.js";
import type { TensorLayout } from "./module-api.js";
import { parameterLayout } from "./interpreter/parameters.js";

/** The preprocessing of raw inputs, as `meta.preprocessing` describes it. */
export interface Preprocessing {
  /** The spec's data `scale`, applied first (1 = none). */
  scale: number;
  /** Then x' = (x − offset[j]) / scale[j] per input, statistics fitted on the training split. */
  normalize: Normalization;
  /** Index of offset[inputs] then scale[inputs] in the parameter vector (= the trainable parameter count). */
  offset: number;
  /** 2 · inputs when the spec normalises, else 0 (no statistics in the vector). */
  size: number;
}

export function preprocessingOf(spec: Spec, parameters: number): Preprocessing {
  const normalize = spec.data?.normalize ?? "none";
  return { scale: spec.data?.scale ?? 1, normalize, offset: parameters, size: normalize === "none" ? 0 : 2 * spec.inputs };
}

/** True when raw inputs differ from network inputs (a data scale or a normalisation). */
export function preprocesses(p: Pick<Preprocessing, "scale" | "normalize">): boolean {
  return p.scale !== 1 || p.normalize !== "none";
}

/** The canonical description the network hash is taken of (also written into weights files as `network`). */
export interface NetworkDescription {
  inputShape: number[];
  /** Each layer's kind and settings (source ranges dropped). */
  layers: Record<string, unknown>[];
  preprocessing: { normalize: Normalization; scale: number };
}

function layerSettings(layer: Layer): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(layer)) if (key !== "range") settings[key] = value;
  return settings;
}

export function describeNetwork(spec: Spec): NetworkDescription {
  return {
    inputShape: [...spec.inputShape],
    layers: spec.layers.map(layerSettings),
    preprocessing: { normalize: spec.data?.normalize ?? "none", scale: spec.data?.scale ?? 1 },
  };
}

/** sha256 (hex) of the description and the layout, keys in a fixed order. */
export function networkHash(spec: Spec, layout: readonly TensorLayout[] = parameterLayout(spec)): string {
  const d = describeNetwork(spec);
  const canonical = JSON.stringify({
    format: "nnc-network-1",
    inputShape: d.inputShape,
    layers: d.layers.map((l) =>
      Object.fromEntries(
        Object.keys(l)
          .sort()
          .map((k) => [k, l[k]]),
      ),
    ),
    layout: layout.map((t) => ({ name: t.name, offset: t.offset, shape: [...t.shape], size: t.size })),
    preprocessing: d.preprocessing,
  });
  return bytesToHex(sha256(utf8ToBytes(canonical)));
}
