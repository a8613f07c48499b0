// The doctor's diagnosis: a pure function from what a training run produced (the evaluated-loss history,
// how it stopped, the spec's settings and the probes of the trained parameters) to findings written in
// plain words, each with the numbers behind it and a suggested fix. Four failures are recognised:
//   non_finite  the loss became NaN/±Infinity (a linear output that blows up, or a learning rate too large);
//   saturated   the loss is stuck because sigmoid/tanh units sit in their flat tails (e.g. raw kg/cm inputs);
//   unstable    the loss rises or oscillates (learning rate too large);
//   dead_relu   hidden ReLU units output 0 for every training sample, so they pass back no gradient and
//               never learn again (a step too large killed them, or the init started them dead).
// Thresholds are named constants below and documented in docs/doctor.md.
import type { StopReason } from "../module-api.js";
import type { LayerProbe, Probes } from "./probes.js";

/** A sigmoid/tanh layer is "saturated" when at least this fraction of its activations sit in a flat tail. */
export const SATURATED_LAYER_FRACTION = 0.5;
/**
 * The loss is "stuck" when the last evaluated loss, and every loss of the last RECENT_WINDOW evaluations, is
 * still above this fraction of the first one (fell by < 10 %): a loss that dips far below and comes back is
 * oscillating (unstable), not stuck.
 */
export const STUCK_LOSS_RATIO = 0.9;
/** Inputs whose mean |x| exceeds this look unnormalised (z-scored data has mean |x| ≈ 0.8). */
export const LARGE_INPUT = 5;
/** Oscillation and rise are judged on the last this-many evaluations. */
export const RECENT_WINDOW = 50;
/** Oscillating: in the window, the summed rises are at least this fraction of the summed falls… */
export const OSCILLATION_UP_DOWN_RATIO = 0.5;
/** …and one single rise is at least this fraction of the loss before it. */
export const OSCILLATION_RISE = 0.1;
/** Rising: the last loss is at least this many times the best loss of the run. */
export const RISE_FACTOR = 1.5;
/** Fewer evaluations than this are too few to judge a trend. */
export const MIN_HISTORY = 5;
/**
 * A hidden ReLU layer is reported when at least this fraction of its units (a conv layer's filters) is dead.
 * A few dead units in a wide layer are normal: specs/square.nn ends with 8 of its 32 dead at loss 0.0025.
 */
export const DEAD_UNIT_FRACTION = 0.5;

export interface DoctorHistoryRow {
  /** 1-based count of epochs completed. */
  epoch: number;
  loss: number;
  accuracy: number | null;
}

export interface DoctorInput {
  learningRate: number;
  /** The spec's loss ("mse", "crossentropy", …). */
  loss: string;
  /** Activation of the output layer. */
  outputActivation: string;
  /** The spec's input normalisation ("none", "zero_mean", "min_max", "z_score"). */
  normalize: string;
  stoppedBy: StopReason;
  /** Epochs completed. */
  epochs: number;
  /** Evaluated epochs, oldest first (only finite losses: the module never records a non-finite one). */
  history: readonly DoctorHistoryRow[];
  /** Probes of the trained parameters on training inputs; null when they could not be taken. */
  probes: Probes | null;
  /** The spec's `init` scheme ("xavier", "he", "normal", …). */
  init: string;
  /** Probes of the spec's initial parameters (same samples); null when not taken (nothing dead at the end, or no relu layer). */
  initProbes: Probes | null;
  /** Layer number (as in probes) → its statement with `leaky_relu` for `relu`, for fc layers: "layer fc 1->2 leaky_relu(0.1)". */
  leakyStatements: Readonly<Record<number, string>>;
  /**
   * The loss before training (the spec's initial weights, on the probe samples); null when unknown. A loss
   * that is higher after every evaluated epoch than before the first step rose in epoch 1, which the
   * history alone (it starts after epoch 1) cannot show.
   */
  initialLoss?: number | null;
}

export type FindingKind = "non_finite" | "saturated" | "unstable" | "dead_relu";

export interface Finding {
  kind: FindingKind;
  /** One sentence: what happened, with the numbers. */
  summary: string;
  /** Further evidence, one line each. */
  details: string[];
  /** Why, in plain words. */
  cause: string;
  /** What to change in the spec. */
  fix: string;
  /** The figures behind the finding, for --json and tests. */
  figures: Record<string, number | string | null>;
}

export function g(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  return String(Number(value.toPrecision(digits)));
}

/** A learning rate a decade smaller, written as people write them (1.2 → 0.12). */
function smallerRate(lr: number): string {
  return g(lr / 10, 3);
}

