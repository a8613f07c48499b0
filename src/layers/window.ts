// Sliding-window arithmetic shared by the image layers (conv, maxpool, avgpool): output sizes and the
// geometry every stage of those rules reads (interpreter, plan, emitted code, limits), so none of them
// recomputes it a different way.
import type { Shape } from "./types.js";

/** Windows along one axis: ⌊(size + 2·padding − kernel) / stride⌋ + 1 (PyTorch's floor mode); 0 when the kernel does not fit. */
export function windowCount(size: number, kernel: number, stride: number, padding: number): number {
  const span = size + 2 * padding - kernel;
  return span < 0 ? 0 : Math.floor(span / stride) + 1;
}

/** "6×13×13". */
export function shapeText(shape: Shape): string {
  return shape.join("×");
}

/** One sliding-window layer's geometry over a C×H×W input (pools: filters = channels, padding 0). */
export interface WindowGeometry {
  channels: number;
  height: number;
  width: number;
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  /** The padded input's rows and columns (height + 2·padding, …). */
  paddedHeight: number;
  paddedWidth: number;
  /** Output rows and columns. */
  outHeight: number;
  outWidth: number;
}

export function windowGeometry(input: readonly number[], kernel: [number, number], stride: [number, number], padding: [number, number]): WindowGeometry {
  const [channels = NaN, height = NaN, width = NaN] = input;
  return {
    channels,
    height,
    width,
    kernel,
    stride,
    padding,
    paddedHeight: height + 2 * padding[0],
    paddedWidth: width + 2 * padding[1],
    outHeight: windowCount(height, kernel[0], stride[0], padding[0]),
    outWidth: windowCount(width, kernel[1], stride[1], padding[1]),
  };
}

/** "5×5", "3×5": a kernel, stride or padding pair as written in messages and the plan. */
export function pairText(pair: readonly [number, number]): string {
  return `${pair[0]}×${pair[1]}`;
}
