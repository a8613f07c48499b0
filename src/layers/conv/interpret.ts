// The conv layer in the reference interpreter: the direct convolution in plain float64 loops — no padded
// copy, no im2col, no unrolling — reading 0 where a window leaves the input. It is the independent oracle
// for every emitted form of the layer (per-sample loops and unrolled windows, the padded copy, im2col).
//   z[f][oy][ox] = Σ_c Σ_ky Σ_kx W[f][c][ky][kx] · x[c][oy·sy + ky − py][ox·sx + kx − px]   (c, ky, kx ascending), then + b[f]
//   dL/db[f] += Σ dz[f][·];  dL/dW[f][c][ky][kx] += dz[f][oy][ox] · x[…];  dL/dx[c][iy][ix] += W[f][c][ky][kx] · dz[f][oy][ox]
import type { ConvLayer } from "../../ir.js";
import type { Vector } from "../../module-api.js";
import { activate, activationBackward } from "../../interpreter/activations.js";
import type { LayerTrace, PlacedTensor } from "../rule.js";
import { windowGeometry } from "../window.js";

/** Calls visit(j, w, i) for every (output j, weight index w within the filter bank, input index i) that the window reads inside the input, in the oracle's order: f, oy, ox, then c, ky, kx. */
function eachTap(layer: ConvLayer, visit: (j: number, f: number, w: number, i: number) => void): void {
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, layer.padding);
  const [kh, kw] = layer.kernel;
  for (let f = 0; f < layer.filters; f++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const j = (f * g.outHeight + oy) * g.outWidth + ox;
        for (let c = 0; c < g.channels; c++) {
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * layer.stride[0] + ky - layer.padding[0];
            if (iy < 0 || iy >= g.height) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * layer.stride[1] + kx - layer.padding[1];
              if (ix < 0 || ix >= g.width) continue;
              visit(j, f, ((f * g.channels + c) * kh + ky) * kw + kx, (c * g.height + iy) * g.width + ix);
            }
          }
        }
      }
    }
  }
}

function outputSize(layer: ConvLayer): number {
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, layer.padding);
  return layer.filters * g.outHeight * g.outWidth;
}

export function interpretConvForward(layer: ConvLayer, params: Vector, tensors: PlacedTensor[], input: Float64Array): LayerTrace {
  const weights = tensors[0]!.offset;
  const biases = tensors[1]!.offset;
  const n = outputSize(layer);
  const sums = new Float64Array(n);
  eachTap(layer, (j, _f, w, i) => {
    sums[j] = sums[j]! + params[weights + w]! * input[i]!;
  });
  const perFilter = n / layer.filters;
  const z = new Float64Array(n);
  for (let j = 0; j < n; j++) z[j] = sums[j]! + params[biases + Math.floor(j / perFilter)]!;
  const output = new Float64Array(n);
  activate(layer.activation, z, output);
  return { input, z, output, mask: null };
}

export function interpretConvBackward(
  layer: ConvLayer,
  params: Vector,
  tensors: PlacedTensor[],
  trace: LayerTrace,
  gOut: Float64Array | null,
  given: Float64Array | null,
  sums: Float64Array,
): Float64Array {
  const weights = tensors[0]!.offset;
  const biases = tensors[1]!.offset;
  const n = outputSize(layer);
  let dz = given;
  if (dz === null) {
    dz = new Float64Array(n);
    activationBackward(layer.activation, trace.z!, trace.output, gOut!, dz);
  }
  const perFilter = n / layer.filters;
  for (let j = 0; j < n; j++) {
    const b = biases + Math.floor(j / perFilter);
    sums[b] = sums[b]! + dz[j]!;
  }
  const gIn = new Float64Array(trace.input.length);
  eachTap(layer, (j, _f, w, i) => {
    sums[weights + w] = sums[weights + w]! + dz[j]! * trace.input[i]!;
    gIn[i] = gIn[i]! + params[weights + w]! * dz[j]!;
  });
  return gIn;
}
