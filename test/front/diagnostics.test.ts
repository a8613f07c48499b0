// One case per diagnostic code: the code and the exact line:column it points at (never the wording).
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { checks, syntaxCodes, validate } from "../../src/front/validate.js";
import { lower } from "../../src/front/lower.js";

/** A valid tail to append so a case only has the one problem it is about. */
const net = "layer fc 2->3 tanh\nlayer fc 3->1 sigmoid\n";

interface Case {
  code: string;
  source: string;
  at: [line: number, column: number];
  fileName?: string;
  variables?: Record<string, number>;
}

const cases: Case[] = [
  { code: "NN001", source: `${net}sgd lr=0.1 € epochs=2\n`, at: [3, 12] },
  { code: "NN002", source: `${net}data npy "x.npy\n`, at: [3, 10] },
  { code: "NN003", source: `${net}sgd lr=)\n`, at: [3, 8] },
  { code: "NN018", source: `${net}data npy "C:\\data\\x.npy" labels="y.npy"\n`, at: [3, 13] },
  { code: "NN003", source: "layer fc 2->", at: [1, 11] },
  { code: "NN004", source: `${net}lyer fc 1->2\n`, at: [3, 1] },
  { code: "NN005", source: `${net}sgd lr=1e999\n`, at: [3, 8] },
  { code: "NN006", source: "layer fc 2->3 tanh\nlayer fc 3->1 sigmod\n", at: [2, 15] },
  { code: "NN006", source: `${net}init gaussian\n`, at: [3, 6] },
  { code: "NN007", source: "layer fc tanh\n", at: [1, 7] },
  { code: "NN007", source: `${net}data npy "x.npy"\n`, at: [3, 6] },
  { code: "NN008", source: "layer fc 2->3 tanh\nlayer dropout 3->3 p=0.5\nlayer fc 3->1 sigmoid\n", at: [2, 15] },
  { code: "NN008", source: "layer fc 2->1 sigmoid(0.3)\n", at: [1, 23] },
  { code: "NN010", source: `${net}sgd lrr=0.1\n`, at: [3, 5] },
  { code: "NN011", source: `${net}sgd lr=fast\n`, at: [3, 8] },
  { code: "NN011", source: `${net}sgd epochs=2.5\n`, at: [3, 12] },
  { code: "NN011", source: `${net}sgd shuffle=3\n`, at: [3, 13] },
  { code: "NN012", source: `${net}sgd lr=0\n`, at: [3, 8] },
  { code: "NN012", source: "layer fc 2->3 tanh\nlayer dropout p=1\nlayer fc 3->1 sigmoid\n", at: [2, 17] },
  { code: "NN012", source: `${net}adam beta1=1\n`, at: [3, 12] },
  { code: "NN012", source: `${net}row 1, 2 -> 1\nsplit 1.5\n`, at: [4, 7] },
  { code: "NN013", source: `${net}sgd lr=1 lr=2\n`, at: [3, 10] },
  { code: "NN014", source: `${net}loss mse\nloss crossentropy\n`, at: [4, 1] },
  { code: "NN014", source: `${net}sgd lr=1\nadam lr=0.1\n`, at: [4, 1] },
  { code: "NN015", source: net, at: [1, 1], fileName: "specs/my spec.nn" },
  { code: "NN016", source: "layer fc 2->H tanh\nlayer fc 3->1 sigmoid\n", at: [1, 13] },
  { code: "NN017", source: "layer fc 2->0 tanh\nlayer fc 3->1 sigmoid\n", at: [1, 13] },
  { code: "NN017", source: "let H = 2.5\nlayer fc 2->H tanh\n", at: [2, 13] },
  { code: "NN020", source: "layer fc 289->24 sigmoid\nlayer fc 20->26 sigmoid\n", at: [2, 10] },
  { code: "NN021", source: `input 3\n${net}`, at: [2, 10] },
  { code: "NN022", source: "layer fc 2->3 softmax\nlayer fc 3->2 softmax\n", at: [1, 15] },
  { code: "NN023", source: "layer fc 2->3 tanh\nlayer fc 3->1 relu\nloss crossentropy\n", at: [3, 6] },
  { code: "NN023", source: "input 1x6x6\nlayer conv 2 relu kernel=3\nlayer maxpool 2\nloss crossentropy\n", at: [4, 6] },
  { code: "NN024", source: "layer fc 2->1 softmax\n", at: [1, 15] },
  { code: "NN007", source: "layer fc 4 sigmoid\n", at: [1, 10] },
  { code: "NN007", source: "input 1x6x6\nlayer conv relu kernel=3\nlayer fc 2 softmax\n", at: [2, 7] },
  { code: "NN007", source: "input 1x6x6\nlayer maxpool\nlayer fc 2 softmax\n", at: [2, 7] },
  { code: "NN009", source: "input 1x6x6\nlayer conv 2 relu kernel=3 tanh\nlayer fc 2 softmax\n", at: [2, 28] },
  { code: "NN060", source: "layer conv 2 relu kernel=3\nlayer fc 2 softmax\n", at: [1, 7] },
  { code: "NN060", source: "input 1x6x6\nlayer fc 5 relu\nlayer maxpool 2\nlayer fc 2 softmax\n", at: [3, 7] },
  { code: "NN061", source: "input 1x4x4\nlayer conv 2 relu kernel=5\nlayer fc 2 softmax\n", at: [2, 26] },
  { code: "NN061", source: "input 1x4x4\nlayer maxpool 5\nlayer fc 2 softmax\n", at: [2, 15] },
  { code: "NN062", source: "input 1x5x5\nlayer maxpool 2\nlayer fc 2 softmax\n", at: [2, 7] },
  { code: "NN063", source: "input 3x6x6\nlayer conv 1->2 relu kernel=3\nlayer fc 2 softmax\n", at: [2, 12] },
  { code: "NN064", source: "input 1x6x6\nlayer conv 2 relu kernel=2 padding=same\nlayer fc 2 softmax\n", at: [2, 36] },
  { code: "NN065", source: "input 1x6x6\nlayer conv 2 softmax kernel=3\n", at: [2, 14] },
  { code: "NN020", source: "input 1x6x6\nlayer conv 2 relu kernel=3\nlayer fc 30->2 softmax\n", at: [3, 10] },
  { code: "NN025", source: "# nothing here\nsgd lr=1\n", at: [1, 1] },
  { code: "NN026", source: "layer dropout p=0.5\n" + net, at: [1, 7] },
  { code: "NN026", source: net + "layer dropout p=0.5\n", at: [3, 7] },
  { code: "NN027", source: `${net}row 1, 2, 3 -> 1\n`, at: [3, 5] },
  { code: "NN028", source: "layer fc 2->3 softmax\nrow 1, 2 -> 3\n", at: [2, 13] },
  { code: "NN028", source: `${net}row 1, 2 -> 1, 0\n`, at: [3, 13] },
  { code: "NN029", source: `${net}data planar\nrow 1, 2 -> 1\n`, at: [4, 1] },
  { code: "NN029", source: `${net}data inline\n`, at: [3, 6] },
  { code: "NN030", source: `${net}data planar\nstop early\n`, at: [4, 6] },
  { code: "NN032", source: `${net}stop loss > 0.1\n`, at: [3, 11] },
  { code: "NN033", source: `${net}normalize zero-mean\n`, at: [3, 1] },
  { code: "NN034", source: `${net}data planar\ntest planar seed=2\nsplit 0.2\n`, at: [5, 1] },
  { code: "NN070", source: `${net}classes a, b, c\n`, at: [3, 9] },
  { code: "NN070", source: "layer fc 2->3 softmax\nclasses a, b\n", at: [2, 9] },
  { code: "NN071", source: `${net}classes a, a\n`, at: [3, 12] },
  { code: "NN071", source: `${net}classes a, ""\n`, at: [3, 12] },
  { code: "NN072", source: "layer fc 2->1\nclasses a, b\n", at: [2, 1] },
  { code: "NN073", source: `${net}classes male, female\nrow 1, 2 -> femal\n`, at: [4, 13] },
  { code: "NN073", source: `${net}row 1, 2 -> female\n`, at: [3, 13] },
  { code: "NN040", source: `${net}data npy "x.csv" labels="y.npy"\n`, at: [3, 10] },
  { code: "NN041", source: `let H = 4\n${net}`, at: [1, 5] },
  { code: "NN042", source: `${net}sgd epochs=10\nschedule step every=10\n`, at: [4, 10] },
  { code: "NN043", source: net, at: [1, 1], variables: { H: 3 } },
];