export function diagnose(input: DoctorInput): Finding[] {
  const findings: Finding[] = [];
  if (input.stoppedBy === "non_finite") findings.push(nonFinite(input));
  else {
    const unstable = unstableLoss(input);
    if (unstable) findings.push(unstable);
  }
  const saturated = saturation(input);
  if (saturated) findings.push(saturated);
  const dead = deadRelu(input);
  if (dead) findings.push(dead);
  return findings;
}

function largeInputs(input: DoctorInput): { feature: number; meanAbs: number } | null {
  const means = input.probes?.inputMeanAbs ?? [];
  let worst = -1;
  means.forEach((m, i) => {
    if (m > LARGE_INPUT && (worst < 0 || m > means[worst]!)) worst = i;
  });
  return worst < 0 ? null : { feature: worst + 1, meanAbs: means[worst]! };
}

function nonFinite(input: DoctorInput): Finding {
  const h = input.history;
  // A non-finite loss (in a batch or in an evaluation) reports as epochs the epochs of the weights kept,
  // the last that ended finite, so the fault showed during the next one.
  const epoch = input.epochs + 1;
  const details: string[] = [];
  const figures: Finding["figures"] = { epoch, learningRate: input.learningRate };
  if (h.length >= 2) {
    const first = h[0]!;
    const last = h[h.length - 1]!;
    details.push(`before that the loss grew from ${g(first.loss)} (epoch ${first.epoch}) to ${g(last.loss)} (epoch ${last.epoch})`);
    figures.firstLoss = first.loss;
    figures.lastFiniteLoss = last.loss;
  } else if (h.length === 1) {
    details.push(`the last finite loss was ${g(h[0]!.loss)} (epoch ${h[0]!.epoch})`);
    figures.lastFiniteLoss = h[0]!.loss;
  }
  const big = largeInputs(input);
  if (big) details.push(`input ${big.feature} has mean |x| = ${g(big.meanAbs)}: large inputs make large steps`);
  const unbounded = !["sigmoid", "tanh", "softmax"].includes(input.outputActivation);
  const cause = unbounded
    ? `the output layer is ${input.outputActivation} (unbounded) and each step with learning rate ${g(input.learningRate)} overshoots the minimum, so the error, the weights and the loss grow every step until they overflow`
    : `the learning rate ${g(input.learningRate)} is too large: the steps overshoot until the weights overflow`;
  const fix =
    `lower the learning rate (try lr=${smallerRate(input.learningRate)})` +
    (big && input.normalize === "none" ? ", and add `normalize z-score`" : "") +
    ", or add a decaying `schedule`. The weights of the last finite epoch were kept.";
  figures.outputActivation = input.outputActivation;
  return { kind: "non_finite", summary: `the loss became NaN/Infinity during epoch ${epoch}; training stopped`, details, cause, fix, figures };
}

/** The loss rose in the first epoch and never came back below where it started (gender at lr 100: 0.25 → 0.5). */
function roseFromStart(input: DoctorInput): Finding | null {
  const h = input.history;
  const start = input.initialLoss;
  if (start === undefined || start === null || !(start > 0) || h.length === 0) return null;
  let best = h[0]!;
  for (const row of h) if (row.loss < best.loss) best = row;
  if (!(best.loss >= RISE_FACTOR * start)) return null;
  return {
    kind: "unstable",
    summary: `the loss rose in the first epoch: ${g(start)} before training, ${g(h[0]!.loss)} after epoch ${h[0]!.epoch}, and never below ${g(best.loss)} since`,
    details: [`best loss after training began: ${g(best.loss)} at epoch ${best.epoch}, ${g(best.loss / start, 3)}× the untrained network's`],
    cause: `the learning rate ${g(input.learningRate)} is too large: the first steps overshoot so far that the units are thrown into a region where the loss is higher than where it started`,
    fix: `use a smaller learning rate (try lr=${smallerRate(input.learningRate)})`,
    figures: {
      learningRate: input.learningRate,
      initialLoss: start,
      firstLoss: h[0]!.loss,
      bestLoss: best.loss,
      bestEpoch: best.epoch,
      pattern: "rose_from_start",
    },
  };
}

