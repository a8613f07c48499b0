// The words on a run's plots, from the spec and its data: the loss as people name it (for the loss axis),
// the inputs' and the target's names (a CSV's header, else what the built-in set is: x for y = x²), and the
// epoch whose weights the run kept (early stopping's best, or the last finite epoch of a diverged run).
import { resolve } from "node:path";
import Papa from "papaparse";
import type { Spec } from "../ir.js";
import type { TrainingReport } from "../module-api.js";
import { readDataFile } from "../data/read-file.js";

/** "MSE", "quadratic, ½Σ", "binary cross-entropy", "cross-entropy"; another loss by its name with spaces. */
export function lossName(kind: string): string {
  if (kind === "mse") return "MSE";
  if (kind === "quadratic") return "quadratic, ½Σ";
  if (kind === "binary_crossentropy") return "binary cross-entropy";
  if (kind === "categorical_crossentropy") return "cross-entropy";
  return kind.replace(/_/g, " ");
}

export interface DataNames {
  /** One name per input. */
  inputs: string[];
  /** The target's name (regression's y axis). */
  target: string;
}

/**
 * The inputs' and target's names: a CSV with a header gives its columns (the label column is the target);
 * the built-in square set is y = x²; otherwise x₁, x₂, … and "target". `specDir` resolves the spec's paths.
 */
export function dataNames(spec: Spec, specDir: string): DataNames {
  const numbered = (): DataNames => ({
    inputs: spec.inputs === 1 ? ["x"] : Array.from({ length: spec.inputs }, (_, i) => `x${subscript(i + 1)}`),
    target: "target",
  });
  const source = spec.data?.train;
  if (source?.kind === "builtin" && source.name === "square") return { inputs: ["x"], target: "y = x²" };
  if (source?.kind !== "csv" || !source.header) return numbered();
  const header = csvHeader(resolve(specDir, source.path));
  if (header === null || header.length !== spec.inputs + 1) return numbered();
  const labelIndex = typeof source.label === "number" ? source.label : header.indexOf(source.label);
  if (labelIndex < 0 || labelIndex >= header.length) return numbered();
  return { inputs: header.filter((_, i) => i !== labelIndex), target: header[labelIndex]! };
}

/** The first non-blank line's fields, delimited as the CSV loader guesses (',', tab or ';'); null when unreadable. */
function csvHeader(path: string): string[] | null {
  let text: string;
  try {
    // The loader has read the whole file already: this read, bounded like it, is only for the header.
    text = readDataFile(path, "CSV file")
      .toString("utf8")
      .replace(/^\uFEFF/, "");
  } catch {
    return null;
  }
  const first = text.split("\n").find((l) => l.trim() !== "");
  if (first === undefined) return null;
  const delimiter = [",", "\t", ";"].find((d) => first.includes(d)) ?? ",";
  const parsed = Papa.parse<string[]>(first.replace(/\r$/, ""), { delimiter });
  const fields = parsed.data[0];
  return fields ? fields.map((f) => f.trim()) : null;
}

function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]!);
}

/**
 * The 1-based epoch whose weights weights.json holds: early stopping's best epoch, or for any other ending the
 * epochs completed (a diverged run keeps its last finite epoch); null for a run stopped by Ctrl-C (its weights
 * are from the middle of an epoch) or one that kept its initial weights (0 epochs).
 */
export function keptEpoch(report: Pick<TrainingReport, "stoppedBy" | "epochs" | "bestEpoch">): number | null {
  if (report.stoppedBy === "interrupted") return null;
  if (report.stoppedBy === "early" && report.bestEpoch !== undefined && report.bestEpoch >= 0) return report.bestEpoch + 1;
  return report.epochs > 0 ? report.epochs : null;
}
