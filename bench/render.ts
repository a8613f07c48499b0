// Re-renders bench/results.md from bench/results.json (after a change to the report's layout, without re-running):
// `tsx bench/render.ts [results.json] [results.md]`.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../src/atomic-write.js";
import { type BenchResults, renderMarkdown } from "./results.js";

const here = dirname(fileURLToPath(import.meta.url));
const input = process.argv[2] ?? join(here, "results.json");
const output = process.argv[3] ?? join(dirname(input), "results.md");
const results = JSON.parse(readFileSync(input, "utf8")) as BenchResults;
writeFileAtomic(output, renderMarkdown(results));
console.log(`wrote ${output}`);
