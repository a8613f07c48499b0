// Random conv nets 101–200 against the interpreter; every fourth also in every code shape.
import { randomConvSuite } from "./random-range.js";

randomConvSuite(101, 200, { everyShape: (seed) => seed % 4 === 2 });
