// Random conv nets 1–100 against the interpreter (the rest in differential-more.test.ts); every fourth also
// in both window shapes, bit-identical to each other.
import { randomConvSuite } from "./random-range.js";

randomConvSuite(1, 100, { everyShape: (seed) => seed % 4 === 0 });
