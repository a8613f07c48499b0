// Argument checks of a generated module's exported functions (issue 21): every exported function checks
// its arguments once, at its entry, and throws a TypeError (wrong kind) or a RangeError (wrong size or
// value) naming the function, the argument and what was expected. Without them a short array is read past
// its end (NaN, finite garbage, or in a wasm module the previous call's kernel memory), a count of 2.5 or 0
// divides into NaN, and `epochs: Infinity` never returns.
//
// The module gets one small helper per check kind (emitCheckHelpers) and each exported function a few
// calls to them (withArgumentChecks), so the checks read as one line per argument and cost a handful of
// comparisons per call — never anything inside a loop (scripts/perf-checks.ts measures it).
import type { FunctionDeclarationStructure, StatementStructures } from "ts-morph";
import { OPTIMIZERS } from "../maths.js";
import { tsMorph } from "./ts-morph.js";
import { functionStructure, type EmitContext } from "./code.js";
import { hasPreprocessing, vectorLength } from "./preprocess.js";

/** The largest seed: seeds are 32-bit (createRng takes seed >>> 0), so anything else would alias another. */
const MAX_SEED = 4294967295;
/** The spec's own bound on epochs (src/front/schema.ts), so options.epochs cannot run for ever. */
const MAX_EPOCHS = 1e9;
/** Counts, offsets and epochs are array indices: beyond 2^53 integers are not exact. */
const MAX_INDEX = Number.MAX_SAFE_INTEGER;

