// The codec's schema is the shipped onnx.proto: the JSON descriptor protobufjs loads at run time must be what
// scripts/onnx-descriptor.mjs makes from it, and a decoded model re-encodes to one onnxruntime runs the same.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeModel, encodeModel, int64 } from "../../src/onnx/proto.js";
import { fixture, MANIFEST, runOrt } from "./support.js";
// @ts-expect-error: a plain .mjs script without types
import { descriptorText } from "../../scripts/onnx-descriptor.mjs";

const ROOT = join(import.meta.dirname, "../..");

describe("the ONNX codec", () => {
  it("src/onnx/onnx.descriptor.json is current with src/onnx/onnx.proto (node scripts/onnx-descriptor.mjs)", () => {
    const proto = readFileSync(join(ROOT, "src/onnx/onnx.proto"), "utf8");
    expect(proto).toContain("SPDX-License-Identifier: Apache-2.0");
    expect(readFileSync(join(ROOT, "src/onnx/onnx.descriptor.json"), "utf8")).toBe((descriptorText as (s: string) => string)(proto));
  });

  it("decodes a PyTorch export and re-encodes it to a model onnxruntime runs identically", async () => {
    const f = fixture("mlp_letters_sigmoid");
    const m = decodeModel(f.bytes);
    expect([int64(m.ir_version), m.producer_name, int64(m.opset_import![0]!.version)]).toEqual([7, "pytorch", 13]);
    const again = encodeModel(m);
    const shape = MANIFEST["mlp_letters_sigmoid"]!.input_shape;
    expect(await runOrt(again, f.input.data, shape)).toEqual(await runOrt(f.bytes, f.input.data, shape));
  });
});
