// Types for `import planar from "./planar.nn"` through nnc's bundler plugins (nnc/vite, nnc/esbuild).
// Add it to a TypeScript project once, as Vite's own client types are added:
//   tsconfig.json: "compilerOptions": { "types": ["vite/client", "nnc/client"] }
//   or, in a .d.ts of the project: /// <reference types="nnc/client" />
// Every .nn module then has the shape of any generated module (GeneratedModule: Float64Array | Float32Array
// vectors, the sizes not in the types); `nnc build --js` writes the exact declarations of one spec instead.
declare module "*.nn" {
  import type { Classification, GeneratedModule, TrainOptions, TrainingReport, Vector } from "nnc/module";
  /** train() for a page's main thread (docs/web.md): the same training, pausing for the host between batches. */
  type TrainAsync = (
    params: Vector,
    xs: Vector,
    ys: Vector,
    count: number,
    options?: TrainOptions & { signal?: { readonly aborted: boolean }; yieldEveryMs?: number },
  ) => Promise<TrainingReport>;
  const module: GeneratedModule & { trainAsync: TrainAsync };
  export default module;
  export const meta: GeneratedModule["meta"];
  export const createParameters: GeneratedModule["createParameters"];
  export const fitPreprocessing: GeneratedModule["fitPreprocessing"];
  export const preprocess: GeneratedModule["preprocess"];
  export const predict: GeneratedModule["predict"];
  /** Classifiers only (softmax outputs, or one sigmoid output); undefined in a regression's module. */
  export const classify: (params: Vector, x: Vector) => Classification;
  export const createPredictor: NonNullable<GeneratedModule["createPredictor"]>;
  export const lossAndGradient: GeneratedModule["lossAndGradient"];
  export const evaluate: GeneratedModule["evaluate"];
  export const createOptimizer: GeneratedModule["createOptimizer"];
  export const learningRate: GeneratedModule["learningRate"];
  export const step: GeneratedModule["step"];
  export const train: GeneratedModule["train"];
  export const trainAsync: TrainAsync;
  export const saveWeights: GeneratedModule["saveWeights"];
  export const loadWeights: GeneratedModule["loadWeights"];
}
