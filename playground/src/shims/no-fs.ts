// The page's node:fs (scripts/build-playground.mjs aliases it for src/read-bounded.ts): the front end's module
// reads spec files for the CLI, which a page never does; the page hands the front end text.
function unavailable(): never {
  throw new Error("no file system in the playground");
}
export const closeSync = unavailable;
export const fstatSync = unavailable;
export const openSync = unavailable;
export const readSync = unavailable;
export const constants = { O_RDONLY: 0 };
export type Stats = never;
