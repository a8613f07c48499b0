// ts-morph, loaded on first use. It pulls in the whole TypeScript compiler (~0.75 s of CPU to load), and the
// CLI bundles every command into one file: a static import would slow down every nnc command, not just build.
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

let loaded: typeof TsMorph | undefined;

export function tsMorph(): typeof TsMorph {
  loaded ??= createRequire(import.meta.url)("ts-morph") as typeof TsMorph;
  return loaded;
}
