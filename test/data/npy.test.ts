import { describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../src/errors.js";
import { parseNpy, readNpy } from "../../src/data/npy.js";
import { f32le, f64le, i32le, i64le, npyBytes, tempDir, write } from "./fixtures.js";

const parse = (bytes: Uint8Array) => parseNpy(bytes, "x.npy");
const errorOf = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
};

describe(".npy reader: good files", () => {
  it("reads float64 (400, 2)-style 2-D arrays in C order", () => {
    const a = parse(npyBytes("<f8", [3, 2], f64le([1, 2, 3, 4, 5.5, -6])));
    expect(a.dtype).toBe("float64");
    expect(a.shape).toEqual([3, 2]);
    expect([...a.data]).toEqual([1, 2, 3, 4, 5.5, -6]);
  });
  it("reads float32, uint8, int32 and int64", () => {
    expect([...parse(npyBytes("<f4", [2], f32le([0.5, -1.25]))).data]).toEqual([0.5, -1.25]);
    expect([...parse(npyBytes("|u1", [3], new Uint8Array([0, 7, 255]))).data]).toEqual([0, 7, 255]);
    expect([...parse(npyBytes("<i4", [2], i32le([-3, 9]))).data]).toEqual([-3, 9]);
    const a = parse(npyBytes("<i8", [4], i64le([0, 1, -2, 2 ** 40])));
    expect(a.dtype).toBe("int64");
    expect([...a.data]).toEqual([0, 1, -2, 2 ** 40]);
  });
  it("reads format versions 2.0 and 3.0 (uint32 header length)", () => {
    for (const version of [2, 3] as const) {
      const a = parse(npyBytes("<f8", [2, 1], f64le([7, 8]), { version }));
      expect(a.shape).toEqual([2, 1]);
      expect([...a.data]).toEqual([7, 8]);
    }
  });
  it("accepts double quotes, no trailing comma and a 3-D shape", () => {
    const dict = `{"descr": "<f8", "fortran_order": False, "shape": (1, 2, 2)}`;
    const a = parse(npyBytes("", [], f64le([1, 2, 3, 4]), { dict }));
    expect(a.shape).toEqual([1, 2, 2]);
  });
  it("reads from disk", () => {
    const dir = tempDir();
    const path = write(dir, "a.npy", npyBytes("<f8", [1], f64le([42])));
    expect([...readNpy(path).data]).toEqual([42]);
  });
});

describe(".npy reader: broken files", () => {
  it("rejects a wrong magic, naming the file and offset 0", () => {
    const bytes = npyBytes("<f8", [1], f64le([1]));
    bytes[1] = 0x58;
    expect(errorOf(() => parse(bytes)).message).toMatch(/^x\.npy: not a \.npy file.*offset 0/);
  });
  it("rejects an unknown version", () => {
    const bytes = npyBytes("<f8", [1], f64le([1]));
    bytes[6] = 4;
    expect(errorOf(() => parse(bytes)).message).toMatch(/version 4\.0/);
  });
  it("rejects truncated data with the byte counts", () => {
    const bytes = npyBytes("<f8", [3, 2], f64le([1, 2, 3, 4, 5, 6]));
    const message = errorOf(() => parse(bytes.subarray(0, bytes.length - 5))).message;
    expect(message).toMatch(/truncated/);
    expect(message).toMatch(/needs 48 bytes from offset 128/);
    expect(message).toMatch(/after 43/);
  });
  it("rejects a truncated header", () => {
    const bytes = npyBytes("<f8", [1], f64le([1]));
    expect(errorOf(() => parse(bytes.subarray(0, 30))).message).toMatch(/header is truncated/);
  });
  it("rejects trailing bytes after the data", () => {
    const bytes = npyBytes("<f8", [1], f64le([1, 2]));
    expect(errorOf(() => parse(bytes)).message).toMatch(/8 unexpected bytes after the data, from offset 136/);
  });
  it("rejects fortran order", () => {
    expect(errorOf(() => parse(npyBytes("<f8", [2, 2], f64le([1, 2, 3, 4]), { fortran: true }))).message).toMatch(/fortran_order/);
  });
  it("rejects big-endian and unsupported dtypes with the descr", () => {
    expect(errorOf(() => parse(npyBytes(">f8", [1], f64le([1])))).message).toMatch(/big-endian.*'>f8'.*astype\('<f8'\)/);
    expect(errorOf(() => parse(npyBytes("<c16", [1], new Uint8Array(16)))).message).toMatch(/unsupported dtype '<c16'/);
    expect(errorOf(() => parse(npyBytes("<U3", [1], new Uint8Array(12)))).message).toMatch(/unsupported dtype/);
  });
  it("rejects malformed header dicts with an offset", () => {
    const bad = [
      `{'descr': '<f8', 'fortran_order': False}`,
      `{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }`,
      `{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1, }`,
      `['descr', '<f8']`,
    ];
    for (const dict of bad) expect(() => parse(npyBytes("", [], f64le([1]), { dict }))).toThrow(UserError);
    expect(errorOf(() => parse(npyBytes("", [], f64le([1]), { dict: bad[1] }))).message).toMatch(/offset \d+/);
  });
  it("rejects NaN and Inf, naming the element and its index", () => {
    expect(errorOf(() => parse(npyBytes("<f8", [2, 2], f64le([1, 2, NaN, 4])))).message).toMatch(/element 2 \[1, 0\] is NaN/);
    expect(errorOf(() => parse(npyBytes("<f4", [3], f32le([1, Infinity, 0])))).message).toMatch(/element 1 \[1\] is Infinity/);
  });
  it("rejects an empty file, a missing file and a directory", () => {
    const dir = tempDir();
    expect(errorOf(() => readNpy(write(dir, "empty.npy", ""))).message).toMatch(/empty\.npy: .*empty/);
    expect(errorOf(() => readNpy(join(dir, "missing.npy"))).message).toMatch(/missing\.npy: .*no such file/);
    mkdirSync(join(dir, "folder.npy"));
    expect(errorOf(() => readNpy(join(dir, "folder.npy"))).message).toMatch(/folder\.npy: .*directory/);
  });
  it("rejects a file shorter than the preamble", () => {
    expect(errorOf(() => parse(new Uint8Array([0x93, 0x4e]))).message).toMatch(/not a \.npy file/);
  });
});
