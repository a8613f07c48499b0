// Max and average pooling in the reference interpreter: plain float64 loops over each channel's windows
// (no padding; windows in row-major order). Max pooling's backward sends each output's gradient to the
// first maximum of its window in row-major order (ky, then kx): the tie rule the generated code shares.
// Its trace also keeps, per window, the gap between the maximum and the runner-up: where that gap is 0 the
// max is not differentiable, and the gradient checker (src/check/kinks.ts) avoids steps that close it.
import type { PoolLayer } from "../../ir.js";
import type { LayerTrace } from "../rule.js";
import { windowGeometry } from "../window.js";

/** Calls visit(j, i, first) for each output j and each input index i of its window, row-major (first: the window's first tap). */
function eachWindow(layer: PoolLayer, visit: (j: number, i: number, first: boolean) => void): number {
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, [0, 0]);
  let j = 0;
  for (let c = 0; c < g.channels; c++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++, j++) {
        for (let ky = 0; ky < layer.kernel[0]; ky++) {
          for (let kx = 0; kx < layer.kernel[1]; kx++) {
            const i = (c * g.height + oy * layer.stride[0] + ky) * g.width + ox * layer.stride[1] + kx;
            visit(j, i, ky === 0 && kx === 0);
          }
        }
      }
    }
  }
  return j;
}

function outputSize(layer: PoolLayer): number {
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, [0, 0]);
  return g.channels * g.outHeight * g.outWidth;
}

export function interpretPoolForward(layer: PoolLayer, input: Float64Array): LayerTrace {
  const n = outputSize(layer);
  const output = new Float64Array(n);
  if (layer.kind === "avgpool") {
    const count = layer.kernel[0] * layer.kernel[1];
    eachWindow(layer, (j, i) => {
      output[j] = output[j]! + input[i]!;
    });
    for (let j = 0; j < n; j++) output[j] = output[j]! / count;
    return { input, z: null, output, mask: null };
  }
  const argmax = new Int32Array(n);
  const second = new Float64Array(n).fill(-Infinity);
  eachWindow(layer, (j, i, first) => {
    const v = input[i]!;
    if (first) {
      output[j] = v;
      argmax[j] = i;
    } else if (v > output[j]!) {
      second[j] = output[j]!;
      output[j] = v;
      argmax[j] = i;
    } else if (v > second[j]!) {
      second[j] = v;
    }
  });
  const gaps = new Float64Array(n);
  for (let j = 0; j < n; j++) gaps[j] = second[j] === -Infinity ? Infinity : output[j]! - second[j]!;
  return { input, z: null, output, mask: null, argmax, gaps };
}

export function interpretPoolBackward(layer: PoolLayer, trace: LayerTrace, gOut: Float64Array): Float64Array {
  const gIn = new Float64Array(trace.input.length);
  if (layer.kind === "avgpool") {
    const count = layer.kernel[0] * layer.kernel[1];
    eachWindow(layer, (j, i) => {
      gIn[i] = gIn[i]! + gOut[j]! / count;
    });
    return gIn;
  }
  const argmax = trace.argmax!;
  for (let j = 0; j < argmax.length; j++) gIn[argmax[j]!] = gIn[argmax[j]!]! + gOut[j]!;
  return gIn;
}
