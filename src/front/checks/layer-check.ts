// How a check reports, and one layer kind's check (src/layers/<kind>/checks.ts, listed as its rule's
// syntax.checks): apart from the checks' context (src/front/checks/types.ts, which needs the lowered spec)
// so the layer rules can declare checks without importing the front end that lowers them.
import type { Layer, SourceRange } from "../../ir.js";
import type { LayerNode } from "../../layers/types.js";
import type { StatementNode } from "../statements.js";

export type Report = (range: SourceRange, message: string, hint?: string) => void;

/** One layer as a layer kind's check sees it. */
export interface LayerSite<L extends LayerNode = Layer> {
  layer: L;
  /** The `layer` statement it was lowered from (exact token ranges). */
  statement: StatementNode;
  /** 0-based position among all layers, and their count. */
  index: number;
  count: number;
}

/** One layer kind's part of a code, run on each layer of that kind in order. */
export interface LayerCheck<L extends LayerNode = Layer> {
  code: string;
  run(site: LayerSite<L>, report: Report): void;
}