/** The helpers every module gets (each is used by at least one exported function of every module). */
export function emitCheckHelpers(ctx: EmitContext): StatementStructures[] {
  const slots = OPTIMIZERS[ctx.spec.training.optimizer.kind].slots;
  const p = ctx.plan.parameters;
  // Only a spec with `stop early` has options.earlyStopping (src/emit/types.ts).
  const early = ctx.spec.training.stop.some((s) => s.kind === "early");
  return [
    functionStructure({
      name: "describe",
      doc: "What a wrong argument is, for the checks' messages: `null`, `an array`, `a Float32Array`, `a string` ….",
      parameters: [["value", "unknown"]],
      returns: "string",
      body: [
        'if (value === null) return "null";',
        'if (Array.isArray(value)) return "an array";',
        'if (typeof value === "function") return "a function";',
        'if (typeof value === "object") return `a ${(value as { constructor?: { name?: string } }).constructor?.name ?? "object"}`;',
        'return typeof value === "string" ? `the string ${JSON.stringify(value)}` : String(value);',
      ],
    }),
    functionStructure({
      name: "checkLength",
      doc: `Throws unless \`array\` is a Float64Array or Float32Array (TypeError) of at least \`expected\` values (RangeError): a shorter one would be read past its end.`,
      parameters: [
        ["fn", "string"],
        ["name", "string"],
        ["array", "unknown"],
        ["expected", "number"],
        ["what", "string"],
      ],
      returns: "void",
      body: [
        // A typed array of another realm (an iframe, a vm context) fails instanceof; its tag still names its class.
        'const tag = array instanceof Float64Array || array instanceof Float32Array ? "" : Object.prototype.toString.call(array);',
        'if (tag !== "" && tag !== "[object Float64Array]" && tag !== "[object Float32Array]")',
        `throw new TypeError(\`\${fn}: \${name} is \${describe(array)}, expected a ${ctx.array} of \${expected} value(s) (\${what})\`);`,
        "const length = (array as ArrayLike<number>).length;",
        "if (length < expected) throw new RangeError(`${fn}: ${name} has ${length} value(s), expected ${expected} (${what})`);",
      ],
    }),
    functionStructure({
      name: "checkInteger",
      doc: "Throws unless `value` is an integer from `min` to `max`: a number of another kind (TypeError), a fraction, NaN, ±Infinity or one out of range (RangeError).",
      parameters: [
        ["fn", "string"],
        ["name", "string"],
        ["value", "unknown"],
        ["min", "number"],
        ["max", "number"],
      ],
      returns: "void",
      body: [
        // The messages are built only when throwing: a template built on every call made W1's
        // lossAndGradient + step 2.1× slower (383 vs 180 ns a step, process CPU time, 2026-12-02).
        'if (typeof value !== "number") throw new TypeError(`${fn}: ${name} is ${describe(value)}, expected an integer from ${min} to ${max}`);',
        "if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${fn}: ${name} is ${value}, expected an integer from ${min} to ${max}`);",
      ],
    }),
    functionStructure({
      name: "checkFinite",
      doc: "Throws unless `value` is a finite number ≥ `min`.",
      parameters: [
        ["fn", "string"],
        ["name", "string"],
        ["value", "unknown"],
        ["min", "number"],
      ],
      returns: "void",
      body: [
        'if (typeof value !== "number") throw new TypeError(`${fn}: ${name} is ${describe(value)}, expected a finite number ≥ ${min}`);',
        "if (!Number.isFinite(value) || value < min) throw new RangeError(`${fn}: ${name} is ${value}, expected a finite number ≥ ${min}`);",
      ],
    }),
    functionStructure({
      name: "checkObject",
      doc: "Throws a TypeError unless `value` is an object (options, optimiser state, test set).",
      parameters: [
        ["fn", "string"],
        ["name", "string"],
        ["value", "unknown"],
      ],
      returns: "void",
      body: ['if (typeof value !== "object" || value === null) throw new TypeError(`${fn}: ${name} is ${describe(value)}, expected an object`);'],
    }),
    functionStructure({
      name: "checkOptimizer",
      doc:
        slots.length === 0
          ? "Throws unless `state` is optimiser state: { t: steps so far, slots: {} } (this optimiser keeps no slots)."
          : `Throws unless \`state\` is this module's optimiser state: { t: steps so far, slots: { ${slots.join(", ")} } } with ${p} values per slot.`,
      parameters: [
        ["fn", "string"],
        ["name", "string"],
        ["state", "unknown"],
      ],
      returns: "void",
      body: [
        "checkObject(fn, name, state);",
        "const { t, slots } = state as { t?: unknown; slots?: unknown };",
        // Each full check (and the field's name it builds) runs only when a quick test fails, so a good state
        // costs no string per call; the full check then throws, or accepts what the quick test is too narrow
        // for (a typed array of another realm).
        `if (typeof t !== "number" || !Number.isInteger(t) || t < 0 || t > ${MAX_INDEX}) checkInteger(fn, \`\${name}.t\`, t, 0, ${MAX_INDEX});`,
        `if (typeof slots !== "object" || slots === null) checkObject(fn, \`\${name}.slots\`, slots);`,
        ...slots.flatMap((s, i) => [
          `const slot${i} = (slots as Record<string, unknown>)["${s}"];`,
          `if (!(slot${i} instanceof ${ctx.array}) || slot${i}.length < ${p}) checkLength(fn, \`\${name}.slots.${s}\`, slot${i}, ${p}, "one per trainable parameter");`,
        ]),
      ],
    }),
    functionStructure({
      name: "checkEndpoint",
      doc: "Throws a TypeError unless `value` can carry messages: postMessage, and on/off (Node) or addEventListener/removeEventListener (the DOM).",
      parameters: [
        ["fn", "string"],
        ["name", "string"],
        ["value", "unknown"],
      ],
      returns: "void",
      body: [
        'const port = value as Partial<Record<"postMessage" | "on" | "off" | "addEventListener" | "removeEventListener", unknown>> | null;',
        'const has = (key: "postMessage" | "on" | "off" | "addEventListener" | "removeEventListener"): boolean => port !== null && typeof port[key] === "function";',
        'if ((typeof value !== "object" && typeof value !== "function") || value === null || !has("postMessage") || !((has("on") && has("off")) || (has("addEventListener") && has("removeEventListener"))))',
        "throw new TypeError(`${fn}: ${name} is ${describe(value)}, expected a worker or port: postMessage, and on/off or addEventListener/removeEventListener`);",
      ],
    }),
    functionStructure({
      name: "checkTrainOptions",
      doc: "Throws unless train's (or trainAsync's) options are in range: whole epochs up to the spec's bound (10^9; Infinity never returns), a test set of its stated size, state of this optimiser.",
      parameters: [
        ["fn", "string"],
        ["options", "TrainOptions & { yieldEveryMs?: number }"],
      ],
      returns: "void",
      body: [
        'checkObject(fn, "options", options);',
        `if (options.epochs !== undefined) checkInteger(fn, "options.epochs", options.epochs, 0, ${MAX_EPOCHS});`,
        `if (options.startEpoch !== undefined) checkInteger(fn, "options.startEpoch", options.startEpoch, 0, ${MAX_EPOCHS});`,
        `if (options.evaluateEvery !== undefined) checkInteger(fn, "options.evaluateEvery", options.evaluateEvery, 1, ${MAX_EPOCHS});`,
        'if (options.optimizer !== undefined) checkOptimizer(fn, "options.optimizer", options.optimizer);',
        "const test = options.test;",
        "if (test !== undefined) {",
        'checkObject(fn, "options.test", test);',
        `checkInteger(fn, "options.test.count", test.count, 1, ${MAX_INDEX});`,
        `checkLength(fn, "options.test.xs", test.xs, ${rows(ctx.plan.inputs).replace("count", "test.count")}, "options.test.count × ${ctx.plan.inputs} network inputs");`,
        `checkLength(fn, "options.test.ys", test.ys, ${rows(ctx.plan.outputs).replace("count", "test.count")}, "options.test.count × ${ctx.plan.outputs} targets");`,
        "}",
        ...(early
          ? [
              "if (options.earlyStopping !== undefined) {",
              'checkObject(fn, "options.earlyStopping", options.earlyStopping);',
              `checkLength(fn, "options.earlyStopping.best", options.earlyStopping.best, ${p}, "the trainable parameters");`,
              "}",
            ]
          : []),
        'if (options.yieldEveryMs !== undefined) checkFinite(fn, "options.yieldEveryMs", options.yieldEveryMs, 0);',
        ...["onEpoch", "onBatch", "shouldStop"].map(
          (key) =>
            `if (options.${key} !== undefined && typeof options.${key} !== "function") throw new TypeError(\`\${fn}: options.${key} is \${describe(options.${key})}, expected a function\`);`,
        ),
      ],
    }),
  ];
}

