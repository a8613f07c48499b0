// Independent learnability check for the generated letters set (not part of nnc's pipeline): a plain
// Float64Array 289-20 sigmoid-26 sigmoid net, summed binary cross-entropy over the 26 outputs averaged
// over the batch, mini-batch SGD (shuffled), printing validation accuracy per epoch. It shares no code with
// nnc's compiler or trainer, so it checks the data, not nnc.
//   npx tsx scripts/check-letters.ts [--train 50000] [--val 10000] [--seed 1] [--lr 1] [--batch 1024] [--epochs 20] [--init-seed 7] [--init-std 0.01] [--jitter '{"rotationDeg":8}']
import { DEFAULT_FONT_DIRS, loadFonts } from "../src/datasets/letters/fonts.js";
import { CLASSES, DEFAULT_JITTER, generateLetters, PIXELS, streamSeed } from "../src/datasets/letters/generate.js";
import { createRng, shuffleIndices } from "../src/prng.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1]!);
const num = (key: string, fallback: number): number => (args.has(key) ? Number(args.get(key)) : fallback);
const nTrain = num("train", 50000);
const nVal = num("val", 10000);
const seed = num("seed", 1);
const lr = num("lr", 1);
const batch = num("batch", 1024);
const epochs = num("epochs", 20);
const jitter = { ...DEFAULT_JITTER, ...(args.has("jitter") ? JSON.parse(args.get("jitter")!) : {}) };

const { fonts } = loadFonts(args.has("fonts") ? [args.get("fonts")!] : DEFAULT_FONT_DIRS);
const train = generateLetters(fonts, nTrain, streamSeed(seed, "train"), jitter);
const val = generateLetters(fonts, nVal, streamSeed(seed, "val"), jitter);

const H = 20;
const rng = createRng(num("init-seed", 7));
// Weights N(0, std²) with std = sqrt(1 / fan_in) (LeCun normal) unless --init-std fixes it; biases 0.
const std1 = args.has("init-std") ? num("init-std", 0) : 1 / Math.sqrt(PIXELS);
const std2 = args.has("init-std") ? num("init-std", 0) : 1 / Math.sqrt(H);
const W1 = Float64Array.from({ length: H * PIXELS }, () => rng.gaussian() * std1);
const b1 = new Float64Array(H);
const W2 = Float64Array.from({ length: CLASSES * H }, () => rng.gaussian() * std2);
const b2 = new Float64Array(CLASSES);
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

const h = new Float64Array(H);
const o = new Float64Array(CLASSES);
function forward(xs: Float32Array, i: number): void {
  for (let j = 0; j < H; j++) {
    let z = b1[j]!;
    const row = j * PIXELS;
    for (let p = 0; p < PIXELS; p++) z += W1[row + p]! * xs[i * PIXELS + p]!;
    h[j] = sigmoid(z);
  }
  for (let k = 0; k < CLASSES; k++) {
    let z = b2[k]!;
    for (let j = 0; j < H; j++) z += W2[k * H + j]! * h[j]!;
    o[k] = sigmoid(z);
  }
}
function accuracy(set: typeof val): number {
  let right = 0;
  for (let i = 0; i < set.count; i++) {
    forward(set.x, i);
    let best = 0;
    for (let k = 1; k < CLASSES; k++) if (o[k]! > o[best]!) best = k;
    if (best === set.y[i]) right++;
  }
  return right / set.count;
}

const gW1 = new Float64Array(W1.length);
const gb1 = new Float64Array(H);
const gW2 = new Float64Array(W2.length);
const gb2 = new Float64Array(CLASSES);
const dh = new Float64Array(H);
const shuffle = createRng(11);
const t0 = Date.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  const order = new Int32Array(train.count);
  for (let i = 0; i < train.count; i++) order[i] = i;
  shuffleIndices(order, shuffle);
  let loss = 0;
  for (let start = 0; start < train.count; start += batch) {
    const end = Math.min(train.count, start + batch);
    gW1.fill(0);
    gb1.fill(0);
    gW2.fill(0);
    gb2.fill(0);
    for (let n = start; n < end; n++) {
      const i = order[n]!;
      forward(train.x, i);
      dh.fill(0);
      for (let k = 0; k < CLASSES; k++) {
        const t = train.y[i] === k ? 1 : 0;
        const ok = Math.min(1 - 1e-12, Math.max(1e-12, o[k]!));
        loss -= t * Math.log(ok) + (1 - t) * Math.log(1 - ok);
        const dz = o[k]! - t; // d(BCE)/dz for a sigmoid output
        gb2[k] += dz;
        for (let j = 0; j < H; j++) {
          gW2[k * H + j] += dz * h[j]!;
          dh[j] += dz * W2[k * H + j]!;
        }
      }
      for (let j = 0; j < H; j++) {
        const dz = dh[j]! * h[j]! * (1 - h[j]!);
        gb1[j] += dz;
        const row = j * PIXELS;
        for (let p = 0; p < PIXELS; p++) gW1[row + p] += dz * train.x[i * PIXELS + p]!;
      }
    }
    const step = lr / (end - start);
    for (let q = 0; q < W1.length; q++) W1[q] -= step * gW1[q]!;
    for (let q = 0; q < H; q++) b1[q] -= step * gb1[q]!;
    for (let q = 0; q < W2.length; q++) W2[q] -= step * gW2[q]!;
    for (let q = 0; q < CLASSES; q++) b2[q] -= step * gb2[q]!;
  }
  console.log(
    `epoch ${String(epoch).padStart(2)}  train loss ${(loss / train.count).toFixed(4)}  val acc ${accuracy(val).toFixed(4)}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
console.log(`train acc ${accuracy(train).toFixed(4)}`);
// Which fonts the net gets wrong most often on the validation set: shows whether a few odd fonts dominate.
const wrong = new Map<number, [number, number]>();
for (let i = 0; i < val.count; i++) {
  forward(val.x, i);
  let best = 0;
  for (let k = 1; k < CLASSES; k++) if (o[k]! > o[best]!) best = k;
  const [bad, all] = wrong.get(val.font[i]!) ?? [0, 0];
  wrong.set(val.font[i]!, [bad + (best === val.y[i] ? 0 : 1), all + 1]);
}
const worst = [...wrong].sort((a, b) => b[1][0] / b[1][1] - a[1][0] / a[1][1]).slice(0, 8);
console.log("worst fonts (val error rate): " + worst.map(([f, [bad, all]]) => `${fonts[f]!.name} ${((100 * bad) / all).toFixed(1)}%`).join(", "));
