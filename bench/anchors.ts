// ANCHORS.md's figures (../shared/ANCHORS.md, measured on an idle machine of this kind) for the peers the
// bench runs, so each report can put this run's figures next to them. Throughput in the workload's unit.
// W7 and W8 (the conv nets) are issue 14's figures for scale: PyTorch 1.13 with OpenBLAS, one thread.
export const ANCHOR_THROUGHPUT: Record<string, Record<string, number>> = {
  torch: { W1: 11.7e3, W2: 9.9e3, W3: 1.17e6, W4: 164e3, W5: 11.4e3, W7: 37e3, W8: 5.1e3 },
  "tfjs-cpu": { W1: 8.3e3, W2: 2.0e3, W3: 196e3, W4: 29.6e3, W5: 2.2e3 },
  "tfjs-wasm": { W1: 5.4e3, W2: 3.6e3, W3: 396e3, W4: 135e3, W5: 8.2e3 },
  "generic-js": { W1: 6.5e6, W2: 13.7e3, W3: 2.45e6, W4: 65e3, W5: 4.4e3 },
};

/** Single-sample latency, µs, on the W4 and W5 nets (and issue 14's W7, W8). */
export const ANCHOR_LATENCY: Record<string, Record<string, number>> = {
  torch: { W4: 13.0, W5: 61.6, W7: 113, W8: 270 },
  "tfjs-cpu": { W4: 21.7, W5: 166 },
  "tfjs-wasm": { W4: 16.4, W5: 25.2 },
  "generic-js": { W4: 6.8, W5: 96.8 },
};
