// The second half of the random-IR differential suite (see differential.test.ts), in its own file so it
// runs on the other worker.
import { randomDifferentialSuite } from "./random-range.js";

randomDifferentialSuite(121, 240);
