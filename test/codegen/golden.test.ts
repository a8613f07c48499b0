// Golden files: the whole generated text of small specs, pinned. After an intended change to the generator,
// run `npm run golden:update` and review the diff of test/golden/*/expected.ts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { goldenCases, renderGolden, GOLDEN_DIR } from "../../scripts/golden.js";

describe("golden modules (refresh with `npm run golden:update`)", () => {
  const cases = goldenCases();
  it("has cases", () => expect(cases.length).toBeGreaterThanOrEqual(2));
  for (const name of cases) {
    it(name, async () => {
      const expected = readFileSync(`${GOLDEN_DIR}/${name}/expected.ts`, "utf8");
      expect(await renderGolden(name)).toBe(expected);
    });
  }
});
