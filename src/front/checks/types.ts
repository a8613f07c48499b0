// What a check reads and how it reports. A stable code (NN004–NN043: severity and title, listed in
// validate.ts) is made of parts, each in the group that holds what it checks: a Check walks what it needs
// in the statements and the lowered Spec; a LayerCheck is one layer kind's rule, called by the driver
// once per layer of that kind (src/layers/<kind>/checks.ts).
import type { Severity } from "../../ir.js";
import type { Lowered } from "../lower.js";
import type { StatementNode } from "../statements.js";

export interface CheckContext {
  source: string;
  fileName: string;
  statements: StatementNode[];
  lowered: Lowered;
  /** Variable overrides passed to parseSpec (nnc sweep). */
  overrides: Record<string, number>;
}

export type { Report } from "./layer-check.js";
import type { Report } from "./layer-check.js";

/** A diagnostic code: its severity and the one-line title docs/language.md lists. */
export interface CheckCode {
  code: string;
  severity: Severity;
  title: string;
}

/** One group's part of a code: reads the statements (for exact token ranges) and the lowered Spec (for meaning). */
export interface Check {
  code: string;
  run(ctx: CheckContext, report: Report): void;
}

export type { LayerCheck, LayerSite } from "./layer-check.js";
