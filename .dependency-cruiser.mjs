// The import rules for the compiler's own sources: `npm run deps` (depcruise src grammar) checks them, and
// .ci/run fails on any violation.
//
// Every import counts, type-only imports included: dependency-cruiser reads each .ts file with swc
// (parser: "swc"; its own TypeScript parser needs TypeScript's JS API, which typescript 7, the native tsc
// this project uses, no longer ships). A type cycle cannot change the order modules run in, but it is the
// same tangle for a reader, so the layering is: src/layers/types.ts, src/plan/base.ts, src/plan/types.ts,
// src/front/option-types.ts and src/front/checks/layer-check.ts are type vocabularies that import no stage;
// the rules (src/layers/) use them, the planner (src/plan.ts) and the front end use the rules, and the
// emitters' context (src/emit/code.ts) names a plan through src/plan/types.ts's PlanOf, not the planner.
import { allExtensions, getAvailableTranspilers } from "dependency-cruiser";

// Without these, dependency-cruiser would skip every .ts file (or read it untranspiled) and report no
// violation: fail instead.
const missing = ["swc"].filter((name) => !getAvailableTranspilers().some((t) => t.name === name && t.available));
if (missing.length > 0 || !allExtensions.some((e) => e.extension === ".ts" && e.available)) {
  throw new Error(`.dependency-cruiser.mjs: ${missing.join(" and ") || "a .ts reader"} not available (npm ci installs @swc/core)`);
}

/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "No import cycles in src/ or grammar/ (issue 13), type-only imports included (see the top of .dependency-cruiser.mjs).",
      from: {},
      to: { circular: true },
    },
    {
      name: "src-not-to-test",
      severity: "error",
      comment: "The compiler does not depend on its tests (nor on their fixtures and helpers).",
      from: { path: "^(src|grammar)/" },
      to: { path: "^test/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to no file (a typo, a moved module) would make the other rules blind to it.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: "swc",
    // Follow src/ and grammar/; packages are recorded (for the rules) but not cruised.
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    // NodeNext imports name the emitted file ("./plan.js"): dependency-cruiser maps it to plan.ts itself.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
