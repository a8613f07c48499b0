// The local names of the fused per-sample body (src/emit/fused.ts), shared by the driver and the layer
// rules' fused code: per layer position p and unit k, z (pre-activation), a (activation), dz (dL/dz) and
// ga (dL/da); softmax's row maximum and sum; and the running gradient sum of parameter i.
export const fusedZ = (p: number, k: number): string => `z${p}_${k}`;
export const fusedA = (p: number, k: number): string => `a${p}_${k}`;
export const fusedDz = (p: number, k: number): string => `dz${p}_${k}`;
export const fusedGa = (p: number, k: number): string => `ga${p}_${k}`;
export const fusedMax = (p: number): string => `max${p}`;
export const fusedSum = (p: number): string => `sum${p}`;
export const fusedGradient = (i: number): string => `g${i}`;

/** What a layer's fused code reads from the driver. */
export interface FusedEnv {
  /** Parameter i: a local hoisted once per batch, or params[i]. */
  w(i: number): string;
  /** The layer's input element i: the sample's x_i, or the previous layer's activation local. */
  input(i: number): string;
  /** True for the output layer when the loss gave dL/dz directly. */
  lossGivesDz: boolean;
  /** True when the driver applies the layer's activation batch-wide, after the loop: its forward gives z only. */
  activationBatchWide: boolean;
}
