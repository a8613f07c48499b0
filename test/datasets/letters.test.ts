// The letters generator: determinism, shapes and ranges, class balance, font handling, and a falsifiable
// check that the classes are distinct (nearest-class-mean accuracy on fresh samples far above chance).
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../src/errors.js";
import { findFontFiles, loadFonts, loadLetterFont, LETTERS } from "../../src/datasets/letters/fonts.js";
import { CLASSES, generateLetters, PIXELS, streamSeed } from "../../src/datasets/letters/generate.js";

// fonts-dejavu-core (installed by .ci/run) is the one font package the tests rely on.
const DEJAVU = "/usr/share/fonts/truetype/dejavu";
const { fonts } = loadFonts([DEJAVU]);

describe("fonts", () => {
  it("finds DejaVu fonts with all 26 capital outlines", () => {
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.some((f) => f.name === "DejaVuSans.ttf")).toBe(true);
    for (const font of fonts) {
      expect(font.glyphs.length).toBe(26);
      for (const glyph of font.glyphs) expect(glyph.contours.length).toBeGreaterThan(0);
    }
  });

  it("skips a file opentype.js cannot read, and names the Debian package when nothing is usable", () => {
    const dir = mkdtempSync(join(tmpdir(), "nnc-fonts-"));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "broken.ttf"), "not a font at all");
    expect(findFontFiles([dir])).toEqual([join(dir, "sub", "broken.ttf")]);
    const skipped = loadLetterFont(join(dir, "sub", "broken.ttf"));
    expect("reason" in skipped && skipped.reason).toMatch(/cannot be read/);
    expect(() => loadFonts([dir])).toThrow(UserError);
    expect(() => loadFonts([dir])).toThrow(/fonts-dejavu-core/);
    expect(() => loadFonts([join(dir, "missing")])).toThrow(/no \.ttf or \.otf files/);
  });

  it("rejects a symbol font whose A–Z are other shapes", () => {
    const dingbats = "/usr/share/fonts/opentype/urw-base35/D050000L.otf";
    if (findFontFiles(["/usr/share/fonts/opentype/urw-base35"]).includes(dingbats)) {
      const result = loadLetterFont(dingbats);
      expect("reason" in result && result.reason).toMatch(/not a Latin text font/);
    } else {
      // fonts-urw-base35 is not installed here; the name check is still exercised on a real font below.
      expect(loadLetterFont(join(DEJAVU, "DejaVuSans.ttf"))).toHaveProperty("glyphs");
    }
  });
});

describe("generator", () => {
  const a = generateLetters(fonts, 312, 123);

  it("is deterministic for a seed and changes with it", () => {
    const again = generateLetters(fonts, 312, 123);
    expect(Buffer.from(again.x.buffer).equals(Buffer.from(a.x.buffer))).toBe(true);
    expect([...again.y]).toEqual([...a.y]);
    const other = generateLetters(fonts, 312, 124);
    expect(Buffer.from(other.x.buffer).equals(Buffer.from(a.x.buffer))).toBe(false);
    expect(streamSeed(1, "train")).not.toBe(streamSeed(1, "val"));
    expect(streamSeed(1, "train")).not.toBe(streamSeed(2, "train"));
  });

  it("has the documented shapes and ranges", () => {
    expect(a.x.length).toBe(312 * PIXELS);
    expect(PIXELS).toBe(289);
    expect(a.y.length).toBe(312);
    expect(a.x.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(a.y.every((v) => v < 26)).toBe(true);
    // Each glyph has ink (bright pixels), and a mostly dark background.
    for (let i = 0; i < a.count; i++) {
      const img = a.x.subarray(i * PIXELS, (i + 1) * PIXELS);
      expect(Math.max(...img)).toBeGreaterThan(0.6);
      expect(img.filter((v) => v < 0.2).length).toBeGreaterThan(PIXELS / 3);
    }
  });

  it("balances the classes (each letter ⌊n/26⌋ or ⌈n/26⌉ times) and shuffles them", () => {
    const b = generateLetters(fonts, 300, 5);
    const counts = new Array(CLASSES).fill(0);
    for (const label of b.y) counts[label]++;
    for (const c of counts) expect([11, 12]).toContain(c);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(300);
    // Not in A, B, C, … order.
    expect([...b.y.subarray(0, 26)]).not.toEqual([...Array(26).keys()]);
  });

  it("puts the glyph upright with row 0 at the top: 'T' has more ink in its top rows than its bottom rows", () => {
    const t = LETTERS.indexOf("T");
    let top = 0;
    let bottom = 0;
    for (let i = 0; i < a.count; i++) {
      if (a.y[i] !== t) continue;
      for (let c = 0; c < 17; c++) {
        for (let r = 0; r < 6; r++) top += a.x[i * PIXELS + r * 17 + c]!;
        for (let r = 11; r < 17; r++) bottom += a.x[i * PIXELS + r * 17 + c]!;
      }
    }
    expect(top).toBeGreaterThan(1.5 * bottom);
  });

  it("makes letters distinct: nearest-class-mean accuracy on fresh samples is far above chance (1/26)", () => {
    const train = generateLetters(fonts, 780, 1);
    const test = generateLetters(fonts, 260, 2);
    const means = new Float64Array(CLASSES * PIXELS);
    const counts = new Float64Array(CLASSES);
    for (let i = 0; i < train.count; i++) {
      counts[train.y[i]!]++;
      for (let p = 0; p < PIXELS; p++) means[train.y[i]! * PIXELS + p] += train.x[i * PIXELS + p]!;
    }
    for (let k = 0; k < CLASSES; k++) for (let p = 0; p < PIXELS; p++) means[k * PIXELS + p] /= counts[k]!;
    let right = 0;
    for (let i = 0; i < test.count; i++) {
      let best = -1;
      let bestDist = Infinity;
      for (let k = 0; k < CLASSES; k++) {
        let d = 0;
        for (let p = 0; p < PIXELS; p++) d += (test.x[i * PIXELS + p]! - means[k * PIXELS + p]!) ** 2;
        if (d < bestDist) [best, bestDist] = [k, d];
      }
      if (best === test.y[i]) right++;
    }
    expect(right / test.count).toBeGreaterThan(0.6);
  });
});
