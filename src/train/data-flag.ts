// `--data` on the command line: a training source given as file paths instead of the spec's `data`
// statement. The loader is picked by file extension; paths are relative to the current folder (not the
// spec's, since the user typed them in a shell).
//
//   --data x.npy,y.npy                 features .npy and labels .npy
//   --data table.csv [--label COL]     one CSV table; label column by header name or 0-based index
//   --data images.idx.gz,labels.idx.gz IDX files (MNIST family: .idx, -ubyte, optionally .gz)
import { resolve } from "node:path";
import { UserError } from "../errors.js";
import type { Data, DataSource, Spec } from "../ir.js";

const IDX = /(\.idx\d?|-ubyte|\.idx\d?-ubyte)(\.gz)?$|\.gz$/i;

export function dataSourceFromFlag(value: string, spec: Spec, label?: string): DataSource {
  const files = value.split(",").map((f) => f.trim());
  if (files.some((f) => f === "")) throw new UserError(`--data ${JSON.stringify(value)}: empty file name`);
  const abs = files.map((f) => resolve(f));
  const first = files[0]!.toLowerCase();
  const want = (n: number, form: string): void => {
    if (files.length !== n) throw new UserError(`--data ${JSON.stringify(value)}: expected ${form}`);
  };
  if (first.endsWith(".npy")) {
    want(2, "FEATURES.npy,LABELS.npy (two files, comma-separated)");
    return { kind: "npy", features: abs[0]!, labels: abs[1]!, range: null };
  }
  if (first.endsWith(".csv")) {
    want(1, "one .csv file (choose the label column with --label)");
    const specCsv = spec.data?.train.kind === "csv" ? spec.data.train : null;
    const column = label !== undefined ? labelColumn(label) : (specCsv?.label ?? null);
    if (column === null) {
      throw new UserError(`--data ${files[0]}: which column holds the label? Give --label NAME or --label INDEX (0-based)`);
    }
    return { kind: "csv", path: abs[0]!, label: column, header: specCsv?.header ?? typeof column === "string", range: null };
  }
  if (IDX.test(first)) {
    want(2, "IMAGES,LABELS (two IDX files, comma-separated)");
    return { kind: "idx", images: abs[0]!, labels: abs[1]!, range: null };
  }
  throw new UserError(`--data ${JSON.stringify(value)}: unknown file type; use X.npy,Y.npy or TABLE.csv or IMAGES.idx[.gz],LABELS.idx[.gz]`);
}

/** A label flag: a 0-based column index when it is a whole number, else a header name. */
function labelColumn(label: string): string | number {
  return /^\d+$/.test(label) ? Number(label) : label;
}

/** The spec's data section with the training source replaced (test set, split, scale and normalisation kept). */
export function withTrainingSource(spec: Spec, source: DataSource): Spec {
  const data: Data = spec.data
    ? { ...spec.data, train: source }
    : { train: source, test: null, split: 0, splitSeed: 1, normalize: "none", scale: 1, range: null };
  return { ...spec, data };
}
