// `nnc data letters`: generates the letters data set (A–Z glyphs from installed fonts, 17×17, jittered)
// as .npy files plus a preview sheet. The course's own letters files are not available; see docs/letters-data.md.
import { join } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../atomic-write.js";
import { encodeNpy } from "../data/npy-write.js";
import { UserError } from "../errors.js";
import { examples } from "./help.js";
import { DEFAULT_FONT_DIRS, loadFonts, type SkippedFont } from "../datasets/letters/fonts.js";
import { DEFAULT_JITTER, generateLetters, IMAGE_SIZE, streamSeed } from "../datasets/letters/generate.js";
import { previewPng } from "../datasets/letters/preview.js";
import { nonEmptyPath } from "./paths.js";

/** Upper bound on --train/--val: 1 M glyphs is 1.2 GB of float32 already. */
const MAX_SAMPLES = 1_000_000;

export interface LettersOptions {
  out: string;
  train: number;
  val: number;
  seed: number;
  fonts: readonly string[];
}

export interface LettersResult {
  files: string[];
  fontCount: number;
  skipped: SkippedFont[];
}

/** Generates both sets and writes train-x/-y, val-x/-y (.npy), preview.png and info.json under `out`, each atomically. */
export function writeLettersDataset(options: LettersOptions): LettersResult {
  const { fonts, skipped } = loadFonts(options.fonts);
  const train = generateLetters(fonts, options.train, streamSeed(options.seed, "train"));
  const val = generateLetters(fonts, options.val, streamSeed(options.seed, "val"));
  const info = {
    generator: "nnc data letters",
    seed: options.seed,
    image: { height: IMAGE_SIZE, width: IMAGE_SIZE, layout: "row-major, row 0 at the top, ink 1 on background 0" },
    classes: "0-25 = A-Z",
    train: options.train,
    val: options.val,
    jitter: DEFAULT_JITTER,
    fonts: fonts.map((f) => f.path),
    skippedFonts: skipped,
  };
  const outputs: [string, Uint8Array | string][] = [
    // (N, 17, 17): the file says it holds images, so `input 1x17x17` reads it as one channel and a wrong input shape is refused; flat specs (`input 289`) flatten it.
    ["train-x.npy", encodeNpy(train.x, [train.count, IMAGE_SIZE, IMAGE_SIZE])],
    ["train-y.npy", encodeNpy(train.y, [train.count])],
    ["val-x.npy", encodeNpy(val.x, [val.count, IMAGE_SIZE, IMAGE_SIZE])],
    ["val-y.npy", encodeNpy(val.y, [val.count])],
    ["preview.png", previewPng(train)],
    ["info.json", `${JSON.stringify(info, null, 2)}\n`],
  ];
  const files = outputs.map(([name, bytes]) => {
    const path = join(options.out, name);
    writeFileAtomic(path, bytes);
    return path;
  });
  return { files, fontCount: fonts.length, skipped };
}

/** Parses a whole-number flag value in [min, max], or throws a UserError naming the flag and the value. */
export function parseCount(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) throw new UserError(`${flag} must be a whole number, got '${value}'`);
  const n = Number(value.trim());
  if (n < min || n > max) throw new UserError(`${flag} must be between ${min} and ${max}, got ${value}`);
  return n;
}

export function register(program: Command): void {
  const data = program
    .command("data")
    .description("Generate built-in data sets as files")
    .addHelpText("after", examples(["nnc data letters", "nnc data letters --train 5000 --val 1000 --out /tmp/letters"]));
  data
    .command("letters")
    .addHelpText("after", examples(["nnc data letters", "nnc data letters --train 5000 --val 1000 --seed 2 --out /tmp/letters"]))
    .description("A-Z glyphs from installed fonts at 17x17 greyscale with seeded jitter, as .npy (train-x, train-y, val-x, val-y) plus preview.png")
    .option("--out <dir>", "output directory", nonEmptyPath, "data/letters")
    .option("--train <n>", "training samples", "50000")
    .option("--val <n>", "validation samples", "10000")
    .option("--seed <n>", "seed (train and validation use different streams of it)", "1")
    .option("--fonts <dirs...>", `font directories to search for .ttf/.otf (default: ${DEFAULT_FONT_DIRS.join(", ")})`)
    .action((opts: { out: string; train: string; val: string; seed: string; fonts?: string[] }) => {
      const options: LettersOptions = {
        out: opts.out,
        train: parseCount("--train", opts.train, 1, MAX_SAMPLES),
        val: parseCount("--val", opts.val, 1, MAX_SAMPLES),
        seed: parseCount("--seed", opts.seed, 0, 0xffffffff),
        fonts: opts.fonts ?? DEFAULT_FONT_DIRS,
      };
      const started = Date.now();
      const result = writeLettersDataset(options);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `letters: ${options.train} training + ${options.val} validation glyphs from ${result.fontCount} fonts in ${seconds} s → ${options.out}/\n` +
          result.files.map((f) => `  ${f}\n`).join("") +
          (result.skipped.length > 0 ? `  skipped fonts: ${result.skipped.map((s) => `${s.path} ${s.reason}`).join("; ")}\n` : ""),
      );
    });
}