describe("every diagnostic code, at its exact position", () => {
  it.each(cases)("$code at $at.0:$at.1 for $source", ({ code, source, at, fileName, variables }) => {
    const { spec, diagnostics } = parseSpec(source, fileName ?? "case.nn", { variables });
    const hit = diagnostics.find((d) => d.code === code);
    expect(hit, JSON.stringify(diagnostics.map((d) => [d.code, d.range.startLine, d.range.startColumn, d.message]))).toBeDefined();
    expect([hit!.range.startLine, hit!.range.startColumn]).toEqual(at);
    expect(hit!.fileName).toBe(fileName ?? "case.nn");
    if (hit!.severity === "error") expect(spec).toBeNull();
    else expect(spec).not.toBeNull();
  });

  it("covers every code in the table", () => {
    const tested = new Set(cases.map((c) => c.code));
    const all = [...checks.map((c) => c.code), ...syntaxCodes.map((c) => c.code)].filter((c) => c !== "NN099");
    expect(all.filter((c) => !tested.has(c))).toEqual([]);
    expect(new Set(all).size).toBe(all.length);
  });

  it("NN099: a check that throws becomes a diagnostic, not an exception", () => {
    const lowered = lower({ statements: [], fileName: "x.nn", sourceHash: "", overrides: {} });
    // Sabotage the IR so checks that read layers throw.
    (lowered.spec as unknown as { layers: unknown }).layers = null;
    const diagnostics = validate({ source: "", fileName: "x.nn", statements: [], lowered, overrides: {} });
    const internal = diagnostics.filter((d) => d.code === "NN099");
    expect(internal.length).toBeGreaterThan(0);
    expect(internal[0]!.severity).toBe("error");
  });

  it("reports every broken statement in one run", () => {
    const source = "layer fc 2->3 tanh )\nsgd lr=)\nloss = mse\nlayer fc 3->1 sigmoid\nlyer x\n";
    const { diagnostics } = parseSpec(source, "many.nn");
    const positions = diagnostics.map((d) => `${d.code}@${d.range.startLine}:${d.range.startColumn}`);
    expect(positions).toEqual(["NN003@1:20", "NN003@2:8", "NN003@3:6", "NN004@5:1"]);
  });

  it("suggests the near option, statement and activation", () => {
    const { diagnostics } = parseSpec(`${net}sgd epoch=2\nlosss mse\n`, "s.nn");
    expect(diagnostics.find((d) => d.code === "NN010")!.hint).toContain("`epochs`");
    expect(diagnostics.find((d) => d.code === "NN004")!.hint).toContain("`loss`");
  });
});
