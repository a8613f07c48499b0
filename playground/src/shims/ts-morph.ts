// The page's src/emit/ts-morph.ts (scripts/build-playground.mjs aliases it): the Node version loads ts-morph
// lazily through node:module's createRequire, which a page has not; here it is simply bundled.
import * as TsMorph from "ts-morph";

export function tsMorph(): typeof TsMorph {
  return TsMorph;
}
