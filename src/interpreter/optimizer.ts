// Optimiser state, learning-rate schedule and the update step, compiled from OPTIMIZERS, WEIGHT_DECAY and
// SCHEDULES (src/maths.ts).
import type { Spec } from "../ir.js";
import { OPTIMIZERS, SCHEDULES, WEIGHT_DECAY, compileFormula, compileStatements } from "../maths.js";
import type { OptimizerState, Vector } from "../module-api.js";
import { parameterCount, weightMask } from "./parameters.js";

// Compiled functions, cached by their text and argument names (new Function per step would dominate small nets).
const cache = new Map<string, (...args: number[]) => number | number[]>();
function cached<F extends (...args: number[]) => number | number[]>(key: string, make: () => F): F {
  let fn = cache.get(key);
  if (fn === undefined) cache.set(key, (fn = make()));
  return fn as F;
}

/** Fresh state: t = 0 and one zeroed float64 array per slot of the optimiser. */
export function createOptimizer(spec: Spec): OptimizerState {
  const slots: Record<string, Float64Array> = {};
  for (const slot of OPTIMIZERS[spec.training.optimizer.kind].slots) slots[slot] = new Float64Array(parameterCount(spec));
  return { t: 0, slots };
}

/** The learning rate of 0-based epoch `epoch`: the schedule's formula over the base rate and its own fields. */
export function learningRate(spec: Spec, epoch: number): number {
  const schedule = spec.training.schedule;
  const rate = SCHEDULES[schedule.kind].rate;
  const fields = schedule as unknown as Record<string, number>;
  const values = rate.variables.map((name) => (name === "lr" ? spec.training.learningRate : name === "e" ? epoch : fields[name]!));
  return cached(`rate:${rate.text}`, () => compileFormula<number[]>(rate, rate.variables))(...values);
}

/** Names the prelude declares (`const c1 = …;`), which the per-parameter update then reads. */
function preludeNames(prelude: string): string[] {
  return [...prelude.matchAll(/\b(?:const|let)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!);
}

/**
 * One update: adds L2 (λ·w, weights only) to `grad` in place, increments state.t, then runs the optimiser's
 * prelude once and its update statements for every parameter, with learningRate(epoch).
 */
export function step(spec: Spec, params: Vector, grad: Vector, state: OptimizerState, epoch: number): void {
  const training = spec.training;
  const optimizer = training.optimizer;
  const math = OPTIMIZERS[optimizer.kind];

  if (training.weightDecay !== 0) {
    const decay = compileFormula<[number, number, number]>(WEIGHT_DECAY, ["g", "p", "l2"]);
    const isWeight = weightMask(spec);
    for (let j = 0; j < params.length; j++) {
      if (isWeight[j] === 1) grad[j] = decay(grad[j]!, params[j]!, training.weightDecay);
    }
  }

  state.t += 1;
  const lr = learningRate(spec, epoch);
  const hyperNames = [...math.hyper];
  const fields = optimizer as unknown as Record<string, number | boolean>;
  const hyper = hyperNames.map((name) => Number(fields[name]));
  const constNames = preludeNames(math.prelude);
  const preludeInputs = ["t", ...hyperNames];
  const prelude = cached(`prelude:${math.prelude}:${preludeInputs}`, () => compileStatements(math.prelude, preludeInputs, constNames));
  const consts = prelude(state.t, ...hyper);
  const slotNames = [...math.slots];
  const updateInputs = ["p", "g", "lr", ...hyperNames, ...constNames, ...slotNames];
  const update = cached(`update:${math.update}:${updateInputs}`, () => compileStatements(math.update, updateInputs, ["p", ...slotNames]));
  const slots = slotNames.map((name) => state.slots[name]!);
  for (let j = 0; j < params.length; j++) {
    const result = update(params[j]!, grad[j]!, lr, ...hyper, ...consts, ...slots.map((slot) => slot[j]!));
    params[j] = result[0]!;
    slots.forEach((slot, k) => (slot[j] = result[k + 1]!));
  }
}
