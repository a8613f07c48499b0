// `nnc train` on a CSV whose label column holds class names, for a spec without `classes`: the sorted
// distinct names become the run's Spec.classes, so the module it trains, the weights file and the plots
// carry them, and the user is shown the `classes …` line that makes `nnc build`'s module carry them too.
import { readSource } from "../data/sources.js";
import type { Spec } from "../ir.js";
import type { Streams } from "../train/progress.js";
import { classesStatement } from "./classes.js";

/** The class names a spec's training CSV writes as labels, when the spec names none; null otherwise. */
export function dataClassNames(spec: Spec, specDir: string): string[] | null {
  const source = spec.data?.train;
  if (spec.classes !== null || source?.kind !== "csv") return null;
  return readSource(source, specDir, spec.fileName).classes ?? null;
}

/** The spec with the classes its CSV's labels name (unchanged when it has its own or the labels are numbers);
 * says so on stderr, with the line to add to the spec. */
export function withDataClasses(spec: Spec, specDir: string, streams: Streams): Spec {
  const classes = dataClassNames(spec, specDir);
  if (classes === null) return spec;
  const line = classesStatement(classes);
  streams.stderr.write(
    `nnc: the labels of ${spec.data!.train.kind === "csv" ? spec.data!.train.path : "the data"} are class names; training with \`${line}\` ` +
      `(sorted; add that line to ${spec.fileName} so that nnc build's module names them too)\n`,
  );
  return { ...spec, classes };
}
