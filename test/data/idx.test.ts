import { describe, expect, it } from "vitest";
import { parseIdx, readIdx } from "../../src/data/idx.js";
import { userErrorOf } from "./errors.js";
import { f32be, idxBytes, tempDir, write } from "./fixtures.js";

describe("IDX reader", () => {
  const images = idxBytes(0x08, [2, 2, 3], new Uint8Array([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
  it("reads ubyte images with their dimensions, plain and gzip", () => {
    const dir = tempDir();
    for (const [name, bytes] of [
      ["plain-idx3-ubyte", images],
      ["gz-idx3-ubyte.gz", idxBytes(0x08, [2, 2, 3], images.subarray(16), true)],
    ] as const) {
      const a = readIdx(write(dir, name, bytes));
      expect(a.dims).toEqual([2, 2, 3]);
      expect(a.type).toBe("unsigned byte");
      expect([...a.data]).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    }
  });
  it("reads big-endian floats and signed types", () => {
    expect([...parseIdx(idxBytes(0x0d, [2], f32be([1.5, -2])), "f").data]).toEqual([1.5, -2]);
    expect([...parseIdx(idxBytes(0x09, [2], new Uint8Array([0xff, 0x01])), "s").data]).toEqual([-1, 1]);
  });
  it("rejects a bad magic and an unknown type byte", () => {
    const bad = images.slice();
    bad[0] = 1;
    expect(userErrorOf(() => parseIdx(bad, "m"))).toMatch(/^m: not an IDX file.*01 00 at offset 0/);
    const type = images.slice();
    type[2] = 0x07;
    expect(userErrorOf(() => parseIdx(type, "t"))).toMatch(/unknown IDX type byte 07 at offset 2/);
  });
  it("rejects truncated data and trailing bytes with offsets", () => {
    expect(userErrorOf(() => parseIdx(images.subarray(0, images.length - 1), "tr"))).toBe(
      "tr: data is truncated: dimensions 2×2×3 of unsigned byte need 12 bytes from offset 16, but only 11 follow",
    );
    const extra = new Uint8Array(images.length + 3);
    extra.set(images);
    expect(userErrorOf(() => parseIdx(extra, "x"))).toMatch(/3 unexpected bytes after the data, from offset 28/);
    expect(userErrorOf(() => parseIdx(images.subarray(0, 9), "h"))).toMatch(/ends inside the header/);
  });
  it("rejects NaN in float data with the element", () => {
    expect(userErrorOf(() => parseIdx(idxBytes(0x0d, [3], f32be([1, 2, NaN])), "n"))).toMatch(/element 2 \(offset 16\) is NaN/);
  });
  it("rejects corrupt and truncated gzip", () => {
    const dir = tempDir();
    const gz = idxBytes(0x08, [2, 2, 3], images.subarray(16), true);
    const corrupt = gz.slice();
    corrupt[12] ^= 0xff;
    corrupt[13] ^= 0xff;
    expect(userErrorOf(() => readIdx(write(dir, "c.gz", corrupt)))).toMatch(/c\.gz: corrupt gzip data/);
    expect(userErrorOf(() => readIdx(write(dir, "t.gz", gz.subarray(0, gz.length - 6))))).toMatch(/t\.gz: corrupt gzip data/);
  });
  it("rejects an empty file", () => {
    expect(userErrorOf(() => readIdx(write(tempDir(), "e", "")))).toMatch(/empty/);
  });
});
