// The shape of bench/results.json, and bench/results.md rendered from it.

import { ANCHOR_LATENCY, ANCHOR_THROUGHPUT } from "./anchors.js";
import type { SimdCeiling } from "./ceiling.js";
import { TARGETS } from "./targets.js";
import { renderEndToEnd, type EndToEndResult } from "./e2e.js";

export interface ContestantInfo {
  id: string;
  label: string;
  description: string | null;
  /** Why it did not run, when it did not. */
  skipped: string | null;
  /** An inference peer (ONNX Runtime): in the latency and batched-inference tables only. */
  inferenceOnly?: boolean;
}

export interface TrainingResult {
  /** Throughput of each round, samples per second. */
  samplesPerSecond: number[];
  /** Median over rounds. */
  medianSamplesPerSecond: number;
  medianBatchesPerSecond: number;
  /** Seconds of one run (one pass over the batch plan) in each round. */
  seconds: number[];
  /** Runs per timed round (short runs are repeated from the same init to be timeable). */
  repetitions: number;
  loss: number | null;
  accuracy: number | null;
  /** |loss − reference loss| / max(|reference loss|, 1e-6); the reference is the float64 interpreter (or generic JS). */
  lossRelativeError: number | null;
  lossAgrees: boolean | null;
  error: string | null;
}

export interface LatencyResult {
  micros: number[];
  medianMicros: number;
  calls: number;
  error: string | null;
}

/** Batched inference (issue 16): one forward pass over `samples` evaluation samples. */
export interface InferenceResult {
  /** Each round's best pass. */
  samplesPerSecond: number[];
  medianSamplesPerSecond: number;
  samples: number;
  /** Passes per round (the best counts). */
  passes: number;
  error: string | null;
}

export interface WorkloadResult {
  id: string;
  title: string;
  net: string;
  loss: string;
  training: string;
  unit: string;
  data: string;
  notice: string | null;
  samples: number;
  batches: number;
  evaluationSamples: number;
  referenceContestant: string | null;
  training_results: Record<string, TrainingResult>;
  latency: Record<string, LatencyResult> | null;
  /** Batched inference per contestant (absent in older results). */
  inference?: Record<string, InferenceResult> | null;
  build: { milliseconds: number; sourceBytes: number; sourceLines: number } | null;
  /** Largest |output − reference output| of each contestant on a few samples at the initial parameters (absent in older results). */
  firstForward?: Record<string, number> | null;
  /** How a contestant configured itself for this workload (PyTorch's probed threads and conv backend). */
  notes?: Record<string, string>;
  /**
   * Flops per sample of the matrix products (2 per multiply-add; bench/net.ts trainingMacs, forwardMacs) and
   * the precision of nnc's module, for the GFLOP/s table (absent in older results).
   */
  flops?: { training: number; inference: number; nncPrecision: "f32" | "f64" };
}

