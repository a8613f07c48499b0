// The one validator for JSON files nnc reads back (weights files, checkpoints): small combinators that
// check a parsed value against a schema and, on the first problem, throw one UserError
// `PATH: FIELD: what is wrong (expected …)`, e.g. `runs/x/weights.json: layout[1].shape: got null (expected a
// list of whole numbers ≥ 1)`. Written here rather than taken from ajv/zod/valibot: the schemas are a few
// dozen lines, the messages must be in nnc's one-line form with the field's path, and the checks it needs
// beyond types (sizes that depend on other fields, `__proto__` refused everywhere) are plain code either way.
//
// Every object check refuses an own `__proto__` key (JSON.parse makes one; spread or Object.assign of such
// an object would set a prototype), and `strict` objects refuse keys they do not name.
import { UserError } from "../errors.js";

/** A failed check: the field's path inside the file and the problem; `validate` turns it into a UserError. */
export class SchemaError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

export type Check<T> = (value: unknown, field: string) => T;

/** How a wrong value is shown: short (a 60,000-value list is not echoed back). */
export function shown(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  if (typeof value === "object") return Object.keys(value).length === 0 ? "an empty object" : "an object";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

export function fail(field: string, value: unknown, expected: string): never {
  throw new SchemaError(field, `got ${shown(value)} (expected ${expected})`);
}

export const string =
  (nonEmpty = true): Check<string> =>
  (v, f) =>
    typeof v === "string" && (!nonEmpty || v !== "") ? v : fail(f, v, nonEmpty ? "a non-empty string" : "a string");

export const finite: Check<number> = (v, f) => (typeof v === "number" && Number.isFinite(v) ? v : fail(f, v, "a finite number"));

export const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check<number> =>
  (v, f) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max
      ? (v as number)
      : fail(f, v, max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`);

export const literal =
  <T extends string | number | boolean>(...values: T[]): Check<T> =>
  (v, f) =>
    values.includes(v as T) ? (v as T) : fail(f, v, values.map((x) => JSON.stringify(x)).join(" or "));

export const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v, f) =>
    v === null ? null : check(v, f);

/** A JSON number, or a non-finite one as nnc writes it ("NaN", "Infinity", "-Infinity"); returns the number. */
export const numberOrNonFinite: Check<number> = (v, f) => {
  if (typeof v === "number") return v;
  if (v === "NaN" || v === "Infinity" || v === "-Infinity") return Number(v);
  return fail(f, v, `a number (or "NaN", "Infinity", "-Infinity")`);
};

export const array =
  <T>(item: Check<T>, bounds: { min?: number; max?: number; what?: string } = {}): Check<T[]> =>
  (v, f) => {
    const what = bounds.what ?? "a list";
    if (!Array.isArray(v)) return fail(f, v, what);
    if (bounds.max !== undefined && v.length > bounds.max) fail(f, v, `at most ${bounds.max} entries`);
    if (bounds.min !== undefined && v.length < bounds.min) fail(f, v, `at least ${bounds.min} entr${bounds.min === 1 ? "y" : "ies"}`);
    return v.map((x, i) => item(x, `${f}[${i}]`));
  };

type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/**
 * An object with the fields `shape` names (each checked; a missing field is checked as undefined, so
 * `optional` lets it be absent); `strict`: no other keys. Returns a fresh plain object of the fields.
 */
export function object<S extends Shape>(shape: S, options: { strict?: boolean; what?: string } = {}): Check<Out<S> & Record<string, unknown>> {
  return (v, f) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return fail(f, v, options.what ?? "an object");
    const keys = Object.keys(v);
    if (Object.prototype.hasOwnProperty.call(v, "__proto__")) throw new SchemaError(join(f, "__proto__"), 'a "__proto__" key is not allowed');
    if (options.strict === true) {
      const extra = keys.find((k) => !(k in shape));
      if (extra !== undefined) throw new SchemaError(join(f, extra), `unknown key (expected only ${Object.keys(shape).join(", ")})`);
    }
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of keys) out[k] = (v as Record<string, unknown>)[k];
    for (const [k, check] of Object.entries(shape)) {
      const value = check((v as Record<string, unknown>)[k], join(f, k));
      if (value !== undefined) out[k] = value;
    }
    return { ...out } as Out<S> & Record<string, unknown>;
  };
}

export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, f) =>
    v === undefined ? undefined : check(v, f);

function join(field: string, key: string): string {
  return field === "" ? key : `${field}.${key}`;
}

/** Checks `value` (a parsed file) with `check`; a problem is one UserError `PATH: FIELD: what is wrong (expected …)`. */
export function validate<T>(check: Check<T>, value: unknown, path: string): T {
  try {
    return check(value, "");
  } catch (error) {
    if (error instanceof SchemaError) throw new UserError(`${path}: ${error.field === "" ? "the file" : error.field}: ${error.problem}`);
    throw error;
  }
}
