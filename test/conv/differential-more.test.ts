// Random conv nets 101–200 against the interpreter, each in every code shape.
import { randomConvSuite } from "./random-range.js";

randomConvSuite(101, 200, { everyShape: () => true });