export interface BenchResults {
  date: string;
  mode: "full" | "quick";
  rounds: number;
  machine: { cpu: string; cores: number; node: string; platform: string };
  lossTolerance: number;
  contestants: ContestantInfo[];
  workloads: WorkloadResult[];
  notices: string[];
  /** The end-to-end Fashion row (bench/e2e.ts), when it ran. */
  endToEnd?: EndToEndResult;
  /** The WebAssembly SIMD128 ceiling of the machine, one core (bench/ceiling.ts; absent in older results). */
  ceiling?: SimdCeiling;
  seconds: number;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** 1234567 → "1.23M", 45678 → "45.7k". */
export function si(x: number): string {
  if (!Number.isFinite(x)) return "—";
  if (x >= 1e6) return `${(x / 1e6).toFixed(x >= 1e7 ? 1 : 2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(x >= 1e4 ? 1 : 2)}k`;
  return x.toFixed(x >= 100 ? 0 : 1);
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (!a || !b || !Number.isFinite(a) || !Number.isFinite(b)) return "—";
  const r = a / b;
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

/** Throughput in the workload's unit (iterations/s for full-batch W2, else samples/s). */
export function rate(w: WorkloadResult, t: TrainingResult): number {
  return w.unit === "iterations/s" ? t.medianBatchesPerSecond : t.medianSamplesPerSecond;
}

export function renderMarkdown(r: BenchResults): string {
  const all = r.contestants.filter((c) => !c.skipped);
  // Training tables: the contestants that train; latency and batched inference add the inference peers.
  const ran = all.filter((c) => !c.inferenceOnly);
  const peers = ran.filter((c) => c.id !== "nnc");
  const latencyRan = all;
  const latencyPeers = all.filter((c) => c.id !== "nnc");
  const hasNnc = ran.some((c) => c.id === "nnc");
  const out: string[] = [];
  out.push("# Benchmark results", "");
  out.push(
    `Written by \`npm run bench\`${r.mode === "quick" ? " --quick" : ""} on ${r.date}: ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}. ` +
      `Median of ${r.rounds} interleaved rounds; every contestant trains the same net from the same initial parameters over the same batches. ` +
      `Method: docs/performance.md. Total run ${r.seconds.toFixed(0)} s.`,
    "",
  );
  if (r.notices.length) {
    out.push("Notices:", "");
    for (const n of r.notices) out.push(`- ${n}`);
    out.push("");
  }
  out.push("## Training throughput (higher is better)", "");
  out.push(`| workload | unit | ${ran.map((c) => c.label).join(" | ")} |`);
  out.push(`|---|---|${ran.map(() => "---:").join("|")}|`);
  for (const w of r.workloads) {
    const cells = ran.map((c) => {
      const t = w.training_results[c.id];
      if (!t) return "—";
      if (t.error) return "error";
      return si(rate(w, t)) + (t.lossAgrees === false ? " ⚠" : "");
    });
    out.push(`| ${w.id} ${w.title} | ${w.unit} | ${cells.join(" | ")} |`);
  }
  out.push("", "⚠ = final loss differs from the float64 reference beyond tolerance (see the loss table).", "");

  out.push("## Ratios: nnc ÷ peer (training throughput; > 1 means nnc is faster)", "");
  if (!hasNnc) out.push("nnc did not run in this run (see notices), so there are no nnc ratios yet.", "");
  out.push(`| workload | ${peers.map((c) => c.label).join(" | ")} |`);
  out.push(`|---|${peers.map(() => "---:").join("|")}|`);
  for (const w of r.workloads) {
    const n = w.training_results.nnc;
    const cells = peers.map((c) => {
      const p = w.training_results[c.id];
      return n && p && !n.error && !p.error ? ratio(rate(w, n), rate(w, p)) : "—";
    });
    out.push(`| ${w.id} | ${cells.join(" | ")} |`);
  }
  out.push("");

  const lat = r.workloads.filter((w) => w.latency);
  if (lat.length) {
    out.push("## Single-sample latency, µs per call (lower is better; W6: the W4 and W5 nets; W7, W8: the conv nets)", "");
    out.push(`| net | ${latencyRan.map((c) => c.label).join(" | ")} |`);
    out.push(`|---|${latencyRan.map(() => "---:").join("|")}|`);
    for (const w of lat) {
      const cells = latencyRan.map((c) => {
        const l = w.latency![c.id];
        return !l ? "—" : l.error ? "error" : l.medianMicros.toFixed(l.medianMicros >= 100 ? 0 : 2);
      });
      out.push(`| ${w.id} net (${w.net}) | ${cells.join(" | ")} |`);
    }
    out.push("", "Ratios peer ÷ nnc (> 1 means nnc answers faster):", "");
    out.push(`| net | ${latencyPeers.map((c) => c.label).join(" | ")} |`);
    out.push(`|---|${latencyPeers.map(() => "---:").join("|")}|`);
    for (const w of lat) {
      const n = w.latency!.nnc;
      const cells = latencyPeers.map((c) => {
        const p = w.latency![c.id];
        return n && p && !n.error && !p.error ? ratio(p.medianMicros, n.medianMicros) : "—";
      });
      out.push(`| ${w.id} net | ${cells.join(" | ")} |`);
    }
    out.push("");
  }

  const inf = r.workloads.filter((w) => w.inference);
  if (inf.length) {
    const measured = latencyRan.filter((c) => inf.some((w) => w.inference![c.id]));
    out.push("## Batched inference, samples/s (higher is better; one forward pass over the evaluation set, outputs computed)", "");
    out.push(`| net | samples a pass | ${measured.map((c) => c.label).join(" | ")} |`);
    out.push(`|---|---:|${measured.map(() => "---:").join("|")}|`);
    for (const w of inf) {
      const cells = measured.map((c) => {
        const b = w.inference![c.id];
        return !b ? "—" : b.error ? "error" : si(b.medianSamplesPerSecond);
      });
      const samples = Object.values(w.inference!)[0]?.samples ?? 0;
      out.push(`| ${w.id} net | ${samples.toLocaleString("en")} | ${cells.join(" | ")} |`);
    }
    const others = measured.filter((c) => c.id !== "nnc");
    out.push("", "Ratios nnc ÷ peer (> 1 means nnc is faster):", "");
    out.push(`| net | ${others.map((c) => c.label).join(" | ")} |`);
    out.push(`|---|${others.map(() => "---:").join("|")}|`);
    for (const w of inf) {
      const n = w.inference!.nnc;
      const cells = others.map((c) => {
        const p = w.inference![c.id];
        return n && p && !n.error && !p.error ? ratio(n.medianSamplesPerSecond, p.medianSamplesPerSecond) : "—";
      });
      out.push(`| ${w.id} net | ${cells.join(" | ")} |`);
    }
    out.push("");
  }

  if (r.endToEnd) out.push(...renderEndToEnd(r.endToEnd));
  out.push(...renderCeiling(r));
  out.push(...renderTargets(r));

  out.push("## Final loss after the timed training (same work → must agree)", "");
  out.push(`Tolerance: relative ${r.lossTolerance} against the float64 reference (float32 peers round once per operation).`, "");
  out.push(`| workload | evaluated on | ${ran.map((c) => c.label).join(" | ")} |`);
  out.push(`|---|---|${ran.map(() => "---:").join("|")}|`);
  for (const w of r.workloads) {
    const cells = ran.map((c) => {
      const t = w.training_results[c.id];
      if (!t || t.loss === null) return t?.error ? `error: ${t.error.slice(0, 60)}` : "—";
      const acc = t.accuracy === null ? "" : ` (${(t.accuracy * 100).toFixed(2)} %)`;
      const flag = t.lossAgrees === false ? ` ⚠ MISMATCH rel ${t.lossRelativeError!.toExponential(1)}` : "";
      return `${t.loss.toPrecision(6)}${acc}${flag}`;
    });
    out.push(`| ${w.id} | ${w.evaluationSamples} samples | ${cells.join(" | ")} |`);
  }
  out.push("");

  const anchored = ran.filter((c) => ANCHOR_THROUGHPUT[c.id]);
  if (anchored.length) {
    out.push("## Peers: this run next to ANCHORS.md (measured on an idle machine)", "");
    out.push("Each cell: this run / ANCHORS.md. A ratio well below 1 everywhere means the machine was busy during this run.", "");
    out.push(`| workload | ${anchored.map((c) => c.label).join(" | ")} |`);
    out.push(`|---|${anchored.map(() => "---:").join("|")}|`);
    const cell = (got: number | undefined, anchor: number | undefined, fmt: (x: number) => string) =>
      got === undefined || anchor === undefined || !Number.isFinite(got) ? "—" : `${fmt(got)} / ${fmt(anchor)} (${(got / anchor).toFixed(2)})`;
    for (const w of r.workloads) {
      const cells = anchored.map((c) => {
        const t = w.training_results[c.id];
        return cell(t && !t.error ? rate(w, t) : undefined, ANCHOR_THROUGHPUT[c.id]![w.id], si);
      });
      out.push(`| ${w.id} ${w.unit} | ${cells.join(" | ")} |`);
    }
    for (const w of lat) {
      const cells = anchored.map((c) => {
        const l = w.latency![c.id];
        return cell(l && !l.error ? l.medianMicros : undefined, ANCHOR_LATENCY[c.id]?.[w.id], (x) => `${x.toFixed(1)} µs`);
      });
      out.push(`| ${w.id === "W4" || w.id === "W5" ? "W6 " : ""}latency, ${w.id} net | ${cells.join(" | ")} |`);
    }
    out.push(
      "",
      "(For latency the ratio is this run ÷ anchor too, so above 1 means slower here. W7 and W8's PyTorch figures are issue 14's: OpenBLAS, one thread.)",
      "",
    );
  }

  const checked = r.workloads.filter((w) => w.firstForward);
  if (checked.length) {
    out.push("## First forward at the initial parameters (same net → same outputs)", "");
    out.push(
      `Largest |output − ${r.workloads.find((w) => w.referenceContestant)?.referenceContestant ?? "reference"} output| over the outputs of the first few evaluation samples, before any timing (a layout mix-up shows as ≥ 1e-2).`,
      "",
    );
    out.push(`| workload | ${ran.map((c) => c.label).join(" | ")} |`);
    out.push(`|---|${ran.map(() => "---:").join("|")}|`);
    for (const w of checked) {
      const cells = ran.map((c) => {
        const d = w.firstForward![c.id];
        return d === undefined ? "—" : d.toExponential(1);
      });
      out.push(`| ${w.id} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }

  out.push("## Workloads as run", "");
  out.push("| id | net | loss | training (ANCHORS.md) | timed work per round | data |");
  out.push("|---|---|---|---|---|---|");
  for (const w of r.workloads) {
    out.push(
      `| ${w.id} ${w.title} | ${w.net} | ${w.loss} | ${w.training} | ${w.samples.toLocaleString("en")} samples in ${w.batches.toLocaleString("en")} batches | ${w.data}${w.notice ? ` — ${w.notice}` : ""} |`,
    );
  }
  out.push("");
  const noted = r.workloads.filter((w) => w.notes && Object.keys(w.notes).length);
  if (noted.length) {
    out.push("How contestants configured themselves per workload:", "");
    for (const w of noted) for (const [id, n] of Object.entries(w.notes!)) out.push(`- ${w.id}, ${label(r, id)}: ${n}`);
    out.push("");
  }
  const builds = r.workloads.filter((w) => w.build);
  if (builds.length) {
    out.push("## nnc build (spec → formatted module)", "");
    out.push("| workload | build ms | source bytes | lines |", "|---|---:|---:|---:|");
    for (const w of builds)
      out.push(`| ${w.id} | ${w.build!.milliseconds.toFixed(0)} | ${w.build!.sourceBytes.toLocaleString("en")} | ${w.build!.sourceLines} |`);
    out.push("");
  }
  out.push("## Contestants", "");
  for (const c of r.contestants) out.push(`- **${c.label}** (\`${c.id}\`): ${c.skipped ? `skipped — ${c.skipped}` : c.description}`);
  out.push("");
  return out.join("\n");
}

/** A markdown table row of these cells. */
function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** GFLOP/s of a samples/s rate at `flops` a sample. */
function gflops(samplesPerSecond: number, flops: number): number {
  return (samplesPerSecond * flops) / 1e9;
}

/**
 * Every workload's arithmetic rate against the SIMD128 ceiling: nnc's training and batched-inference GFLOP/s
 * as a percentage of the ceiling of its precision, the peers' GFLOP/s beside it (native peers can pass 100 %:
 * they are not held to 4 lanes without FMA), and what the throughput targets against a peer would need.
 */
export function renderCeiling(r: BenchResults): string[] {
  const c = r.ceiling;
  const ws = r.workloads.filter((w) => w.flops);
  if (!c || ws.length === 0) return [];
  const pct = (g: number, ceiling: number): string => (Number.isFinite(g) ? `${((g / ceiling) * 100).toFixed(0)} %` : "—");
  const g = (x: number): string => (Number.isFinite(x) ? x.toFixed(x >= 10 ? 1 : 2) : "—");
  const trainers = r.contestants.filter((x) => !x.skipped && !x.inferenceOnly && x.id !== "nnc");
  const inferers = r.contestants.filter((x) => !x.skipped && x.id !== "nnc" && ws.some((w) => w.inference?.[x.id]));
  const out: string[] = [
    "## Arithmetic rate against the WebAssembly SIMD128 ceiling",
    "",
    `Ceiling of this machine, one core, measured in this run (bench/ceiling.ts): **f32x4 ${c.f32x4.toFixed(1)} GFLOP/s, f64x2 ${c.f64x2.toFixed(1)} GFLOP/s** — ${c.method}. ` +
      "A workload's GFLOP/s counts 2 flops per multiply-add of its matrix products (forward; weight gradient; input gradient of every layer but the first), " +
      "nothing for element-wise work or the optimiser, so 100 % is out of reach for a whole training step. % is of the ceiling of nnc's precision (f32x4 for f32 modules, f64x2 for f64).",
    "",
    row(["workload", "nnc precision", "training Mflop/sample", "nnc training GFLOP/s", "% of ceiling", ...trainers.map((x) => `${x.label} GFLOP/s`)]),
    row(["---", "---", "---:", "---:", "---:", ...trainers.map(() => "---:")]),
  ];
  const ceilingOf = (w: WorkloadResult): number => (w.flops!.nncPrecision === "f32" ? c.f32x4 : c.f64x2);
  for (const w of ws) {
    const f = w.flops!;
    const n = w.training_results.nnc;
    const ng = n && !n.error ? gflops(n.medianSamplesPerSecond, f.training) : NaN;
    const peers = trainers.map((x) => {
      const t = w.training_results[x.id];
      return t && !t.error ? g(gflops(t.medianSamplesPerSecond, f.training)) : "—";
    });
    out.push(row([w.id, f.nncPrecision, (f.training / 1e6).toPrecision(3), g(ng), pct(ng, ceilingOf(w)), ...peers]));
  }
  const inf = ws.filter((w) => w.inference?.nnc);
  if (inf.length) {
    out.push(
      "",
      "Batched inference (the forward's products only):",
      "",
      row(["net", "nnc GFLOP/s", "% of ceiling", ...inferers.map((x) => `${x.label} GFLOP/s`)]),
      row(["---", "---:", "---:", ...inferers.map(() => "---:")]),
    );
    for (const w of inf) {
      const b = w.inference!.nnc!;
      const ng = b.error ? NaN : gflops(b.medianSamplesPerSecond, w.flops!.inference);
      const peers = inferers.map((x) => {
        const p = w.inference![x.id];
        return p && !p.error ? g(gflops(p.medianSamplesPerSecond, w.flops!.inference)) : "—";
      });
      out.push(row([`${w.id} net`, g(ng), pct(ng, ceilingOf(w)), ...peers]));
    }
  }
  // What each training-throughput and batched-inference target needs from nnc, as GFLOP/s of products and % of the ceiling.
  const needs = TARGETS.flatMap((t) => {
    const w = ws.find((x) => x.id === t.workload);
    if (!w || w.flops!.training < 1e4) return [];
    const p = t.kind === "throughput" ? w.training_results[t.peer] : t.kind === "inference" ? w.inference?.[t.peer] : undefined;
    if (!p || p.error) return [];
    const flops = t.kind === "throughput" ? w.flops!.training : w.flops!.inference;
    const need = gflops(t.ratio * p.medianSamplesPerSecond, flops);
    return [
      `| ${t.workload} ${t.kind === "throughput" ? "training" : "batched inference"} ≥ ${t.ratio}× ${label(r, t.peer)} | ${g(need)} | ${pct(need, ceilingOf(w))} |`,
    ];
  });
  if (needs.length)
    out.push(
      "",
      "What the training and batched-inference targets need from nnc's products alone (nets of ≥ 10 kflop a training sample; above 100 % the target is out of reach of one core's SIMD128 however good the kernels):",
      "",
      "| target | needs GFLOP/s | % of ceiling |",
      "|---|---:|---:|",
      ...needs,
    );
  out.push("");
  return out;
}

function label(r: BenchResults, id: string): string {
  return r.contestants.find((c) => c.id === id)?.label ?? id;
}

/** The issue-7 and issue-14 targets (bench/targets.ts) against this run: met, or missed by how much and why. */
export function renderTargets(r: BenchResults): string[] {
  const label = new Map(r.contestants.map((c) => [c.id, c.label]));
  const rows: string[] = [];
  for (const t of TARGETS) {
    const w = r.workloads.find((x) => x.id === t.workload);
    let got: number | null = null;
    if (w && (t.kind === "throughput" || t.kind === "scaling")) {
      const n = w.training_results.nnc;
      const p = w.training_results[t.peer];
      if (n && p && !n.error && !p.error) got = t.kind === "throughput" ? rate(w, n) / rate(w, p) : rate(w, p) / rate(w, n);
    } else if (w && t.kind === "inference") {
      const n = w.inference?.nnc;
      const p = w.inference?.[t.peer];
      if (n && p && !n.error && !p.error) got = n.medianSamplesPerSecond / p.medianSamplesPerSecond;
    } else if (w?.latency) {
      const n = w.latency.nnc;
      const p = w.latency[t.peer];
      if (n && p && !n.error && !p.error) got = p.medianMicros / n.medianMicros;
    }
    const what =
      t.kind === "throughput"
        ? `${t.workload} training`
        : t.kind === "scaling"
          ? `${t.workload} training, more threads ÷ one`
          : t.kind === "inference"
            ? `batched inference, ${t.workload} net`
            : `${t.workload === "W4" || t.workload === "W5" ? "W6 " : ""}latency, ${t.workload} net`;
    const verdict =
      got === null
        ? "not measured in this run"
        : got >= t.ratio
          ? "met"
          : `**missed**: ${((got / t.ratio) * 100).toFixed(0)} % of the target. Why: ${t.whenMissed}`;
    rows.push(`| ${what} | ${label.get(t.peer) ?? t.peer} | ≥ ${t.ratio}× | ${got === null ? "—" : ratio(got, 1)} | ${verdict} |`);
  }
  return [
    "## Targets (issues 7, 14 and 16), this run",
    "",
    "Training and batched inference: nnc ÷ peer; latency: peer ÷ nnc; scaling: nnc on more threads ÷ nnc on one. All measured in this run.",
    "",
    "| target | peer | must reach | reached | verdict |",
    "|---|---|---:|---:|---|",
    ...rows,
    "",
  ];
}
