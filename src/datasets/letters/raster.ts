// Anti-aliased rasterisation of glyph polygons into a small greyscale image: fill the polygons on a
// supersampled binary grid (nonzero winding rule, one sample at each sub-pixel centre), optionally thicken
// or thin the strokes on that grid, then average each SAMPLES×SAMPLES block into one output pixel.
// Supersampling is exact enough at 17×17 and has no special cases (self-overlaps, holes, tiny features).

/** Sub-pixel samples per output pixel along each axis (4 → 16 samples per pixel). */
export const SAMPLES = 4;

export class Rasteriser {
  readonly gridWidth: number;
  readonly gridHeight: number;
  /** The supersampled coverage grid, 1 = inside; row-major, row 0 at the top. */
  readonly mask: Uint8Array;
  private readonly scratch: Uint8Array;
  private capacity = 32;
  private crossX: Float64Array;
  private crossDir: Int8Array;
  private readonly crossCount: Int32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.gridWidth = width * SAMPLES;
    this.gridHeight = height * SAMPLES;
    this.mask = new Uint8Array(this.gridWidth * this.gridHeight);
    this.scratch = new Uint8Array(this.gridWidth * this.gridHeight);
    this.crossX = new Float64Array(this.gridHeight * this.capacity);
    this.crossDir = new Int8Array(this.gridHeight * this.capacity);
    this.crossCount = new Int32Array(this.gridHeight);
  }

  /**
   * Fills closed polygons ([x0, y0, x1, y1, …] in output-pixel units, y down) into `mask` by the nonzero
   * winding rule. A sample at sub-pixel centre (c + ½, r + ½) is inside when the winding number there ≠ 0.
   */
  fill(contours: readonly Float64Array[]): void {
    this.mask.fill(0);
    while (!this.collectCrossings(contours)) {
      // A row crossed more edges than the buffers hold: grow and start over (rare; serif glyphs need ~12).
      this.capacity *= 2;
      this.crossX = new Float64Array(this.gridHeight * this.capacity);
      this.crossDir = new Int8Array(this.gridHeight * this.capacity);
    }
    const { gridWidth: w, gridHeight: h, capacity: cap, crossX: xs, crossDir: dirs, crossCount: counts, mask } = this;
    for (let r = 0; r < h; r++) {
      const n = counts[r]!;
      if (n === 0) continue;
      const base = r * cap;
      // Insertion sort by x: rows hold a handful of crossings.
      for (let i = base + 1; i < base + n; i++) {
        const x = xs[i]!;
        const d = dirs[i]!;
        let j = i - 1;
        while (j >= base && xs[j]! > x) {
          xs[j + 1] = xs[j]!;
          dirs[j + 1] = dirs[j]!;
          j--;
        }
        xs[j + 1] = x;
        dirs[j + 1] = d;
      }
      let winding = 0;
      for (let i = base; i < base + n - 1; i++) {
        winding += dirs[i]!;
        if (winding === 0) continue;
        // Columns whose centre c + ½ lies in [xs[i], xs[i+1]).
        const c0 = Math.max(0, Math.ceil(xs[i]! - 0.5));
        const c1 = Math.min(w - 1, Math.ceil(xs[i + 1]! - 0.5) - 1);
        const row = r * w;
        for (let c = c0; c <= c1; c++) mask[row + c] = 1;
      }
    }
  }

  /** Records, for each sample row, where each polygon edge crosses its centre line. False if a row overflowed. */
  private collectCrossings(contours: readonly Float64Array[]): boolean {
    const { gridHeight: h, capacity: cap, crossX: xs, crossDir: dirs, crossCount: counts } = this;
    counts.fill(0);
    for (const contour of contours) {
      const n = contour.length;
      for (let i = 0; i < n; i += 2) {
        const j = i + 2 < n ? i + 2 : 0;
        const x0 = contour[i]! * SAMPLES;
        const y0 = contour[i + 1]! * SAMPLES;
        const x1 = contour[j]! * SAMPLES;
        const y1 = contour[j + 1]! * SAMPLES;
        if (y0 === y1) continue;
        const dir = y1 > y0 ? 1 : -1;
        const yMin = Math.min(y0, y1);
        const yMax = Math.max(y0, y1);
        // Rows whose centre r + ½ lies in [yMin, yMax): half-open, so a vertex shared by two edges counts once.
        const r0 = Math.max(0, Math.ceil(yMin - 0.5));
        const r1 = Math.min(h - 1, Math.ceil(yMax - 0.5) - 1);
        const slope = (x1 - x0) / (y1 - y0);
        for (let r = r0; r <= r1; r++) {
          const k = counts[r]!;
          if (k === cap) return false;
          xs[r * cap + k] = x0 + (r + 0.5 - y0) * slope;
          dirs[r * cap + k] = dir;
          counts[r] = k + 1;
        }
      }
    }
    return true;
  }

  /**
   * Thickens (radius > 0, max filter) or thins (radius < 0, min filter) the filled shape by |radius| samples
   * on every side, with a square kernel applied as two separable passes. Outside the grid counts as empty.
   * Each pass slides a window count along the line, so the cost does not grow with the radius.
   */
  morph(radius: number): void {
    if (radius === 0) return;
    const r = Math.abs(radius);
    const { gridWidth: w, gridHeight: h, mask, scratch } = this;
    // Max filter: some sample in the window is set. Min filter: all 2r + 1 are (outside the grid is unset).
    const need = radius > 0 ? 1 : 2 * r + 1;
    const pass = (src: Uint8Array, dst: Uint8Array, lines: number, length: number, along: number, across: number): void => {
      for (let line = 0; line < lines; line++) {
        const base = line * across;
        let count = 0;
        for (let k = 0; k <= r && k < length; k++) count += src[base + k * along]!;
        for (let i = 0; i < length; i++) {
          dst[base + i * along] = count >= need ? 1 : 0;
          if (i + r + 1 < length) count += src[base + (i + r + 1) * along]!;
          if (i - r >= 0) count -= src[base + (i - r) * along]!;
        }
      }
    };
    pass(mask, scratch, h, w, 1, w); // rows: mask → scratch
    pass(scratch, mask, w, h, w, 1); // columns: scratch → mask
  }

  /** Averages each SAMPLES×SAMPLES block of `mask` into out[offset + row * width + col], in [0, 1]. */
  downsample(out: Float32Array | Float64Array, offset: number): void {
    const { width, height, gridWidth: w, mask } = this;
    const norm = 1 / (SAMPLES * SAMPLES);
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < width; px++) {
        let sum = 0;
        for (let sy = 0; sy < SAMPLES; sy++) {
          const row = (py * SAMPLES + sy) * w + px * SAMPLES;
          for (let sx = 0; sx < SAMPLES; sx++) sum += mask[row + sx]!;
        }
        out[offset + py * width + px] = sum * norm;
      }
    }
  }
}
