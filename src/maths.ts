// The maths of nnc, written once. Every activation, loss, optimiser, schedule and initialiser is a row
// of a table whose formulas are TypeScript expression TEXT over a few named variables. The code
// generator pastes the text into the generated module (after substituting its own variable names and
// the spec's constants as literals), and the reference interpreter compiles the very same text into
// functions with `compileFormula`. So a formula cannot differ between the two; what the differential
// tests compare is everything around it: layout, offsets, loops, unrolling, batching, state.
// Whether the formulas themselves are right is what finite differences (nnc check) prove.
import { ELEMENTARY, ELEMENTARY_FUNCTIONS, elementaryUsedBy } from "./elementary.js";
import type { ActivationKind, InitScheme, LossKind, Optimizer, Schedule } from "./ir.js";

/** A formula: expression text plus the names of the variables it reads. */
export interface Formula {
  text: string;
  variables: readonly string[];
}

function formula(variables: readonly string[], text: string): Formula {
  return { text, variables };
}

// ---------------------------------------------------------------------------------------------------
// Activations. Element-wise ones map z → a and give da/dz from (a, z). `alpha` is leaky_relu's slope.
// softmax is the one vector activation: forward and Jacobian are handled by the callers (see notes).

export interface ActivationMath {
  doc: string;
  /** a = f(z). Variables: z, alpha. */
  forward: Formula;
  /** da/dz. Variables: a, z, alpha. For softmax this is unused (vector Jacobian, see `softmaxBackward`). */
  derivative: Formula;
  /** True when f′ has a kink at z = 0 (finite differences there are meaningless: the checker skips them). */
  kinkAtZero: boolean;
  /** True for softmax: forward over the whole output vector with max-subtraction. */
  vector: boolean;
}

export const ACTIVATIONS: Record<ActivationKind, ActivationMath> = {
  linear: {
    doc: "a = z",
    forward: formula(["z"], "z"),
    derivative: formula([], "1"),
    kinkAtZero: false,
    vector: false,
  },
  sigmoid: {
    doc: "a = 1 / (1 + e^−z); a′ = a(1 − a)",
    forward: formula(["z"], "1 / (1 + nncExp(-z))"),
    derivative: formula(["a"], "a * (1 - a)"),
    kinkAtZero: false,
    vector: false,
  },
  tanh: {
    doc: "a = tanh z; a′ = 1 − a²",
    forward: formula(["z"], "nncTanh(z)"),
    derivative: formula(["a"], "1 - a * a"),
    kinkAtZero: false,
    vector: false,
  },
  relu: {
    doc: "a = max(0, z); a′ = 1 if z > 0 else 0",
    forward: formula(["z"], "z > 0 ? z : 0"),
    derivative: formula(["z"], "z > 0 ? 1 : 0"),
    kinkAtZero: true,
    vector: false,
  },
  leaky_relu: {
    doc: "a = z if z > 0 else αz; a′ = 1 or α",
    forward: formula(["z", "alpha"], "z > 0 ? z : alpha * z"),
    derivative: formula(["z", "alpha"], "z > 0 ? 1 : alpha"),
    kinkAtZero: true,
    vector: false,
  },
  softmax: {
    doc: "a_k = e^(z_k − max z) / Σ_j e^(z_j − max z); backward: dL/dz_k = a_k (g_k − Σ_j g_j a_j)",
    // Per element, after the caller has subtracted the row maximum and divides by the row sum.
    forward: formula(["z"], "Math.exp(z)"),
    derivative: formula([], "1"),
    kinkAtZero: false,
    vector: true,
  },
};

// ---------------------------------------------------------------------------------------------------
// Losses. Per output element k of one sample, with K outputs. The total sample loss is the sum of the
// element terms (plus `sampleExtra` for categorical cross-entropy); the batch loss is the mean over samples.
// `delta` is dL/dz_k when `fused` (the activation's derivative is folded in: sigmoid+BCE, softmax+CE,
// which is both cheaper and numerically stable), else dL/da_k, which the caller chains through the
// activation's derivative.
//   Variables: a (output), y (target), z (pre-activation), K (outputs), lse (log-sum-exp of z, CE only),
//   sumY (Σ_k y_k, CE only).

export interface LossMath {
  doc: string;
  /** Activation the loss requires on the output layer, or null for any. */
  requires: ActivationKind | null;
  term: Formula;
  delta: Formula;
  fused: boolean;
  /**
   * The term factored for a batch-wide pass (fused bodies with batch-wide activations, src/emit/fused.ts):
   * `part` of z computed for a whole block first (the f64x2 pass `pass`, src/emit/wasm/elementary.ts), then
   * `rest` per sample with t = that part. `term` is `rest` with t replaced by `part`, letter for letter
   * (test/maths/tables.test.ts), so the loss is the same bits either way.
   */
  batchTerm?: { part: Formula; rest: Formula; pass: "softplus" };
}

