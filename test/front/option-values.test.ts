// The value checks of the option types that layers with windows use (src/front/checks/options.ts): "pair"
// (kernel, stride: a whole number or AxB) and "padding" (also `same`), and dims given to the other types.
// A test-only layer word with such options is put in the option table, so this tests the checks alone,
// whatever the conv and pool rules declare.
import { describe, expect, it } from "vitest";
import { kindOptions } from "../../src/front/schema.js";
import { optionChecks } from "../../src/front/checks/options.js";
import { commonChecks } from "../../src/front/checks/common.js";
import type { CheckContext } from "../../src/front/checks/types.js";
import { parseSyntax } from "../../src/front/syntax.js";
import type { OptionTable } from "../../src/front/option-types.js";

const windowOptions: OptionTable = {
  kernel: { type: "pair", min: 1, default: null, doc: "window" },
  stride: { type: "pair", default: 1, doc: "step (no range given: pairs are ≥ 1)" },
  padding: { type: "padding", min: 0, default: 0, doc: "zeros on each side" },
  gain: { type: "number", default: 1, doc: "a plain number option" },
  taps: { type: "integer", min: 1, default: 1, doc: "a plain whole-number option" },
};
(kindOptions.layer as Record<string, OptionTable>)["testwindow"] = windowOptions;

/** [code, line:column, message] of what the named checks report on `settings` after `layer testwindow 4`. */
function reports(settings: string, codes = ["NN011", "NN012"]): [string, string, string][] {
  const source = `layer testwindow 4 ${settings}`;
  const { statements, diagnostics } = parseSyntax(source, "t.nn");
  expect(diagnostics).toEqual([]);
  const out: [string, string, string][] = [];
  const ctx = { source, fileName: "t.nn", statements } as unknown as CheckContext;
  for (const check of [...optionChecks, ...commonChecks]) {
    if (!codes.includes(check.code)) continue;
    check.run(ctx, (range, message) => void out.push([check.code, `${range.startLine}:${range.startColumn}`, message]));
  }
  return out;
}

/** The hints NN011 gives. */
function hints(settings: string): (string | undefined)[] {
  const source = `layer testwindow 4 ${settings}`;
  const out: (string | undefined)[] = [];
  const ctx = { source, fileName: "t.nn", statements: parseSyntax(source, "t.nn").statements } as unknown as CheckContext;
  optionChecks.find((c) => c.code === "NN011")!.run(ctx, (_range, _message, hint) => void out.push(hint));
  return out;
}

describe("pair options (kernel, stride)", () => {
  it("take a whole number or two joined by x", () => {
    expect(reports("kernel=5 stride=1x2 kernel=3x5")).toEqual([]);
  });

  it("refuse another form (NN011), naming what was got", () => {
    expect(reports("kernel=1x2x3")).toEqual([["NN011", "1:27", "`kernel` needs a whole number or two joined by `x`, got `1x2x3` (3 parts)"]]);
    expect(reports("kernel=2.5")).toEqual([["NN011", "1:27", "`kernel` needs a whole number or two joined by `x`, got `2.5`"]]);
    expect(reports("stride=same")).toEqual([["NN011", "1:27", "`stride` needs a whole number or two joined by `x`, got `same`"]]);
    expect(reports('kernel="3x3"')).toEqual([["NN011", "1:27", '`kernel` needs a whole number or two joined by `x`, got `"3x3"`']]);
    // (A bare `kernel` is no setting in a layer: the grammar reads a bare name there as an activation.)
  });

  it("refuse a number below 1 (NN012), the option's range or else ≥ 1", () => {
    expect(reports("kernel=0")).toEqual([["NN012", "1:27", "`kernel` must be ≥ 1, got 0"]]);
    expect(reports("stride=-2")).toEqual([["NN012", "1:27", "`stride` must be ≥ 1, got -2"]]);
    expect(reports("kernel=3x0")).toEqual([["NN012", "1:27", "each number of `kernel` must be ≥ 1, got 3x0"]]);
    expect(reports("stride=0x1")).toEqual([["NN012", "1:27", "each number of `stride` must be ≥ 1, got 0x1"]]);
  });
});

describe("padding options", () => {
  it("take a whole number ≥ 0, two joined by x, or same", () => {
    expect(reports("padding=0")).toEqual([]);
    expect(reports("padding=1x2")).toEqual([]);
    expect(reports("padding=0x0")).toEqual([]);
    expect(reports("padding=same")).toEqual([]);
  });

  it("refuse another word, form or a negative number", () => {
    const [valid] = reports("padding=valid");
    expect(hints("padding=sme")).toEqual(["did you mean `same`?"]);
    expect(valid!.slice(0, 3)).toEqual(["NN011", "1:28", "`padding` needs a whole number, two joined by `x` or `same`, got `valid`"]);
    expect(reports("padding=1x2x3")).toEqual([["NN011", "1:28", "`padding` needs a whole number, two joined by `x` or `same`, got `1x2x3` (3 parts)"]]);
    expect(reports("padding=0.5")).toEqual([["NN011", "1:28", "`padding` needs a whole number, two joined by `x` or `same`, got `0.5`"]]);
    expect(reports("padding=-1")).toEqual([["NN012", "1:28", "`padding` must be ≥ 0, got -1"]]);
  });
});

describe("dims given to the other option types", () => {
  it("are a type error that says what was expected (NN011)", () => {
    expect(reports("gain=3x5")).toEqual([["NN011", "1:25", "`gain` needs a number, got `3x5`"]]);
    expect(reports("taps=3x5")).toEqual([["NN011", "1:25", "`taps` needs a whole number, got `3x5`"]]);
  });
});

describe("numbers too large in dims (NN005)", () => {
  it("names the part that overflows, once per dims", () => {
    const huge = "9".repeat(400);
    const [hit, ...rest] = reports(`kernel=3x${huge}x${huge}`, ["NN005"]);
    expect(rest).toEqual([]);
    expect(hit![0]).toBe("NN005");
    expect(hit![1]).toBe("1:27");
    expect(hit![2]).toMatch(/^the number 9{30}… in `3x9{38}…` is too large$/);
  });
});
