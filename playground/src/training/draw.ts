// Plain canvas 2D pictures of a run: loss/accuracy curves, the decision boundary with the data points, each
// hidden unit's activation over the input plane, and the fitted curve of a 1-D regression. Every function
// draws from scratch from its arguments (no retained state), so redrawing after each chunk is simple.

export type Predict = (x: Float64Array) => ArrayLike<number>;

const CLASS_COLOURS: readonly [number, number, number][] = [
  [31, 119, 180],
  [214, 39, 40],
  [44, 160, 44],
  [148, 103, 189],
  [255, 127, 14],
  [140, 86, 75],
];

export interface Extent {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The bounding box of 2-D points with a 10 % margin. */
export function extentOf(features: Float64Array, count: number): Extent {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = features[i * 2]!,
      y = features[i * 2 + 1]!;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const mx = (x1 - x0 || 1) * 0.1,
    my = (y1 - y0 || 1) * 0.1;
  return { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my };
}

/** A line chart of one series (x = epochs), with its last value printed. */
export function drawCurve(
  canvas: HTMLCanvasElement,
  title: string,
  epochs: readonly number[],
  values: readonly number[],
  colour: string,
  fixedRange?: [number, number],
): void {
  const g = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  g.fillStyle = "#fff";
  g.fillRect(0, 0, w, h);
  g.strokeStyle = "#ccc";
  g.strokeRect(0.5, 0.5, w - 1, h - 1);
  g.fillStyle = "#333";
  g.font = "12px sans-serif";
  const last = values[values.length - 1];
  g.fillText(`${title}${last === undefined ? "" : `: ${last.toPrecision(4)}`}${epochs.length ? ` (epoch ${epochs[epochs.length - 1]})` : ""}`, 6, 14);
  if (values.length === 0) return;
  let lo = fixedRange ? fixedRange[0] : Math.min(...values);
  let hi = fixedRange ? fixedRange[1] : Math.max(...values);
  if (!(hi > lo)) {
    hi = lo + 1;
    lo -= 1e-9;
  }
  const e0 = 0,
    e1 = Math.max(epochs[epochs.length - 1]!, 1);
  const px = (e: number): number => 4 + ((e - e0) / (e1 - e0)) * (w - 8);
  const py = (v: number): number => h - 4 - ((v - lo) / (hi - lo)) * (h - 24);
  g.strokeStyle = colour;
  g.lineWidth = 1.5;
  g.beginPath();
  values.forEach((v, i) => (i === 0 ? g.moveTo(px(epochs[i]!), py(v)) : g.lineTo(px(epochs[i]!), py(v))));
  g.stroke();
}

/** The class (or probability) of each pixel over the extent, shaded, then the data points on top. */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  predict: Predict,
  outputs: number,
  extent: Extent,
  features: Float64Array,
  labels: Int32Array | null,
  count: number,
  cell = 4,
): void {
  const g = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  const image = g.createImageData(w, h);
  const x = new Float64Array(2);
  for (let py = 0; py < h; py += cell) {
    for (let px = 0; px < w; px += cell) {
      x[0] = extent.x0 + ((px + cell / 2) / w) * (extent.x1 - extent.x0);
      x[1] = extent.y1 - ((py + cell / 2) / h) * (extent.y1 - extent.y0);
      const out = predict(x);
      let rgb: [number, number, number];
      if (outputs === 1) rgb = mix(CLASS_COLOURS[0]!, CLASS_COLOURS[1]!, clamp01(out[0]!));
      else {
        let best = 0;
        for (let k = 1; k < outputs; k++) if (out[k]! > out[best]!) best = k;
        rgb = mix([255, 255, 255], CLASS_COLOURS[best % CLASS_COLOURS.length]!, 0.35 + 0.4 * clamp01(out[best]!));
      }
      const [r, gg, b] = outputs === 1 ? mix([255, 255, 255], rgb, 0.55) : rgb;
      for (let dy = 0; dy < cell && py + dy < h; dy++)
        for (let dx = 0; dx < cell && px + dx < w; dx++) {
          const o = ((py + dy) * w + px + dx) * 4;
          image.data[o] = r;
          image.data[o + 1] = gg;
          image.data[o + 2] = b;
          image.data[o + 3] = 255;
        }
    }
  }
  g.putImageData(image, 0, 0);
  drawPoints(g, w, h, extent, features, labels, count);
}

