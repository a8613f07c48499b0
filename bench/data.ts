// Deterministic data for the benchmark workloads: generated here from a seed, or read from the Debian
// Fashion-MNIST package. Every contestant trains on exactly these arrays (float64 here; the float32 peers
// round them once when they copy them in).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readNpy } from "../src/data/npy.js";
import { Prng } from "./prng.js";

export interface Samples {
  count: number;
  /** count × inputs, row-major. */
  xs: Float64Array;
  /** count × outputs, row-major (dense targets, or one-hot class vectors). */
  ys: Float64Array;
}

export interface Dataset extends Samples {
  inputs: number;
  outputs: number;
  /** A held-out set with the same shapes, when the data has one (Fashion-MNIST). */
  test: Samples | null;
  /** Where the data came from, for the report. */
  source: string;
  /** Set when the real data was not available and a stand-in was used. */
  notice: string | null;
}

function dataset(inputs: number, outputs: number, count: number, source: string): Dataset {
  return {
    inputs,
    outputs,
    count,
    xs: new Float64Array(count * inputs),
    ys: new Float64Array(count * outputs),
    test: null,
    source,
    notice: null,
  };
}

/** W1: four people (weight kg, height cm → 1 female, 0 male), each feature shifted to zero mean. */
export function genderData(): Dataset {
  const rows = [
    [54, 160, 1],
    [81, 185, 0],
    [72, 178, 0],
    [59, 165, 1],
  ];
  const d = dataset(2, 1, rows.length, "four inline rows (kg, cm), zero-mean");
  for (let f = 0; f < 2; f++) {
    const mean = rows.reduce((s, r) => s + r[f]!, 0) / rows.length;
    rows.forEach((r, i) => (d.xs[i * 2 + f] = r[f]! - mean));
  }
  rows.forEach((r, i) => (d.ys[i] = r[2]!));
  return d;
}

/** W2: the planar "flower" set of the classic exercise (two classes, `petals` petals, Gaussian noise). */
export function planarData(n = 400, noise = 0.2, petals = 4, seed = 1): Dataset {
  const d = dataset(2, 1, n, `planar flower set, ${n} points, seed ${seed}`);
  const rng = new Prng(seed);
  const perClass = Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const j = i < perClass ? 0 : 1;
    const k = i - j * perClass;
    const t = j * 3.12 + (3.12 * k) / Math.max(1, perClass - 1) + rng.normal() * noise;
    const r = petals * Math.sin(4 * t) + rng.normal() * noise;
    d.xs[i * 2] = r * Math.sin(t);
    d.xs[i * 2 + 1] = r * Math.cos(t);
    d.ys[i] = j;
  }
  return d;
}

/** W3: y = x² for x uniform in [min, max]. */
export function squareData(n = 1000, min = -2, max = 2, seed = 1): Dataset {
  const d = dataset(1, 1, n, `x² on [${min}, ${max}], ${n} samples, seed ${seed}`);
  const rng = new Prng(seed);
  for (let i = 0; i < n; i++) {
    const x = rng.uniform(min, max);
    d.xs[i] = x;
    d.ys[i] = x * x;
  }
  return d;
}

/**
 * W4 stand-in for the letters set: inputs uniform in [0, 1]; the class is the arg-max of a fixed random
 * linear "teacher", so the task is learnable and the loss falls like a real one.
 */
export function randomClassData(n: number, inputs: number, classes: number, seed = 1): Dataset {
  const d = dataset(inputs, classes, n, `random ${inputs}-dim inputs in [0,1], ${classes} classes from a random linear teacher, ${n} samples, seed ${seed}`);
  const rng = new Prng(seed);
  const teacher = new Float64Array(classes * inputs);
  for (let i = 0; i < teacher.length; i++) teacher[i] = rng.normal();
  for (let s = 0; s < n; s++) {
    const x = d.xs.subarray(s * inputs, (s + 1) * inputs);
    for (let i = 0; i < inputs; i++) x[i] = rng.next();
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let z = 0;
      for (let i = 0; i < inputs; i++) z += teacher[c * inputs + i]! * (x[i]! - 0.5);
      if (z > bestScore) {
        bestScore = z;
        best = c;
      }
    }
    d.ys[s * classes + best] = 1;
  }
  return d;
}

export const LETTERS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "data", "letters");

/**
 * W4: the generated letters set (`nnc data letters`, docs/letters-data.md) when data/letters exists: the
 * first n training glyphs, the validation set for evaluation; otherwise the random stand-in.
 */
