// What one row of the course reproduction (docs/results.md) measures and how it is reported.

/** One target of a row: what the course says, what we measured, and whether the measurement meets it. */
export interface Check {
  what: string;
  target: string;
  measured: string;
  pass: boolean;
}

export interface RowResult {
  /** Stable id: gender, planar, square, letters, letters-cnn, fashion, fashion-cnn, doctor (also the name of docs/results/<id>.json). */
  id: string;
  title: string;
  specs: string[];
  checks: Check[];
  /** Further Markdown for the row's section (tables, plots as ![](results/…), notes). */
  body: string;
  /** Wall-clock seconds the row took (training, data, plots). */
  seconds: number;
  /** ISO date of the measurement. */
  measuredAt: string;
}

export interface RowContext {
  /** Repository root (specs/ and data/ are read from here). */
  root: string;
  /** Folder for the plots and per-row JSON (docs/results/); Markdown links are relative to its parent. */
  outDir: string;
  /** Progress lines for the person running the results. */
  log: (line: string) => void;
}

export const pct = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(digits)} %`);
export const num = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined
    ? "–"
    : !Number.isFinite(v)
      ? String(v)
      : Math.abs(v) !== 0 && Math.abs(v) < 1e-3
        ? v.toExponential(2)
        : String(Number(v.toPrecision(digits)));
