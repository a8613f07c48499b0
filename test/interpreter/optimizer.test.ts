// Optimiser steps and schedules against updates computed by hand for single parameters.
import { describe, expect, it } from "vitest";
import type { Optimizer, Schedule } from "../../src/ir.js";
import { interpret } from "../../src/interpreter/index.js";
import { f64, makeSpec } from "./spec-builder.js";

/** A 1 → 1 linear net: params [w, b]. */
function net(optimizer: Optimizer, learningRate = 0.1, weightDecay = 0, schedule: Schedule = { kind: "constant" }) {
  return interpret(makeSpec({ layers: [[1, 1, "linear"]], loss: "mse", optimizer, learningRate, weightDecay, schedule }));
}

describe("optimiser steps", () => {
  it("sgd: p ← p − lr·g", () => {
    const m = net({ kind: "sgd" });
    const params = f64([0.5, -0.2]);
    const state = m.createOptimizer();
    m.step(params, f64([0.3, -1]), state, 0);
    expect(params[0]).toBeCloseTo(0.5 - 0.1 * 0.3, 16);
    expect(params[1]).toBeCloseTo(-0.2 + 0.1, 16);
    expect(state.t).toBe(1);
    expect(Object.keys(state.slots)).toEqual([]);
  });

  it("L2 adds λ·w to the weights' gradients only (and grad is modified)", () => {
    const m = net({ kind: "sgd" }, 0.1, 0.01);
    const params = f64([0.5, -0.2]);
    const grad = f64([0.3, -1]);
    m.step(params, grad, m.createOptimizer(), 0);
    expect(grad[0]).toBeCloseTo(0.3 + 0.01 * 0.5, 16);
    expect(grad[1]).toBe(-1);
    expect(params[0]).toBeCloseTo(0.5 - 0.1 * (0.3 + 0.005), 16);
    expect(params[1]).toBeCloseTo(-0.2 + 0.1, 16);
  });

  it.each([false, true])("momentum (nesterov %s): v ← βv + g; p ← p − lr·v (or p − lr·(g + βv))", (nesterov) => {
    const m = net({ kind: "momentum", beta: 0.9, nesterov });
    const params = f64([1, 0]);
    const state = m.createOptimizer();
    let p = 1;
    let v = 0;
    for (const g of [0.5, -0.25, 1]) {
      m.step(params, f64([g, 0]), state, 0);
      v = 0.9 * v + g;
      p -= 0.1 * (nesterov ? g + 0.9 * v : v);
      expect(params[0]).toBeCloseTo(p, 15);
      expect(state.slots.v![0]).toBeCloseTo(v, 15);
    }
    expect(state.t).toBe(3);
  });

  it("rmsprop: s ← ρs + (1 − ρ)g²; p ← p − lr·g/(√s + ε)", () => {
    const m = net({ kind: "rmsprop", rho: 0.9, eps: 1e-8 }, 0.01);
    const params = f64([1, 0]);
    const state = m.createOptimizer();
    let p = 1;
    let s = 0;
    for (const g of [0.5, -0.25]) {
      m.step(params, f64([g, 0]), state, 0);
      s = 0.9 * s + 0.1 * g * g;
      p -= (0.01 * g) / (Math.sqrt(s) + 1e-8);
      expect(params[0]).toBeCloseTo(p, 15);
      expect(state.slots.s![0]).toBeCloseTo(s, 16);
    }
  });

  it("adam with bias correction", () => {
    const m = net({ kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 0.001);
    const params = f64([1, 0]);
    const state = m.createOptimizer();
    // First step: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
    m.step(params, f64([0.5, 0]), state, 0);
    expect(params[0]).toBeCloseTo(1 - (0.001 * 0.5) / (0.5 + 1e-8), 15);
    // Second step by hand.
    let mm = 0.1 * 0.5;
    let vv = 0.001 * 0.25;
    mm = 0.9 * mm + 0.1 * -0.25;
    vv = 0.999 * vv + 0.001 * 0.0625;
    const mHat = mm / (1 - 0.9 ** 2);
    const vHat = vv / (1 - 0.999 ** 2);
    const expected = params[0]! - (0.001 * mHat) / (Math.sqrt(vHat) + 1e-8);
    m.step(params, f64([-0.25, 0]), state, 0);
    expect(params[0]).toBeCloseTo(expected, 15);
    expect(state.slots.m![0]).toBeCloseTo(mm, 16);
    expect(state.slots.v![0]).toBeCloseTo(vv, 16);
    expect(state.t).toBe(2);
  });

  it("uses the epoch's scheduled rate", () => {
    const m = net({ kind: "sgd" }, 0.1, 0, { kind: "step", factor: 0.5, every: 2, min: 0 });
    const params = f64([1, 0]);
    m.step(params, f64([1, 0]), m.createOptimizer(), 4); // lr = 0.1 · 0.5² = 0.025
    expect(params[0]).toBeCloseTo(1 - 0.025, 16);
  });
});

describe("schedules", () => {
  const rate = (schedule: Schedule, epoch: number) => net({ kind: "sgd" }, 0.1, 0, schedule).learningRate(epoch);

  it("constant", () => expect([0, 5, 100].map((e) => rate({ kind: "constant" }, e))).toEqual([0.1, 0.1, 0.1]));

  it("step: lr · factor^⌊e/every⌋, floored at min", () => {
    const s: Schedule = { kind: "step", factor: 0.5, every: 10, min: 0.02 };
    expect(rate(s, 0)).toBeCloseTo(0.1, 16);
    expect(rate(s, 9)).toBeCloseTo(0.1, 16);
    expect(rate(s, 10)).toBeCloseTo(0.05, 16);
    expect(rate(s, 25)).toBeCloseTo(0.025, 16);
    expect(rate(s, 30)).toBeCloseTo(0.02, 16); // 0.0125 < min
  });

  it("exponential: lr · γ^e, floored at min", () => {
    const s: Schedule = { kind: "exponential", gamma: 0.9, min: 0.05 };
    expect(rate(s, 0)).toBeCloseTo(0.1, 16);
    expect(rate(s, 3)).toBeCloseTo(0.1 * 0.729, 16);
    expect(rate(s, 50)).toBe(0.05);
  });

  it("cosine: min + (lr − min)(1 + cos(π·min(e, T)/T))/2", () => {
    const s: Schedule = { kind: "cosine", min: 0.01, period: 4, periodIsEpochs: false };
    expect(rate(s, 0)).toBeCloseTo(0.1, 16);
    expect(rate(s, 2)).toBeCloseTo(0.055, 16);
    expect(rate(s, 4)).toBeCloseTo(0.01, 16);
    expect(rate(s, 9)).toBeCloseTo(0.01, 16);
    expect(rate(s, 1)).toBeCloseTo(0.01 + (0.09 * (1 + Math.SQRT1_2)) / 2, 16);
  });
});