/** count × n, as the checks' expected size. */
function rows(n: number): string {
  return n === 1 ? "count" : `count * ${n}`;
}

/** The check lines of each exported function (by name), at its entry. */
function checksOf(ctx: EmitContext, name: string): string[] | null {
  const { plan } = ctx;
  const I = plan.inputs;
  const O = plan.outputs;
  const P = plan.parameters;
  const V = vectorLength(ctx);
  const pre = hasPreprocessing(ctx);
  const q = (s: string): string => JSON.stringify(s);
  const fnName = q(name);
  const vector = (arg: string, expected: number | string, what: string): string => `checkLength(${fnName}, ${q(arg)}, ${arg}, ${expected}, ${q(what)});`;
  const allParams = vector("params", V, pre ? "the parameters, then the normalisation statistics" : "the parameters");
  const trainable = vector("params", P, "the trainable parameters");
  const count = (min: number): string => `checkInteger(${fnName}, "count", count, ${min}, ${MAX_INDEX});`;
  const xs = (what: string): string => vector("xs", rows(I), `count × ${I} ${what}`);
  const ys = vector("ys", rows(O), `count × ${O} targets`);
  const seed = (arg: string, expr: string): string => `checkInteger(${fnName}, ${q(arg)}, ${expr}, 0, ${MAX_SEED});`;
  switch (name) {
    case "createParameters":
      return [`if (seed !== undefined) ${seed("seed", "seed")}`];
    case "preprocess":
      return [allParams, count(0), xs("raw inputs"), `if (out !== undefined) ${vector("out", rows(I), `count × ${I} network inputs`)}`];
    case "fitPreprocessing":
      return [allParams, count(1), xs("raw inputs")];
    case "evaluate":
      return pre ? [allParams, count(1), xs("raw inputs"), ys] : [trainable, count(1), xs("inputs"), ys];
    case "evaluateInputs":
      return [trainable, count(1), xs("network inputs"), ys];
    case "predict":
      return [allParams, vector("x", I, "the spec's inputs"), `if (out !== undefined) ${vector("out", O, "the spec's outputs")}`];
    case "predictBatch":
      return [allParams, count(0), xs(pre ? "raw inputs" : "inputs"), `if (out !== undefined) ${vector("out", rows(O), `count × ${O} outputs`)}`];
    case "predictBatchInputs":
      return [trainable, count(0), xs("network inputs"), `if (out !== undefined) ${vector("out", rows(O), `count × ${O} outputs`)}`];
    case "classify":
      return [allParams, vector("x", I, "the spec's inputs")];
    case "createPredictor":
      return [allParams];
    case "lossAndGradient":
      return [
        trainable,
        count(1),
        xs(pre ? "network inputs" : "inputs"),
        ys,
        vector("grad", P, "one per trainable parameter"),
        "if (options !== undefined) {",
        `checkObject(${fnName}, "options", options);`,
        `if (options.dropoutSeed !== undefined) ${seed("options.dropoutSeed", "options.dropoutSeed")}`,
        `if (options.inputGradient !== undefined) ${vector("options.inputGradient", rows(I), `count × ${I} inputs`)}`,
        "}",
      ];
    case "learningRate":
      return [`checkInteger(${fnName}, "epoch", epoch, 0, ${MAX_EPOCHS});`];
    case "step":
      return [
        trainable,
        vector("grad", P, "one per trainable parameter"),
        `checkOptimizer(${fnName}, "state", state);`,
        `checkInteger(${fnName}, "epoch", epoch, 0, ${MAX_EPOCHS});`,
      ];
    case "train":
    case "trainAsync":
      return [trainable, count(1), xs(pre ? "network inputs" : "inputs"), ys, `checkTrainOptions(${fnName}, options);`];
    case "trainParallel":
    case "createParallelGradient": {
      const workers = [
        `if (!Array.isArray(workers)) throw new TypeError(\`${name}: workers is \${describe(workers)}, expected an array of workers\`);`,
        "workers.forEach((worker, i) => {",
        `checkEndpoint(${fnName}, \`workers[\${i}]\`, worker);`,
        "const again = workers.indexOf(worker);",
        "// One worker twice would be counted twice at every barrier, and wait for ever.",
        `if (again !== i) throw new RangeError(\`${name}: workers[\${i}] is workers[\${again}] again, expected distinct workers\`);`,
        "});",
      ];
      if (name === "createParallelGradient") return [count(1), xs(pre ? "network inputs" : "inputs"), ys, ...workers];
      return [trainable, count(1), xs(pre ? "network inputs" : "inputs"), ys, ...workers, `checkTrainOptions(${fnName}, options);`];
    }
    case "serveTrainingWorker":
      return [`checkEndpoint(${fnName}, "port", port);`];
    case "saveWeights":
      return [allParams];
    default:
      return null;
  }
}

