// The words a learner reads after training, from src/train: early stopping's kept epoch in the end line and
// the history CSV, the loss named for the plot's axis, the inputs' names from a CSV header or the built-in set.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { historyCsv } from "../../src/train/outputs.js";
import { dataNames, keptEpoch, lossName } from "../../src/train/plot-labels.js";
import { endText } from "../../src/train/progress.js";

const end = { epochs: 23, stoppedBy: "early" as const, seconds: 0.5, loss: 0.2, accuracy: 0.9, testLoss: 0.3, testAccuracy: 0.85 };

describe("the kept epoch", () => {
  test("early stopping: the best epoch (0-based in the report, 1-based for people)", () => {
    expect(keptEpoch({ stoppedBy: "early", epochs: 23, bestEpoch: 17 })).toBe(18);
    expect(keptEpoch({ stoppedBy: "epochs", epochs: 100 })).toBe(100);
    expect(keptEpoch({ stoppedBy: "non_finite", epochs: 5 })).toBe(5);
    expect(keptEpoch({ stoppedBy: "non_finite", epochs: 0 })).toBeNull();
    expect(keptEpoch({ stoppedBy: "interrupted", epochs: 7 })).toBeNull();
  });

  test("the end line names it", () => {
    expect(endText({ ...end, keptEpoch: 18 })).toBe(
      "stopped after 23 epochs (early stopping: kept the weights of epoch 18, the best on the validation data) in 0.50 s; final loss 0.2000 acc 90.00% | test loss 0.3000 acc 85.00%",
    );
    expect(endText(end)).toContain("(early stopping (best weights kept))");
  });

  test("history.csv marks its row in the kept column", () => {
    const rows = [1, 2, 3].map((epoch) => ({ epoch, learningRate: 0.1, loss: 1 / epoch, accuracy: null, testLoss: 2 / epoch, testAccuracy: null }));
    expect(historyCsv(rows, 2)).toBe(
      "epoch,learning_rate,loss,accuracy,test_loss,test_accuracy,kept\n1,0.1,1,,2,,\n2,0.1,0.5,,1,,1\n3,0.1,0.3333333333333333,,0.6666666666666666,,\n",
    );
    expect(
      historyCsv(rows)
        .split("\n")
        .slice(1, 4)
        .every((l) => l.endsWith(",")),
    ).toBe(true);
  });
});

describe("plot labels", () => {
  test("the loss named as people name it", () => {
    expect(lossName("mse")).toBe("MSE");
    expect(lossName("quadratic")).toBe("quadratic, ½Σ");
    expect(lossName("binary_crossentropy")).toBe("binary cross-entropy");
    expect(lossName("categorical_crossentropy")).toBe("cross-entropy");
  });

  test("a CSV's header names the inputs and the target (label column by name or index, any position)", () => {
    const dir = mkdtempSync(join(tmpdir(), "nnc-names-"));
    writeFileSync(join(dir, "people.csv"), "kg;female;cm\n60.3;1;165\n72.6;0;183\n");
    const spec = (label: string) => parseSpec(`model p\nlayer fc 2->1 sigmoid\ndata csv "people.csv" label=${label}\n`, join(dir, "p.nn")).spec!;
    expect(dataNames(spec("female"), dir)).toEqual({ inputs: ["kg", "cm"], target: "female" });
    expect(dataNames(spec("1"), dir)).toEqual({ inputs: ["kg", "cm"], target: "female" });
  });

  test("the built-in square set is y = x²; other data numbered", () => {
    const square = parseSpec("model s\ndata square\nlayer fc 1->4 relu\nlayer fc 4->1\n", "s.nn").spec!;
    expect(dataNames(square, ".")).toEqual({ inputs: ["x"], target: "y = x²" });
    const planar = parseSpec("model p\ndata planar\nlayer fc 2->1 sigmoid\n", "p.nn").spec!;
    expect(dataNames(planar, ".")).toEqual({ inputs: ["x₁", "x₂"], target: "target" });
  });
});
