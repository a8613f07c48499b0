// Font discovery and glyph outlines for the letters generator: find the .ttf/.otf files under some
// directories, read each with opentype.js, and turn the outlines of A–Z into flat polygons in a
// canonical frame (centred, at the base pixel size). Done once per font, so generating tens of
// thousands of glyphs only transforms and rasterises cached polygons.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import opentype, { type PathCommand } from "opentype.js";
import { UserError } from "../../errors.js";

export const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Where Debian (and most Linux systems) keep fonts, searched when no --fonts directory is given. */
export const DEFAULT_FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts"];

/** The Debian package that CI installs to guarantee at least one usable font. */
export const FONT_PACKAGE_HINT = "fonts-dejavu-core";

/** Base glyph box in pixels before jitter: the glyph's height fits BASE_HEIGHT, its width BASE_WIDTH. */
export const BASE_HEIGHT = 13;
export const BASE_WIDTH = 15;

/** Line segments per quadratic / cubic Bézier when flattening: at ~13 px tall, finer is invisible. */
const QUAD_SEGMENTS = 6;
const CUBIC_SEGMENTS = 8;

/** One glyph as closed polygons: each contour is [x0, y0, x1, y1, …] in pixels, y down, centred on (0, 0). */
export interface GlyphOutline {
  contours: Float64Array[];
}

export interface LetterFont {
  /** File name, e.g. "DejaVuSans-Bold.ttf". */
  name: string;
  path: string;
  /** Outlines of A–Z, index 0 = A. */
  glyphs: GlyphOutline[];
}

export interface SkippedFont {
  path: string;
  reason: string;
}

export interface FontSet {
  fonts: LetterFont[];
  skipped: SkippedFont[];
}

/** Every .ttf/.otf file under `dirs` (recursively), sorted by path so the font order (and so the data) is stable. */
export function findFontFiles(dirs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return; // A missing default directory is not an error; the caller reports "no usable font".
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        continue; // Dangling symlink.
      }
      if (isDir) walk(path);
      else if (/\.(ttf|otf)$/i.test(entry)) found.push(path);
    }
  };
  for (const dir of dirs) walk(dir);
  return [...new Set(found)].sort();
}

/** Flattens opentype.js path commands (y down) into closed polygons, in font units scaled by `scale`. */
export function flattenPath(commands: readonly PathCommand[]): number[][] {
  const contours: number[][] = [];
  let current: number[] = [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  const close = (): void => {
    if (current.length >= 6) contours.push(current);
    current = [];
  };
  for (const c of commands) {
    switch (c.type) {
      case "M":
        close();
        x = startX = c.x!;
        y = startY = c.y!;
        current.push(x, y);
        break;
      case "L":
        x = c.x!;
        y = c.y!;
        current.push(x, y);
        break;
      case "Q":
        for (let i = 1; i <= QUAD_SEGMENTS; i++) {
          const t = i / QUAD_SEGMENTS;
          const u = 1 - t;
          current.push(u * u * x + 2 * u * t * c.x1! + t * t * c.x!, u * u * y + 2 * u * t * c.y1! + t * t * c.y!);
        }
        x = c.x!;
        y = c.y!;
        break;
      case "C":
        for (let i = 1; i <= CUBIC_SEGMENTS; i++) {
          const t = i / CUBIC_SEGMENTS;
          const u = 1 - t;
          const a = u * u * u;
          const b = 3 * u * u * t;
          const d = 3 * u * t * t;
          const e = t * t * t;
          current.push(a * x + b * c.x1! + d * c.x2! + e * c.x!, a * y + b * c.y1! + d * c.y2! + e * c.y!);
        }
        x = c.x!;
        y = c.y!;
        break;
      case "Z":
        close();
        x = startX;
        y = startY;
        break;
    }
  }
  close();
  return contours;
}

/** Centres polygons on their bounding box and scales them to fit BASE_WIDTH × BASE_HEIGHT, keeping the aspect ratio. */
export function normaliseOutline(contours: readonly number[][]): GlyphOutline {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const contour of contours) {
    for (let i = 0; i < contour.length; i += 2) {
      minX = Math.min(minX, contour[i]!);
      maxX = Math.max(maxX, contour[i]!);
      minY = Math.min(minY, contour[i + 1]!);
      maxY = Math.max(maxY, contour[i + 1]!);
    }
  }
  const scale = Math.min(BASE_HEIGHT / (maxY - minY), BASE_WIDTH / (maxX - minX));
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  return {
    contours: contours.map((contour) => {
      const out = new Float64Array(contour.length);
      for (let i = 0; i < contour.length; i += 2) {
        out[i] = (contour[i]! - cx) * scale;
        out[i + 1] = (contour[i + 1]! - cy) * scale;
      }
      return out;
    }),
  };
}

/** Reads one font file; returns its A–Z outlines, or the reason it cannot serve (unreadable, symbol font, missing letters). */
export function loadLetterFont(path: string): LetterFont | SkippedFont {
  let font;
  try {
    const bytes = readFileSync(path);
    // lowMemory parses glyphs on demand: 4× faster than a full parse for the 26 glyphs we need.
    font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { lowMemory: true });
  } catch (error) {
    return { path, reason: `cannot be read by opentype.js (${error instanceof Error ? error.message : String(error)})` };
  }
  const glyphs: GlyphOutline[] = [];
  for (const letter of LETTERS) {
    let glyph;
    try {
      glyph = font.charToGlyph(letter);
    } catch {
      return { path, reason: `has no glyph for '${letter}'` };
    }
    if (!glyph || glyph.index === 0) return { path, reason: `has no glyph for '${letter}'` };
    // Symbol fonts (Dingbats, Standard Symbols) map A–Z to other shapes; their glyph names give them away.
    if (glyph.name && glyph.name !== letter && !glyph.name.startsWith(`${letter}.`)) {
      return { path, reason: `is not a Latin text font (its glyph for '${letter}' is '${glyph.name}')` };
    }
    const contours = flattenPath(glyph.getPath(0, 0, font.unitsPerEm).commands);
    if (contours.length === 0) return { path, reason: `has an empty outline for '${letter}'` };
    glyphs.push(normaliseOutline(contours));
  }
  return { name: basename(path), path, glyphs };
}

/** Loads every usable font under `dirs`; a UserError naming the Debian package if none is usable. */
export function loadFonts(dirs: readonly string[]): FontSet {
  const files = findFontFiles(dirs);
  const fonts: LetterFont[] = [];
  const skipped: SkippedFont[] = [];
  for (const file of files) {
    const result = loadLetterFont(file);
    if ("glyphs" in result) fonts.push(result);
    else skipped.push(result);
  }
  if (fonts.length === 0) {
    const where = dirs.join(", ");
    const detail = files.length === 0 ? "no .ttf or .otf files" : `${files.length} font file(s), none with plain A–Z outlines`;
    throw new UserError(`letters: found ${detail} under ${where}; install a font package (e.g. \`apt-get install ${FONT_PACKAGE_HINT}\`) or pass --fonts DIR`);
  }
  return { fonts, skipped };
}