/**
 * The functions train() calls per batch or per evaluation. Checked on every call, they would be checked
 * per batch (W1's 4-sample, batch-1 train ran 1.5× slower), so each is split: the exported function checks,
 * then calls `<name>Unchecked` (the original body), and train(), trainAsync() and these bodies call the
 * unchecked ones — train's own checks at its entry cover them.
 */
const CALLED_BY_TRAIN = ["lossAndGradient", "step", "learningRate", "evaluateInputs", "evaluate"];
const uncheckedCall = new RegExp(`(?<![\\w.$])(${CALLED_BY_TRAIN.join("|")})\\(`, "g");

/** Every exported function with its checks first (loadWeights checks on its own; createOptimizer takes nothing). */
export function withArgumentChecks(ctx: EmitContext, statements: (string | StatementStructures)[]): (string | StatementStructures)[] {
  const exported = new Set(statements.filter((s) => typeof s !== "string" && isExportedFunction(s)).map((s) => (s as FunctionDeclarationStructure).name!));
  // Only the functions train() really calls this way (a raw-input module's evaluate wraps evaluateInputs; train calls the latter).
  const trainText = statements
    .filter((s): s is FunctionDeclarationStructure => typeof s !== "string" && isExportedFunction(s) && s.name === "train")
    .map((s) => (Array.isArray(s.statements) ? s.statements.join("\n") : ""))
    .join("\n");
  const split = new Set(CALLED_BY_TRAIN.filter((name) => exported.has(name) && new RegExp(`(?<![\\w.$])${name}\\(`).test(trainText)));
  const rename = (lines: FunctionDeclarationStructure["statements"]): FunctionDeclarationStructure["statements"] =>
    Array.isArray(lines)
      ? lines.map((line) => (typeof line === "string" ? line.replace(uncheckedCall, (m, name: string) => (split.has(name) ? `${name}Unchecked(` : m)) : line))
      : lines;
  return statements.flatMap((s): (string | StatementStructures)[] => {
    if (typeof s === "string" || !isExportedFunction(s) || !Array.isArray(s.statements)) return [s];
    const name = s.name!;
    if (name === "train" || name === "trainAsync" || name === "trainParallel")
      return [{ ...s, statements: [...(checksOf(ctx, name) ?? []), ...(rename(s.statements) as string[])] }];
    const checks = checksOf(ctx, name);
    if (checks === null) return [s];
    if (!split.has(name)) return [{ ...s, statements: [...checks, ...s.statements] }];
    const args = (s.parameters ?? []).map((p) => p.name.replace(/\?$/, "")).join(", ");
    const unchecked: FunctionDeclarationStructure = {
      ...s,
      name: `${name}Unchecked`,
      isExported: false,
      docs: [{ description: `${name} without its argument checks: what train() calls per batch (its own checks ran once, at its entry).` }],
      statements: rename(s.statements),
    };
    return [unchecked, { ...s, statements: [...checks, `return ${name}Unchecked(${args});`] }];
  });
}

function isExportedFunction(s: StatementStructures): s is FunctionDeclarationStructure {
  return "name" in s && s.isExported === true && s.kind === tsMorph().StructureKind.Function;
}
