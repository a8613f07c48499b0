// Every CLI command, one module each. Add a command by writing src/commands/<name>.ts exporting
// `register(program)` and listing it here.
import type { Command } from "commander";
import { register as registerBuild } from "./build.js";
import { register as registerCheck } from "./check.js";
import { register as registerData } from "./data.js";
import { register as registerFmt } from "./fmt.js";
import { register as registerParse } from "./parse.js";
import { register as registerPredict } from "./predict.js";
import { register as registerSweep } from "./sweep.js";
import { register as registerTrain } from "./train.js";

export function registerCommands(program: Command): void {
  void program;
  registerBuild(program);
  registerCheck(program);
  registerData(program);
  registerParse(program);
  registerFmt(program);
  registerTrain(program);
  registerPredict(program);
  registerSweep(program);
}
