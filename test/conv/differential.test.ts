// Random conv nets 1–100 against the interpreter (the rest in differential-more.test.ts); every fourth also
// in every code shape (both window shapes, blocked TS, blocked kernels).
import { randomConvSuite } from "./random-range.js";

randomConvSuite(1, 100, { everyShape: (seed) => seed % 4 === 0 });