function unstableLoss(input: DoctorInput): Finding | null {
  const h = input.history;
  const rose = roseFromStart(input);
  if (rose) return rose;
  if (h.length < MIN_HISTORY) return null;
  const recent = h.slice(-RECENT_WINDOW);
  let up = 0;
  let down = 0;
  let rises = 0;
  let biggest = 0;
  let biggestAt = recent[0]!;
  for (let i = 1; i < recent.length; i++) {
    const delta = recent[i]!.loss - recent[i - 1]!.loss;
    if (delta > 0) {
      up += delta;
      rises += 1;
      const relative = recent[i - 1]!.loss > 0 ? delta / recent[i - 1]!.loss : Infinity;
      if (relative > biggest) {
        biggest = relative;
        biggestAt = recent[i]!;
      }
    } else down -= delta;
  }
  let best = h[0]!;
  for (const row of h) if (row.loss < best.loss) best = row;
  const last = h[h.length - 1]!;
  const figures: Finding["figures"] = {
    learningRate: input.learningRate,
    window: recent.length,
    risingFraction: rises / (recent.length - 1),
    largestRise: biggest,
    bestLoss: best.loss,
    bestEpoch: best.epoch,
    lastLoss: last.loss,
  };
  const fix = `use a smaller learning rate (try lr=${smallerRate(input.learningRate)}), or a decaying \`schedule\` (e.g. \`schedule step factor=0.5 every=…\`)`;
  const cause = `the learning rate ${g(input.learningRate)} is too large: steps overshoot the minimum and land higher up the other side`;
  const oscillating = up >= OSCILLATION_UP_DOWN_RATIO * down && biggest >= OSCILLATION_RISE;
  if (oscillating) {
    figures.pattern = "oscillating";
    return {
      kind: "unstable",
      summary: `the loss oscillates: it rose in ${rises} of the last ${recent.length - 1} evaluations, by up to ${g(biggest * 100, 3)} % (epoch ${biggestAt.epoch})`,
      details: [
        `over epochs ${recent[0]!.epoch}–${last.epoch} the rises add up to ${g(up)} against ${g(down)} of falls; best loss ${g(best.loss)} at epoch ${best.epoch}, last ${g(last.loss)}`,
      ],
      cause,
      fix,
      figures,
    };
  }
  if (last.loss >= RISE_FACTOR * best.loss && best !== last) {
    figures.pattern = "rising";
    return {
      kind: "unstable",
      summary: `the loss rose: ${g(last.loss)} at epoch ${last.epoch}, ${g(last.loss / best.loss, 3)}× its best (${g(best.loss)} at epoch ${best.epoch})`,
      details: [`it rose in ${rises} of the last ${recent.length - 1} evaluations`],
      cause,
      fix,
      figures,
    };
  }
  return null;
}

function saturation(input: DoctorInput): Finding | null {
  const h = input.history;
  const probes = input.probes;
  if (!probes || h.length < MIN_HISTORY || input.stoppedBy === "loss_below" || input.stoppedBy === "accuracy_above") return null;
  const first = h[0]!;
  const last = h[h.length - 1]!;
  if (!(last.loss > STUCK_LOSS_RATIO * first.loss)) return null;
  if (h.slice(-RECENT_WINDOW).some((r) => r.loss <= STUCK_LOSS_RATIO * first.loss)) return null;
  const saturatedLayers = probes.layers.filter((l) => l.saturatedFraction !== null && l.saturatedFraction >= SATURATED_LAYER_FRACTION);
  if (saturatedLayers.length === 0) return null;
  const details = saturatedLayers.map(
    (l) =>
      `layer ${l.layer} (${l.units} ${l.activation}): ${g(l.saturatedFraction! * 100, 3)} % of its activations are saturated (${l.activation === "sigmoid" ? "|a − 0.5| > 0.49" : "|a| > 0.98"}) over ${probes.samples} training samples`,
  );
  details.push(`gradient norms per layer (weights): ${probes.layers.map((l) => `layer ${l.layer} ${g(l.weightGradientNorm, 3)}`).join(", ")}`);
  const big = largeInputs(input);
  if (big) details.push(`the network's inputs are large: input ${big.feature} has mean |x| = ${g(big.meanAbs)}`);
  const fix =
    big && input.normalize === "none"
      ? "add `normalize z-score` so the inputs are centred and of unit scale; then the first layer's sums start near 0, where sigmoid and tanh have their largest slope"
      : big
        ? "use `normalize z-score` (the inputs are still large after the current normalisation)"
        : "start from smaller weights (`init xavier`, or `init normal std=0.1`), or use relu hidden units";
  const worst = saturatedLayers.reduce((a, b) => (b.saturatedFraction! > a.saturatedFraction! ? b : a));
  return {
    kind: "saturated",
    summary: `the loss is stuck at ${g(last.loss)} (it was ${g(first.loss)} at epoch ${first.epoch}; epoch ${last.epoch} now): ${g(worst.saturatedFraction! * 100, 3)} % of layer ${worst.layer}'s ${worst.activation} activations are saturated`,
    details,
    cause:
      "saturated units sit in the flat tails of their activation, where its slope is almost 0, so almost no gradient reaches their weights and each step barely changes them",
    fix,
    figures: {
      firstLoss: first.loss,
      lastLoss: last.loss,
      layer: worst.layer,
      saturatedFraction: worst.saturatedFraction,
      inputMeanAbs: big?.meanAbs ?? null,
      ...Object.fromEntries(probes.layers.map((l) => [`layer${l.layer}GradientNorm`, l.weightGradientNorm])),
    },
  };
}

