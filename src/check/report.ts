// What a gradient check returns: one row per checked tensor, plain JSON-serialisable data (`nnc check --json`).

export interface EntryDetail {
  /** Index within the tensor (row-major). */
  index: number;
  /** Human position, e.g. "[3,17]" for weight row 3 column 17, "[2]" for a bias, "[sample,feature]" for the input. */
  position: string;
  analytic: number;
  numeric: number;
  absError: number;
  relError: number;
}

export interface RowReport {
  /** "layer1.weight", "layer1.bias", …, "input", or an f32 comparison row ("f32 loss", "f32 gradient", "f32 input"). */
  name: string;
  kind: "parameter" | "input" | "f32";
  /** Entries in the tensor. */
  entries: number;
  /** Entries compared (all, or the seeded sample when entries > cap), minus the skipped ones. */
  checked: number;
  /** Entries whose ±eps step reached a ReLU / leaky-ReLU kink: not compared, and never counted as passed. */
  skipped: number;
  /** Entries that broke the pass rule. */
  failed: number;
  maxAbsError: number;
  /** Max over checked entries of |a − n| / max(|a|, |n|, 1e-12). */
  maxRelError: number;
  status: "pass" | "fail";
  /** Why a row failed without a failing entry, or what the numbers mean. */
  note?: string;
  /** Up to three failing entries, worst first. */
  worst: EntryDetail[];
}

export interface SpecReport {
  model: string;
  /** The spec file, as given. */
  file: string;
  precision: "f64" | "f32";
  loss: string;
  /** Loss at the check point (float64 module). */
  lossValue: number;
  /** Whether the loss was taken in training mode (specs with dropout: fixed masks, dropoutSeed below). */
  training: boolean;
  dropoutSeed: number | null;
  parameters: string;
  samples: number;
  eps: number;
  tolerance: number;
  /** The --atol option: absolute floor per unit of loss. */
  atol: number;
  /** The floor actually applied: atol × max(1, |loss|). */
  effectiveAtol: number;
  cap: number;
  seed: number;
  rows: RowReport[];
  passed: boolean;
  seconds: number;
}

export interface CheckReport {
  tool: "nnc check";
  passed: boolean;
  specs: SpecReport[];
}
