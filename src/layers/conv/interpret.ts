// The conv layer in the reference interpreter: the direct convolution in plain float64 loops — no padded
// copy, no im2col, no unrolling — reading 0 where a window leaves the input. It is the independent oracle
// for every emitted form of the layer (per-sample loops and unrolled windows, the padded copy, im2col).
//   z[f][oy][ox] = Σ_c Σ_ky Σ_kx W[f][c][ky][kx] · x[c][oy·sy + ky − py][ox·sx + kx − px]   (c, ky, kx ascending), then + b[f]
//   dL/db[f] += Σ dz[f][·];  dL/dW[f][c][ky][kx] += dz[f][oy][ox] · x[…];  dL/dx[c][iy][ix] += W[f][c][ky][kx] · dz[f][oy][ox]
import type { ConvLayer } from "../../ir.js";
import type { Vector } from "../../module-api.js";
import { activate, layerDelta } from "../../interpreter/activations.js";
import type { LayerTrace, PlacedTensor } from "../rule.js";
import { windowGeometry } from "../window.js";

/** Loop bounds every direct-convolution loop below reads. */
function geometry(layer: ConvLayer) {
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, layer.padding);
  return { ...g, kh: layer.kernel[0], kw: layer.kernel[1], sy: layer.stride[0], sx: layer.stride[1], py: layer.padding[0], px: layer.padding[1] };
}

/** Output units: filters × OH × OW. */
function outputSize(layer: ConvLayer): number {
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, layer.padding);
  return layer.filters * g.outHeight * g.outWidth;
}

export function interpretConvForward(layer: ConvLayer, params: Vector, tensors: PlacedTensor[], input: Float64Array): LayerTrace {
  const weights = tensors[0]!.offset;
  const biases = tensors[1]!.offset;
  const { channels: C, height: H, width: W, outHeight: OH, outWidth: OW, kh, kw, sy, sx, py, px } = geometry(layer);
  const z = new Float64Array(outputSize(layer));
  // Plain loops, not a callback per tap: the gradient checker runs this forward once per perturbation.
  for (let f = 0; f < layer.filters; f++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let sum = 0;
        for (let c = 0; c < C; c++) {
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sy + ky - py;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sx + kx - px;
              if (ix < 0 || ix >= W) continue;
              sum += params[weights + ((f * C + c) * kh + ky) * kw + kx]! * input[(c * H + iy) * W + ix]!;
            }
          }
        }
        z[(f * OH + oy) * OW + ox] = sum + params[biases + f]!;
      }
    }
  }
  const output = new Float64Array(z.length);
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
  const { channels: C, height: H, width: W, outHeight: OH, outWidth: OW, kh, kw, sy, sx, py, px } = geometry(layer);
  const dz = layerDelta(layer.activation, trace, gOut, given, outputSize(layer));
  const x = trace.input;
  const gIn = new Float64Array(x.length);
  for (let f = 0; f < layer.filters; f++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const d = dz[(f * OH + oy) * OW + ox]!;
        sums[biases + f] = sums[biases + f]! + d;
        for (let c = 0; c < C; c++) {
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sy + ky - py;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sx + kx - px;
              if (ix < 0 || ix >= W) continue;
              const w = weights + ((f * C + c) * kh + ky) * kw + kx;
              const i = (c * H + iy) * W + ix;
              sums[w] = sums[w]! + d * x[i]!;
              gIn[i] = gIn[i]! + params[w]! * d;
            }
          }
        }
      }
    }
  }
  return gIn;
}