/** The hidden relu layers of `probes` with at least DEAD_UNIT_FRACTION of their units dead. */
function deadLayers(probes: Probes | null): LayerProbe[] {
  return (probes?.layers ?? []).filter(
    (l) => l.hidden && l.deadUnits !== null && l.deadUnits.length > 0 && l.deadUnits.length >= DEAD_UNIT_FRACTION * l.deadOf,
  );
}

/** "unit 1", "units 1, 3 and 4" (filters for a conv layer, whose units are its filters). */
function unitList(l: LayerProbe, numbers: readonly number[]): string {
  const word = l.deadOf === l.units ? "unit" : "filter";
  const list = numbers.length === 1 ? String(numbers[0]) : `${numbers.slice(0, -1).join(", ")} and ${numbers[numbers.length - 1]}`;
  return `${word}${numbers.length === 1 ? "" : "s"} ${list}`;
}

function deadRelu(input: DoctorInput): Finding | null {
  // A run that ended non-finite kept weights of little meaning: its start (the spec's init) is probed too.
  const atEnd = deadLayers(input.probes);
  const atInit = deadLayers(input.initProbes);
  const layers = atEnd.length > 0 ? atEnd : input.stoppedBy === "non_finite" ? atInit : [];
  if (layers.length === 0) return null;
  const when = atEnd.length > 0 ? "after training" : "at init";
  const samples = (atEnd.length > 0 ? input.probes : input.initProbes)!.samples;
  const initDead = (layer: number): number[] => input.initProbes?.layers.find((l) => l.layer === layer)?.deadUnits ?? [];
  const worst = layers.reduce((a, b) => (b.deadUnits!.length / b.deadOf > a.deadUnits!.length / a.deadOf ? b : a));
  const dead = worst.deadUnits!.length;
  const noun = worst.deadOf === worst.units ? "unit" : "filter";
  const details = layers.map((l) => {
    const numbers = l.deadUnits!;
    const before = initDead(l.layer).filter((u) => numbers.includes(u));
    const history =
      atEnd.length === 0 || input.initProbes === null
        ? ""
        : before.length === numbers.length
          ? `; ${numbers.length === 1 ? "it was" : "they were"} already dead at init (\`init ${input.init}\`)`
          : before.length > 0
            ? `; ${unitList(l, before)} already at init (\`init ${input.init}\`), the others died in training`
            : numbers.length === 1
              ? "; alive at init: it died in training"
              : "; alive at init: they died in training";
    return `layer ${l.layer} (${l.deadOf} relu ${noun}s): ${unitList(l, numbers)} ${numbers.length === 1 ? "is" : "are"} 0 for all ${samples} training samples probed${history}`;
  });
  const diedInTraining = atEnd.length > 0 && layers.every((l) => initDead(l.layer).length < l.deadUnits!.length);
  const leaky = input.leakyStatements[worst.layer];
  // Measured on a 1-2-1 relu net fitting x² (docs/doctor.md): leaky_relu(0.1) took the loss from 0.89 to 0.11
  // in the same 200 epochs; a wider layer also recovers; lr ÷ 10 alone did not, nor did `init he`.
  const fixes = [
    `use leaky_relu, whose slope below 0 keeps the gradient flowing (${leaky ? `\`${leaky}\`` : `\`leaky_relu(0.1)\` for \`relu\` in layer ${worst.layer}'s statement`})`,
    `give the layer more units, so that it still works when some die`,
    ...(diedInTraining
      ? [`lower the learning rate (try lr=${smallerRate(input.learningRate)}) so that fewer steps push a unit's sum below 0 for every input`]
      : []),
    ...(!diedInTraining && input.init !== "he" ? ["start from `init he` (weights scaled for relu, so about half the units are active on each input)"] : []),
  ];
  return {
    kind: "dead_relu",
    summary:
      `${dead} of layer ${worst.layer}'s ${worst.deadOf} relu ${noun}s ${dead === 1 ? "is" : "are"} dead ${when}: 0 for every training sample` +
      (dead === worst.deadOf
        ? ", so the network's output no longer depends on its input"
        : `, so the layer works with ${worst.deadOf - dead} instead of ${worst.deadOf}`),
    details,
    cause:
      "a relu unit whose weighted sum is below 0 for every input outputs 0 and passes back a gradient of 0, so no step changes its weights again; a step too large can push it there, or the init can start it there (nnc starts biases at 0 and has no statement for a positive bias)",
    fix: fixes.join("; or ") + ".",
    figures: {
      layer: worst.layer,
      deadUnits: dead,
      units: worst.deadOf,
      when,
      initDeadUnits: input.initProbes === null ? null : initDead(worst.layer).length,
      learningRate: input.learningRate,
    },
  };
}
