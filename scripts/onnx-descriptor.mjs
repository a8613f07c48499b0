// Turns the shipped ONNX schema (src/onnx/onnx.proto, Apache-2.0, from the ONNX project) into protobufjs's
// JSON descriptor, src/onnx/onnx.descriptor.json, which src/onnx/proto.ts loads with protobufjs/light (no
// .proto parser at run time, and a JSON import that esbuild bundles and tsx and vitest load alike, so no
// file has to be found beside dist/). test/onnx/proto.test.ts fails when the JSON is not what this gives.
//
//   node scripts/onnx-descriptor.mjs [--check]
import protobuf from "protobufjs";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const protoPath = join(root, "src/onnx/onnx.proto");
const jsonPath = join(root, "src/onnx/onnx.descriptor.json");

/** The descriptor text for a .proto source: field names as written (keepCase), stable key order. */
export function descriptorText(source) {
  const parsed = protobuf.parse(source, { keepCase: true });
  return `${JSON.stringify(parsed.root.toJSON(), null, 1)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = descriptorText(readFileSync(protoPath, "utf8"));
  if (process.argv.includes("--check")) {
    if (readFileSync(jsonPath, "utf8") !== text) {
      process.stderr.write(`${jsonPath} is stale: run node scripts/onnx-descriptor.mjs\n`);
      process.exit(1);
    }
  } else writeFileSync(jsonPath, text);
}