export const LOSSES: Record<LossKind, LossMath> = {
  mse: {
    doc: "L = mean over samples of (1/K) Σ_k (a_k − y_k)²",
    requires: null,
    term: formula(["a", "y", "K"], "((a - y) * (a - y)) / K"),
    delta: formula(["a", "y", "K"], "(2 * (a - y)) / K"),
    fused: false,
  },
  quadratic: {
    doc: "L = mean over samples of ½ Σ_k (a_k − y_k)² (the course's QuadraticLoss: summed over outputs, the ½ cancels the 2)",
    requires: null,
    term: formula(["a", "y"], "((a - y) * (a - y)) / 2"),
    delta: formula(["a", "y"], "a - y"),
    fused: false,
  },
  binary_crossentropy: {
    doc: "L = mean over samples of −Σ_k [y log a + (1 − y) log(1 − a)], computed from z as max(z,0) − yz + log(1 + e^−|z|)",
    requires: "sigmoid",
    term: formula(["z", "y"], "Math.max(z, 0) - y * z + nncLog1p(nncExp(-Math.abs(z)))"),
    delta: formula(["a", "y"], "a - y"),
    fused: true,
    batchTerm: {
      part: formula(["z"], "nncLog1p(nncExp(-Math.abs(z)))"),
      rest: formula(["z", "y", "t"], "Math.max(z, 0) - y * z + t"),
      pass: "softplus",
    },
  },
  categorical_crossentropy: {
    doc: "L = mean over samples of −Σ_k y_k log softmax(z)_k = Σ_k y_k (lse(z) − z_k); dL/dz_k = a_k Σ_j y_j − y_k",
    requires: "softmax",
    term: formula(["z", "y", "lse"], "y * (lse - z)"),
    delta: formula(["a", "y", "sumY"], "a * sumY - y"),
    fused: true,
  },
};

// ---------------------------------------------------------------------------------------------------
// Optimisers: per-parameter update statements. Variables: p (the parameter, assigned), g (its gradient,
// L2 already added), lr (this epoch's rate), the optimiser's hyperparameters, and its state slots
// (assigned). `prelude` runs once per step before the element loop; `t` is the 1-based step count.

export interface OptimizerMath {
  doc: string;
  /** Per-parameter state arrays, each the size of the parameter vector, starting at 0. */
  slots: readonly string[];
  /** Statements run once per step (may declare consts used by `update`). Variables: t, hyperparameters. */
  prelude: string;
  /** Statements run for every parameter. */
  update: string;
  /** Hyperparameter names in the order of the Optimizer IR fields. */
  hyper: readonly string[];
}

export const OPTIMIZERS: Record<Optimizer["kind"], OptimizerMath> = {
  sgd: {
    doc: "p ← p − lr·g",
    slots: [],
    prelude: "",
    update: "p -= lr * g;",
    hyper: [],
  },
  momentum: {
    doc: "v ← βv + g; p ← p − lr·v (Nesterov: p ← p − lr·(g + βv)), as PyTorch's SGD with momentum",
    slots: ["v"],
    prelude: "",
    update: "v = beta * v + g; p -= lr * (nesterov ? g + beta * v : v);",
    hyper: ["beta", "nesterov"],
  },
  rmsprop: {
    doc: "s ← ρs + (1 − ρ)g²; p ← p − lr·g / (√s + ε)",
    slots: ["s"],
    prelude: "",
    update: "s = rho * s + (1 - rho) * g * g; p -= (lr * g) / (Math.sqrt(s) + eps);",
    hyper: ["rho", "eps"],
  },
  adam: {
    doc: "m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − lr·m̂ / (√v̂ + ε) with bias-corrected m̂, v̂",
    slots: ["m", "v"],
    prelude: "const c1 = 1 - Math.pow(beta1, t); const c2 = 1 - Math.pow(beta2, t);",
    update: "m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g * g; p -= (lr * (m / c1)) / (Math.sqrt(v / c2) + eps);",
    hyper: ["beta1", "beta2", "eps"],
  },
};

/** L2 weight decay, coupled (added to the gradient of weights, not biases), as PyTorch's `weight_decay`. Variables: g, p, l2. */
export const WEIGHT_DECAY = formula(["g", "p", "l2"], "g + l2 * p");

// ---------------------------------------------------------------------------------------------------
// Learning-rate schedules: the rate for 0-based epoch e from the base rate lr.

export const SCHEDULES: Record<Schedule["kind"], { doc: string; rate: Formula }> = {
  constant: { doc: "lr", rate: formula(["lr"], "lr") },
  step: {
    doc: "lr · factor^⌊e / every⌋, never below min",
    rate: formula(["lr", "e", "factor", "every", "min"], "Math.max(min, lr * Math.pow(factor, Math.floor(e / every)))"),
  },
  exponential: {
    doc: "lr · gamma^e, never below min",
    rate: formula(["lr", "e", "gamma", "min"], "Math.max(min, lr * Math.pow(gamma, e))"),
  },
  cosine: {
    doc: "min + (lr − min)(1 + cos(π·min(e, period)/period))/2",
    rate: formula(["lr", "e", "min", "period"], "min + ((lr - min) * (1 + Math.cos((Math.PI * Math.min(e, period)) / period))) / 2"),
  },
};

