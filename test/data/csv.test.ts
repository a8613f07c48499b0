import { describe, expect, it } from "vitest";
import { parseCsv, readCsv } from "../../src/data/csv.js";
import { userErrorOf } from "./errors.js";
import { tempDir, write } from "./fixtures.js";

describe("CSV reader: good files", () => {
  it("reads a header table with the label column by name, anywhere in the row", () => {
    const t = parseCsv("x1,label,x2\n1,0,2\n3,1,4.5e1\n", "t.csv", "label", true);
    expect(t.count).toBe(2);
    expect(t.width).toBe(2);
    expect([...t.features]).toEqual([1, 2, 3, 45]);
    expect([...t.labels]).toEqual([0, 1]);
    expect([...t.lines]).toEqual([2, 3]);
  });
  it("reads a headerless table with the label column by 0-based index", () => {
    const t = parseCsv("0.5,-1,2\n.25,+3,7\n", "t.csv", 2, false);
    expect([...t.features]).toEqual([0.5, -1, 0.25, 3]);
    expect([...t.labels]).toEqual([2, 7]);
  });
  it("skips blank lines but keeps true line numbers, handles CRLF, quotes and a BOM on disk", () => {
    const t = parseCsv('a,b\r\n\r\n"1",2\r\n\r\n3,4', "t.csv", "b", true);
    expect([...t.features]).toEqual([1, 3]);
    expect([...t.lines]).toEqual([3, 5]);
    const path = write(tempDir(), "bom.csv", "\uFEFFa;b\n1;2\n");
    expect([...readCsv(path, "b", true).labels]).toEqual([2]);
  });
  it("reads tab-separated files", () => {
    expect([...parseCsv("1\t2\n3\t4\n", "t.tsv", 0, false).labels]).toEqual([1, 3]);
  });
});

describe("CSV reader: broken files", () => {
  it("ragged rows name the line and both field counts", () => {
    expect(userErrorOf(() => parseCsv("a,b,c\n1,2,3\n4,5\n", "r.csv", "c", true))).toBe("r.csv:3: 2 fields, but the header has 3");
    expect(userErrorOf(() => parseCsv("1,2\n3,4\n\n5,6,7\n", "r.csv", 0, false))).toBe("r.csv:4: 3 fields, but the first row (line 1) has 2");
  });
  it("a header naming the label column several times is refused with each position (issue 21: it trained anyway)", () => {
    expect(userErrorOf(() => parseCsv("y,a,y,b,y\n1,2,3,4,5\n", "d.csv", "y", true))).toBe(
      "d.csv:1: the header names the label column 'y' 3 times (columns 1, 3, 5): rename all but one, or give label= as a 0-based column index",
    );
    // By index the duplicate names are only features' names: accepted, and the label is the column asked for.
    expect(Array.from(parseCsv("y,a,y\n1,2,3\n", "d.csv", 2, true).labels)).toEqual([3]);
  });
  it("non-numbers name line, field and column name", () => {
    expect(userErrorOf(() => parseCsv("a,b\n1,2\n3,abc\n", "n.csv", "a", true))).toBe(`n.csv:3: field 2 ('b'): "abc" is not a number`);
    expect(userErrorOf(() => parseCsv("1,2\n3,\n", "n.csv", 0, false))).toMatch(/^n\.csv:2: field 2: empty field/);
    expect(userErrorOf(() => parseCsv("1,2\n3,1.2.3\n", "n.csv", 0, false))).toMatch(/^n\.csv:2: field 2: "1\.2\.3" is not a number/);
  });
  it("NaN and Inf are refused with their position", () => {
    expect(userErrorOf(() => parseCsv("1,NaN\n", "f.csv", 0, false))).toMatch(/^f\.csv:1: field 2: NaN is not a finite number/);
    expect(userErrorOf(() => parseCsv("1,2\n-inf,2\n", "f.csv", 1, false))).toMatch(/^f\.csv:2: field 1: -inf is not a finite/);
    expect(userErrorOf(() => parseCsv("1,1e999\n", "f.csv", 0, false))).toMatch(/^f\.csv:1: field 2: 1e999 overflows/);
  });
  it("empty, header-only and blank files are refused", () => {
    const dir = tempDir();
    expect(userErrorOf(() => readCsv(write(dir, "e.csv", ""), 0, false))).toMatch(/e\.csv: the CSV file is empty/);
    expect(userErrorOf(() => parseCsv("a,b\n", "h.csv", "a", true))).toBe("h.csv: no data rows after the header");
    expect(userErrorOf(() => parseCsv("\n\n", "b.csv", 0, false))).toBe("b.csv: no data rows");
  });
  it("bad label columns are refused", () => {
    expect(userErrorOf(() => parseCsv("a,b\n1,2\n", "l.csv", "y", true))).toMatch(/no column named 'y'.*columns: a, b/);
    expect(userErrorOf(() => parseCsv("1,2\n", "l.csv", "y", false))).toMatch(/needs a header row/);
    expect(userErrorOf(() => parseCsv("1,2\n", "l.csv", 2, false))).toMatch(/index 2 is out of range.*2 columns/);
    expect(userErrorOf(() => parseCsv("1\n2\n", "l.csv", 0, false))).toMatch(/at least one feature column/);
  });
  it("malformed quoting is reported with a line", () => {
    expect(userErrorOf(() => parseCsv('1,2\n3,"4\n', "q.csv", 0, false))).toMatch(/^q\.csv:2: /);
  });
  it("a directory instead of a file is refused", () => {
    expect(userErrorOf(() => readCsv(tempDir(), 0, false))).toMatch(/must be a file/);
  });
});
