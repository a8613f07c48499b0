// How `nnc import` refuses a model: one UserError (exit 1, no stack trace) naming the file and, when a node
// is at fault, the node's name, its op and the attribute or input that nnc cannot express.
import { UserError } from "../errors.js";

/** Where in the model a problem is: a node (name and op), optionally one of its attributes or inputs. */
export interface OnnxPlace {
  node?: { name: string; op: string };
  attribute?: string;
}

export class OnnxImportError extends UserError {
  constructor(file: string, message: string, place: OnnxPlace = {}) {
    const where = place.node ? ` node "${place.node.name}" (${place.node.op})${place.attribute !== undefined ? `, attribute ${place.attribute}` : ""}:` : "";
    super(`${file}:${where} ${message}`);
    this.name = "OnnxImportError";
  }
}