function drawPoints(g: CanvasRenderingContext2D, w: number, h: number, extent: Extent, features: Float64Array, labels: Int32Array | null, count: number): void {
  for (let i = 0; i < count; i++) {
    const px = ((features[i * 2]! - extent.x0) / (extent.x1 - extent.x0)) * w;
    const py = ((extent.y1 - features[i * 2 + 1]!) / (extent.y1 - extent.y0)) * h;
    const [r, gg, b] = CLASS_COLOURS[(labels?.[i] ?? 0) % CLASS_COLOURS.length]!;
    g.fillStyle = `rgb(${r},${gg},${b})`;
    g.strokeStyle = "#fff";
    g.beginPath();
    g.arc(px, py, 2.5, 0, 2 * Math.PI);
    g.fill();
    g.stroke();
  }
}

/** One small canvas: a hidden unit's activation over the input plane (blue −, white 0, red +). */
export function drawUnit(canvas: HTMLCanvasElement, activation: (x: number, y: number) => number, extent: Extent, range: [number, number]): void {
  const g = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  const image = g.createImageData(w, h);
  const scale = Math.max(Math.abs(range[0]), Math.abs(range[1])) || 1;
  for (let py = 0; py < h; py++)
    for (let px = 0; px < w; px++) {
      const v = activation(extent.x0 + ((px + 0.5) / w) * (extent.x1 - extent.x0), extent.y1 - ((py + 0.5) / h) * (extent.y1 - extent.y0)) / scale;
      const [r, gg, b] = v >= 0 ? mix([255, 255, 255], CLASS_COLOURS[1]!, clamp01(v)) : mix([255, 255, 255], CLASS_COLOURS[0]!, clamp01(-v));
      const o = (py * w + px) * 4;
      image.data[o] = r;
      image.data[o + 1] = gg;
      image.data[o + 2] = b;
      image.data[o + 3] = 255;
    }
  g.putImageData(image, 0, 0);
}

/** A 1-D regression: the data points and the fitted curve over twice the data's range (the fit outside the training range shows). */
export function drawFit(canvas: HTMLCanvasElement, predict: Predict, features: Float64Array, targets: Float64Array, count: number): void {
  const g = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  g.fillStyle = "#fff";
  g.fillRect(0, 0, w, h);
  let lo = Infinity,
    hi = -Infinity,
    tlo = Infinity,
    thi = -Infinity;
  for (let i = 0; i < count; i++) {
    lo = Math.min(lo, features[i]!);
    hi = Math.max(hi, features[i]!);
    tlo = Math.min(tlo, targets[i]!);
    thi = Math.max(thi, targets[i]!);
  }
  const half = (hi - lo) / 2 || 1,
    mid = (hi + lo) / 2;
  const x0 = mid - 2 * half,
    x1 = mid + 2 * half;
  const curve: number[] = [];
  const x = new Float64Array(1);
  for (let px = 0; px < w; px++) {
    x[0] = x0 + (px / (w - 1)) * (x1 - x0);
    curve.push(predict(x)[0]!);
  }
  const y0 = Math.min(tlo, ...curve.filter(Number.isFinite)),
    y1 = Math.max(thi * 2, ...curve.filter(Number.isFinite));
  const sx = (v: number): number => ((v - x0) / (x1 - x0)) * w;
  const sy = (v: number): number => h - 6 - ((v - y0) / (y1 - y0 || 1)) * (h - 12);
  g.fillStyle = "#eef";
  g.fillRect(sx(lo), 0, sx(hi) - sx(lo), h);
  g.fillStyle = "rgba(31,119,180,0.6)";
  for (let i = 0; i < count; i++) g.fillRect(sx(features[i]!) - 1, sy(targets[i]!) - 1, 2, 2);
  g.strokeStyle = "#d62728";
  g.lineWidth = 2;
  g.beginPath();
  curve.forEach((v, px) => (px === 0 ? g.moveTo(px, sy(v)) : g.lineTo(px, sy(v))));
  g.stroke();
  g.fillStyle = "#333";
  g.font = "12px sans-serif";
  g.fillText("shaded: the training range; red: the network's fit", 6, 14);
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5;
}

function mix(a: readonly number[], b: readonly number[], t: number): [number, number, number] {
  return [Math.round(a[0]! + (b[0]! - a[0]!) * t), Math.round(a[1]! + (b[1]! - a[1]!) * t), Math.round(a[2]! + (b[2]! - a[2]!) * t)];
}
