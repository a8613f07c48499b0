import { describe, expect, it } from "vitest";
import { encodeNpy } from "../../src/data/npy-write.js";
import { parseNpy } from "../../src/data/npy.js";

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const MAGIC_V1 = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00];

describe(".npy writer", () => {
  it("writes float32 (2, 3) with the exact NumPy 1.0 header and little-endian IEEE bytes", () => {
    const bytes = encodeNpy(new Float32Array([1, -2, 0.5, 0, 0, 0]), [2, 3]);
    // Dict is 59 characters; 10 + 59 + 1 = 70 rounds up to 128, so the header length field is 118 (0x76)
    // and the dict is followed by 58 spaces and "\n".
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    expect(dict.length).toBe(59);
    const header = [...MAGIC_V1, 0x76, 0x00, ...ascii(dict), ...ascii(" ".repeat(58)), 0x0a];
    expect(header.length).toBe(128);
    expect([...bytes.subarray(0, 128)]).toEqual(header);
    // 1.0f = 0x3f800000, -2.0f = 0xc0000000, 0.5f = 0x3f000000.
    expect([...bytes.subarray(128, 140)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f]);
    expect(bytes.length).toBe(128 + 24);
  });

  it("writes a 1-D uint8 shape as a one-element tuple with '|u1'", () => {
    const bytes = encodeNpy(new Uint8Array([0, 25, 255]), [3]);
    const dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }";
    const header = [...MAGIC_V1, 0x76, 0x00, ...ascii(dict), ...ascii(" ".repeat(117 - dict.length)), 0x0a];
    expect([...bytes.subarray(0, 128)]).toEqual(header);
    expect([...bytes.subarray(128)]).toEqual([0, 25, 255]);
  });

  it("writes float64 and int64 little-endian", () => {
    const f64 = encodeNpy(new Float64Array([0.5]), [1]);
    expect([...f64.subarray(128)]).toEqual([0, 0, 0, 0, 0, 0, 0xe0, 0x3f]); // 0x3fe0000000000000
    const i64 = encodeNpy(new BigInt64Array([-2n, 258n]), [2, 1]);
    expect(new TextDecoder().decode(i64.subarray(10, 60))).toContain("'descr': '<i8'");
    expect([...i64.subarray(128)]).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("round-trips through nnc's independent .npy reader, for every dtype", () => {
    const cases = [
      { data: new Float32Array([0.25, 1, 0, 0.75, 0.5, 0.125]), shape: [3, 2], dtype: "float32" },
      { data: new Float64Array([Math.PI, -1e-300]), shape: [2], dtype: "float64" },
      { data: new Uint8Array([3, 1, 4, 1]), shape: [2, 2], dtype: "uint8" },
      { data: new BigInt64Array([7n, -9n]), shape: [2], dtype: "int64" },
    ] as const;
    for (const c of cases) {
      const back = parseNpy(encodeNpy(c.data, c.shape), "x.npy");
      expect(back.dtype).toBe(c.dtype);
      expect(back.shape).toEqual(c.shape);
      expect([...back.data]).toEqual([...c.data].map(Number));
    }
  });

  it("puts the data on a 64-byte boundary even when the dict is long", () => {
    const shape = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const bytes = encodeNpy(new Float64Array([2]), shape);
    const headerLength = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes[10 + headerLength - 1]).toBe(0x0a);
    expect(parseNpy(bytes, "x.npy").shape).toEqual(shape);
  });

  it("refuses a shape that does not match the element count", () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/does not hold 5/);
  });
});
