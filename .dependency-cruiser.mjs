// The import rules for the compiler's own sources: `npm run deps` (depcruise src grammar) checks them, and
// .ci/run fails on any violation.
//
// What is checked is the graph that runs. Each .ts file goes through Babel's TypeScript preset
// (.dependency-cruiser.babel.json5), which removes `import type` and the imports only types use, as tsc
// and esbuild do; dependency-cruiser then reads the imports that are left. Its own TypeScript parser needs
// TypeScript's JS API, which typescript 7 (the native tsc this project uses) no longer ships; it reads .ts
// files at all only when a TypeScript parser is installed, which is all @swc/core is here for.
//
// Why type-only imports are not counted as cycles: they are erased from the JavaScript, so they cannot
// change the order modules are evaluated in or leave a binding undefined at import time, which is what
// a value cycle does (src/emit/batched.ts <-> src/emit/wasm/emit.ts was one). The layer table makes a type
// cycle by design: a rule's emit hooks take an EmitContext (src/emit/code.ts), whose Plan (src/plan.ts)
// holds every rule's planned layer (src/layers/). Counting type imports too (parser: "swc" instead of
// babelConfig), the tree of b237b75 has 23 cycles among 17 modules, all through that one edge:
// src/emit/code.ts's `import type { Plan, CodeShape } from "../plan.js"`; counting what runs, none.
import { allExtensions, getAvailableTranspilers } from "dependency-cruiser";

// Without these, dependency-cruiser would skip every .ts file (or read it untranspiled) and report no
// violation: fail instead.
const missing = ["babel", "swc"].filter((name) => !getAvailableTranspilers().some((t) => t.name === name && t.available));
if (missing.length > 0 || !allExtensions.some((e) => e.extension === ".ts" && e.available)) {
  throw new Error(`.dependency-cruiser.mjs: ${missing.join(" and ") || "a .ts reader"} not available (npm ci installs @babel/core and @swc/core)`);
}

/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "No import cycles in src/ or grammar/ (issue 13): every module's imports are evaluated before it. " +
        "Type-only imports are erased, so not counted (see the top of .dependency-cruiser.mjs).",
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
    babelConfig: { fileName: ".dependency-cruiser.babel.json5" },
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
