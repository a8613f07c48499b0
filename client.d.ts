// Types for `import planar from "./planar.nn"` through nnc's bundler plugins (nnc/vite, nnc/esbuild).
// Add it to a TypeScript project once, as Vite's own client types are added:
//   tsconfig.json: "compilerOptions": { "types": ["vite/client", "nnc/client"] }
//   or, in a .d.ts of the project: /// <reference types="nnc/client" />
// Every .nn module then has the shape of any generated module (GeneratedModule: Float64Array | Float32Array
// vectors, the sizes not in the types); `nnc build --js` writes the exact declarations of one spec instead.
declare module "*.nn" {
  import type { GeneratedModule } from "nnc/module";
  const module: GeneratedModule;
  export default module;
  export const meta: GeneratedModule["meta"];
  export const createParameters: GeneratedModule["createParameters"];
  export const predict: GeneratedModule["predict"];
  export const createPredictor: NonNullable<GeneratedModule["createPredictor"]>;
  export const lossAndGradient: GeneratedModule["lossAndGradient"];
  export const evaluate: GeneratedModule["evaluate"];
  export const createOptimizer: GeneratedModule["createOptimizer"];
  export const learningRate: GeneratedModule["learningRate"];
  export const step: GeneratedModule["step"];
  export const train: GeneratedModule["train"];
  export const saveWeights: GeneratedModule["saveWeights"];
  export const loadWeights: GeneratedModule["loadWeights"];
}