export function lettersData(n: number, seed = 1): Dataset {
  const file = (name: string) => join(LETTERS_DIR, name);
  if (!existsSync(file("train-x.npy")) || !existsSync(file("val-x.npy"))) return randomClassData(n, 289, 26, seed);
  const read = (x: string, y: string, limit: number): Samples => {
    const xs = readNpy(file(x));
    const labels = readNpy(file(y));
    // `nnc data letters` writes the glyphs as images (N, 17, 17); older versions wrote them flat (N, 289).
    const flat = xs.shape.length === 2 && xs.shape[1] === 289;
    const image = xs.shape.length === 3 && xs.shape[1] === 17 && xs.shape[2] === 17;
    if ((!flat && !image) || labels.shape[0] !== xs.shape[0])
      throw new Error(`${LETTERS_DIR}: expected (N, 17, 17) or (N, 289) glyphs and N labels, got (${xs.shape}) and (${labels.shape})`);
    const count = Math.min(limit, xs.shape[0]!);
    const ys = new Float64Array(count * 26);
    for (let s = 0; s < count; s++) ys[s * 26 + labels.data[s]!] = 1;
    return { count, xs: xs.data.subarray(0, count * 289), ys };
  };
  const train = read("train-x.npy", "train-y.npy", n);
  const test = read("val-x.npy", "val-y.npy", 10000);
  return {
    ...train,
    inputs: 289,
    outputs: 26,
    test,
    source: `generated letters set (data/letters), first ${train.count} training glyphs, ${test.count} validation glyphs`,
    notice: null,
  };
}

export const FASHION_DIR = "/usr/share/datasets/fashion-mnist";

/** Reads an IDX images file (magic 2051, optionally gzip) scaled by 1/255, and its labels (magic 2049) one-hot. */
export function readIdxPair(imagesPath: string, labelsPath: string, classes = 10): Samples & { inputs: number } {
  const img = maybeGunzip(readFileSync(imagesPath));
  const lab = maybeGunzip(readFileSync(labelsPath));
  if (img.readUInt32BE(0) !== 2051) throw new Error(`${imagesPath}: not an IDX images file (magic ${img.readUInt32BE(0)})`);
  if (lab.readUInt32BE(0) !== 2049) throw new Error(`${labelsPath}: not an IDX labels file (magic ${lab.readUInt32BE(0)})`);
  const count = img.readUInt32BE(4);
  const inputs = img.readUInt32BE(8) * img.readUInt32BE(12);
  if (lab.readUInt32BE(4) !== count) throw new Error(`${labelsPath}: ${lab.readUInt32BE(4)} labels for ${count} images`);
  const xs = new Float64Array(count * inputs);
  for (let i = 0; i < xs.length; i++) xs[i] = img[16 + i]! / 255;
  const ys = new Float64Array(count * classes);
  for (let s = 0; s < count; s++) ys[s * classes + lab[8 + s]!] = 1;
  return { count, inputs, xs, ys };
}

function maybeGunzip(b: Buffer): Buffer {
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
}

/** Installs Debian's dataset-fashion-mnist when it is missing and we are root with apt-get; returns whether the files exist. */
export function ensureFashionMnist(log: (s: string) => void): boolean {
  const file = `${FASHION_DIR}/train-images-idx3-ubyte.gz`;
  if (existsSync(file)) return true;
  if (process.getuid?.() === 0 && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0) {
    log("Fashion-MNIST missing: apt-get install -y dataset-fashion-mnist …");
    const r = spawnSync("apt-get", ["install", "-y", "-qq", "dataset-fashion-mnist"], {
      stdio: "ignore",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (r.status !== 0) log("apt-get install dataset-fashion-mnist failed");
  }
  return existsSync(file);
}

/** W5: Fashion-MNIST train (60k) and test (10k), or random data of the same shape with a notice. */
export function fashionData(log: (s: string) => void, seed = 1): Dataset {
  if (ensureFashionMnist(log)) {
    const train = readIdxPair(`${FASHION_DIR}/train-images-idx3-ubyte.gz`, `${FASHION_DIR}/train-labels-idx1-ubyte.gz`);
    const test = readIdxPair(`${FASHION_DIR}/t10k-images-idx3-ubyte.gz`, `${FASHION_DIR}/t10k-labels-idx1-ubyte.gz`);
    return { ...train, outputs: 10, test, source: `Fashion-MNIST (${FASHION_DIR}, Debian dataset-fashion-mnist)`, notice: null };
  }
  // One teacher for train and test, so test accuracy means something even on the stand-in.
  const all = randomClassData(70000, 784, 10, seed);
  const d: Dataset = { ...all, count: 60000, xs: all.xs.subarray(0, 60000 * 784), ys: all.ys.subarray(0, 60000 * 10) };
  d.test = { count: 10000, xs: all.xs.subarray(60000 * 784), ys: all.ys.subarray(60000 * 10) };
  d.notice = `Fashion-MNIST not found in ${FASHION_DIR} (install Debian's dataset-fashion-mnist): W5 runs on random data of the same shape`;
  d.source = "random stand-in for Fashion-MNIST";
  return d;
}

/** The first `n` training samples (views, no copy); quick runs use it to keep set-up cheap on the big sets. */
export function firstSamples(d: Dataset, n: number): Dataset {
  if (d.count <= n) return d;
  return {
    ...d,
    count: n,
    xs: d.xs.subarray(0, n * d.inputs),
    ys: d.ys.subarray(0, n * d.outputs),
    source: `${d.source}; first ${n} training samples (quick mode)`,
  };
}
