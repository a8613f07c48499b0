// nnc check's bounds (issue 21): a batch past the data limit or hours of finite differences are refused
// before anything is built, with the estimate; every committed spec's default check is inside them.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECK_WORK_LIMIT, checkCheckBounds } from "../../src/check/options.js";
import { loadSpec } from "../../src/front/index.js";
import { parameterLayout } from "../../src/interpreter/parameters.js";
import { UserError } from "../../src/errors.js";
import { nnc } from "../support/cli.js";

const specs = readdirSync("specs").filter((f) => f.endsWith(".nn"));

describe("nnc check's bounds", () => {
  it("every spec in specs/ checks with the default options and with 64 samples", () => {
    for (const file of specs) {
      const spec = loadSpec(`specs/${file}`);
      expect(() => checkCheckBounds(spec, {})).not.toThrow();
      // The conv specs are the largest per sample; 64 samples still fit (the CI check uses 4).
      if (!file.startsWith("fashion")) expect(() => checkCheckBounds(spec, { samples: 64 })).not.toThrow();
    }
  });

  it("refuses exactly when the work estimate passes the limit", () => {
    const spec = loadSpec("specs/letters.nn");
    const layout = parameterLayout(spec);
    const parameters = layout.reduce((n, t) => n + t.size, 0);
    const cap = 10;
    const entries = layout.reduce((n, t) => n + Math.min(t.size, cap), 0);
    const largest = Math.floor(CHECK_WORK_LIMIT / (entries * 2 * (parameters + 200)));
    expect(() => checkCheckBounds(spec, { cap, samples: largest })).not.toThrow();
    expect(() => checkCheckBounds(spec, { cap, samples: largest + 1 })).toThrow(UserError);
    expect(() => checkCheckBounds(spec, { cap, samples: largest + 1 })).toThrow(/multiply-adds, more than nnc check's limit.*lower --samples or --cap/);
  });

  it("the CLI refuses --samples 10^8 and 2·10^6 on letters at once, naming the size", () => {
    const huge = nnc("check", "specs/letters.nn", "--samples", "100000000");
    expect([huge.status, huge.stderr]).toEqual([
      1,
      expect.stringMatching(/^nnc: --samples 100000000: a batch of 100,000,000 samples of 315 numbers is 235 GiB, more than nnc's limit of 1 GiB/),
    ]);
    const large = nnc("check", "specs/gender.nn", "specs/letters.nn", "--samples", "2000000");
    // Refused before the first spec is checked: nothing on stdout.
    expect([large.status, large.stdout]).toEqual([1, ""]);
    expect(large.stderr).toMatch(/4\.69 GiB/);
  });
});