// ---------------------------------------------------------------------------------------------------
// Weight initialisers: one draw per weight, in row-major order, layer by layer, from one stream seeded by
// the spec's init seed. Biases start at 0. Variables: uniform() and gaussian() (the stream), fanIn, fanOut,
// and the scheme's own parameter (std or limit).

export const INITIALIZERS: Record<InitScheme["kind"], { doc: string; draw: Formula }> = {
  normal: { doc: "N(0, std²)", draw: formula(["gaussian", "std"], "std * gaussian()") },
  uniform: { doc: "U(−limit, limit)", draw: formula(["uniform", "limit"], "limit * (2 * uniform() - 1)") },
  xavier: {
    doc: "Glorot uniform: U(±√(6 / (fan_in + fan_out)))",
    draw: formula(["uniform", "fanIn", "fanOut"], "Math.sqrt(6 / (fanIn + fanOut)) * (2 * uniform() - 1)"),
  },
  he: { doc: "He normal: N(0, 2 / fan_in)", draw: formula(["gaussian", "fanIn"], "Math.sqrt(2 / fanIn) * gaussian()") },
  // As the letters lab writes it, np.random.randn(l_y, l_x) / np.sqrt(l_x): a division, so rng=numpy gives its numbers bit for bit.
  lecun: { doc: "LeCun normal: N(0, 1 / fan_in)", draw: formula(["gaussian", "fanIn"], "gaussian() / Math.sqrt(fanIn)") },
  zeros: { doc: "all zero", draw: formula([], "0") },
};

// ---------------------------------------------------------------------------------------------------
// Using the table.

/** A number as a TypeScript literal that round-trips exactly (shortest repr; negative values parenthesised). */
export function literal(value: number): string {
  if (typeof value === "boolean") return String(value);
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = Object.is(value, -0) ? "0" : String(value);
  return value < 0 ? `(${text})` : text;
}

/**
 * Substitute variables in formula or statement text: each whole-word occurrence of a key of `bindings`
 * is replaced by its value (an expression, an lvalue like `grad[17]`, or a literal). Word boundaries keep
 * `v` from matching inside `v2` or `Math.sqrt`; member names after a dot are never replaced. A variable
 * bound to the number 1 that only multiplies or divides (`… / K` with K = 1, not before `**`) is dropped
 * with its operator: x · 1 and x / 1 are x exactly in IEEE arithmetic, so the numbers are the formula's;
 * a boolean picks its branch of a parenthesised `(flag ? a : b)`.
 */
export function substitute(text: string, bindings: Record<string, string | number | boolean>): string {
  const names = Object.keys(bindings);
  if (names.length === 0) return text;
  const ones = names.filter((name) => bindings[name] === 1);
  if (ones.length > 0) {
    const unit = new RegExp(` [*/] (${ones.map(escapeRegExp).join("|")})(?=\\s*(?:$|[),;:?]|[-+/]|\\*(?!\\*)))`, "g");
    text = text.replace(unit, "");
  }
  // A flag bound to true or false picks its branch: `(nesterov ? g + beta * v : v)` → `(g + beta * v)`.
  for (const name of names.filter((n) => typeof bindings[n] === "boolean")) {
    const choice = new RegExp(`\\(${escapeRegExp(name)} \\? ([^?:()]+) : ([^?:()]+)\\)`, "g");
    text = text.replace(choice, (_m, yes: string, no: string) => `(${bindings[name] === true ? yes : no})`);
  }
  const pattern = new RegExp(`(?<![.\\w$])(${names.map(escapeRegExp).join("|")})(?![\\w$])`, "g");
  return text.replace(pattern, (name) => {
    const value = bindings[name]!;
    return typeof value === "number" ? literal(value) : String(value);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compile a formula into a function of its variables (in the given order) for the reference interpreter. */
/**
 * True when a formula calls one of nnc's elementary functions (src/elementary.ts). The code generator gives
 * such an activation one call site in a loop of its own: unrolled, each call would be a site of its own, and
 * past V8's inlining budget a call boxes its argument and result (docs/performance.md, 13).
 */
export function callsElementary(f: Formula): boolean {
  return elementaryUsedBy(f.text).length > 0;
}

export function compileFormula<Args extends unknown[]>(f: Formula, parameterOrder: readonly string[]): (...args: Args) => number {
  for (const v of f.variables) {
    if (!parameterOrder.includes(v)) throw new Error(`formula "${f.text}" reads ${v}, which is not among ${parameterOrder.join(", ")}`);
  }
  return new Function(
    "elementary",
    `const { ${ELEMENTARY.map((e) => e.name).join(", ")} } = elementary; return (${parameterOrder.join(", ")}) => (${f.text});`,
  )(ELEMENTARY_FUNCTIONS) as (...args: Args) => number;
}

/** Compile statement text (optimiser prelude/update) into a function over named mutable scalars for the interpreter. */
export function compileStatements(text: string, inputs: readonly string[], outputs: readonly string[]): (...args: number[]) => number[] {
  const lets = inputs.map((name) => `let ${name} = __in[${inputs.indexOf(name)}];`).join(" ");
  return new Function("...__in", `${lets} ${text} return [${outputs.join(", ")}];`) as (...args: number[]) => number[];
}
