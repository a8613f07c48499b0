// `npm run golden:update`: regenerates test/golden/<case>/expected.ts from each case's input.nn or spec.json.
import { writeFileAtomic } from "../src/atomic-write.js";
import { goldenCases, renderGolden, GOLDEN_DIR } from "./golden.js";

for (const name of goldenCases()) {
  writeFileAtomic(`${GOLDEN_DIR}/${name}/expected.ts`, await renderGolden(name));
  process.stdout.write(`updated ${GOLDEN_DIR}/${name}/expected.ts\n`);
}
