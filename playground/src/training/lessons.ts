// One-click lessons: each sets the spec text (the single source of truth) and says what to watch for. The
// specs are the repository's own files (specs/*.nn, imported as text), so a lesson is exactly what
// `nnc train specs/<name>.nn` runs; the doctor's findings (src/doctor) appear under the curves when they fire.
/// <reference path="./nn-text.d.ts" />
import genderLinear from "../../../specs/gender-linear.nn";
import genderLrTooLarge from "../../../specs/gender-lr-too-large.nn";
import genderRaw from "../../../specs/gender-raw.nn";
import genderZeroMean from "../../../specs/gender-zero-mean.nn";
import planar from "../../../specs/planar.nn";
import square from "../../../specs/square.nn";

export interface Lesson {
  id: string;
  title: string;
  /** What the run shows, in words, under the lesson's button. */
  story: string;
  spec: string;
}

/** planar.nn with its hidden size set to `h` (the sweep's `let H = …` line; the sweep line itself dropped). */
export function planarWithHidden(h: number): string {
  return planar.replace(/^let H = .*$/m, `let H = ${h}`).replace(/^sweep .*\n/m, "");
}

/** A small classification that trains in seconds, with the loss swapped: the quadratic-vs-cross-entropy lesson. */
function planarLoss(loss: "quadratic" | "crossentropy"): string {
  return planarWithHidden(4)
    .replace(/^model .*$/m, `model planar-${loss}`)
    .replace(/^loss .*$/m, `loss ${loss}`)
    .replace(/epochs=\d+/, "epochs=1500");
}

export const LESSONS: readonly Lesson[] = [
  {
    id: "gender-linear",
    title: "Gender 1: linear units diverge",
    story: "Every unit linear on raw kg and cm: the loss grows without bound and the doctor says why.",
    spec: genderLinear,
  },
  {
    id: "gender-raw",
    title: "Gender 2: raw inputs saturate",
    story: "Sigmoid units on raw kg and cm: the units saturate and learning stalls.",
    spec: genderRaw,
  },
  {
    id: "gender-zero-mean",
    title: "Gender 3: zero-mean inputs converge",
    story: "The same network with `normalize zero-mean`: it converges.",
    spec: genderZeroMean,
  },
  {
    id: "gender-lr-too-large",
    title: "Gender 4: learning rate too large",
    story: "lr=100: the first steps overshoot so far that the units saturate; the doctor says what happened and what to change.",
    spec: genderLrTooLarge,
  },
  { id: "quadratic", title: "Quadratic loss", story: "Planar with the quadratic loss: compare its curve with cross-entropy's.", spec: planarLoss("quadratic") },
  {
    id: "crossentropy",
    title: "Cross-entropy loss",
    story: "Planar with cross-entropy: the loss falls faster from the start.",
    spec: planarLoss("crossentropy"),
  },
  ...[1, 2, 3, 4, 5, 20, 50].map((h) => ({
    id: `planar-h${h}`,
    title: `Planar, H = ${h}`,
    story: `The hidden-size sweep of specs/planar.nn: ${h} hidden unit${h === 1 ? "" : "s"}.`,
    spec: planarWithHidden(h),
  })),
  {
    id: "square",
    title: "x²: extrapolation",
    story: "specs/square.nn: the fit is good inside the training range (shaded) and wrong outside it.",
    spec: square,
  },
];
