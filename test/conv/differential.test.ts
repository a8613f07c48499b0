// Random conv nets 1–100 against the interpreter, each in every code shape (the policy's, per-sample with
// windows looped and unrolled, blocked TS, blocked kernels); 101–200 in differential-more.test.ts.
import { randomConvSuite } from "./random-range.js";

randomConvSuite(1, 100, { everyShape: () => true });
