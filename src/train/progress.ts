// How a training run reports progress, in one of three forms:
// - "bar": a cli-progress bar on stderr when stderr is a terminal (epoch, batch, loss, accuracy, samples/s, ETA);
// - "plain": log lines on stdout when not a terminal, at most ~20 epoch lines per run plus the last;
// - "json": one JSON object per evaluated epoch on stdout ({"type":"epoch",…}), then one {"type":"done",…}.
// Epoch numbers shown to people are 1-based counts of epochs completed (module metrics are 0-based).
import cliProgress from "cli-progress";
import type { EpochMetrics, StopReason } from "../module-api.js";

export type ProgressMode = "bar" | "plain" | "json";

export interface RunInfo {
  model: string;
  /** Last epoch the run will reach (1-based count). */
  epochs: number;
  /** Epochs already done before this run (a resumed run's checkpoint); default 0. */
  startEpoch?: number;
  batchesPerEpoch: number;
  samples: number;
  batchSize: number;
  testSamples: number;
}

export interface RunEnd {
  epochs: number;
  stoppedBy: StopReason;
  /** The 1-based epoch whose weights were kept (early stopping's best; see plot-labels.ts keptEpoch); absent or null: not known. */
  keptEpoch?: number | null;
  seconds: number;
  loss: number | null;
  accuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
}

export interface ProgressReporter {
  start(info: RunInfo): void;
  /**
   * Training itself begins now (the worker has loaded the module, wasm compiled, and calls train()): the
   * clock of samples/s and seconds restarts here, so start-up is not counted as training time. Without
   * this call the clock runs from start().
   */
  trainingStarted(): void;
  /** A (throttled) batch update: 0-based epoch and batch, and the batch's training-mode loss. */
  batch(epoch: number, batch: number, loss: number): void;
  epoch(metrics: EpochMetrics): void;
  finish(end: RunEnd): void;
}

export interface Streams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export function chooseMode(json: boolean, stderrIsTTY: boolean): ProgressMode {
  return json ? "json" : stderrIsTTY ? "bar" : "plain";
}

/** Milliseconds from some fixed origin (performance.now by default; tests inject their own). */
export type Now = () => number;

export function createReporter(mode: ProgressMode, streams: Streams, now: Now = () => performance.now()): ProgressReporter {
  const clock = new Clock(now);
  if (mode === "json") return jsonReporter(streams, clock);
  if (mode === "bar") return barReporter(streams, clock);
  return plainReporter(streams, clock);
}

/**
 * Samples per second and elapsed time of training: from trainingStarted() (else from start()), and counting
 * only the samples trained since then (a resumed run's earlier epochs are not this run's work).
 */
class Clock {
  private started: number;
  private samplesBefore = 0;
  constructor(private readonly now: Now) {
    this.started = now();
  }
  restart(samplesBefore = 0): void {
    this.started = this.now();
    this.samplesBefore = samplesBefore;
  }
  seconds(): number {
    return (this.now() - this.started) / 1000;
  }
  /** `samples`: the samples trained so far, counted from the run's first epoch. */
  rate(samples: number): number {
    const s = this.seconds();
    return s > 0 ? Math.max(0, samples - this.samplesBefore) / s : 0;
  }
}

function startSamples(info: RunInfo): number {
  return (info.startEpoch ?? 0) * info.samples;
}

export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return "-";
  if (!Number.isFinite(value)) return String(value);
  return value.toFixed(digits);
}

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "-" : `${(value * 100).toFixed(2)}%`;
}

function metricsText(m: { loss: number | null; accuracy: number | null; testLoss?: number | null; testAccuracy?: number | null }): string {
  let text = `loss ${fmt(m.loss)}`;
  if (m.accuracy !== null) text += ` acc ${percent(m.accuracy)}`;
  if (m.testLoss !== undefined && m.testLoss !== null) text += ` | test loss ${fmt(m.testLoss)}`;
  if (m.testAccuracy !== undefined && m.testAccuracy !== null) text += ` acc ${percent(m.testAccuracy)}`;
  return text;
}

export function endText(end: RunEnd): string {
  const why: Record<StopReason, string> = {
    epochs: "all epochs done",
    loss_below: "loss target reached",
    accuracy_above: "accuracy target reached",
    early:
      end.keptEpoch !== undefined && end.keptEpoch !== null
        ? `early stopping: kept the weights of epoch ${end.keptEpoch}, the best on the validation data`
        : "early stopping (best weights kept)",
    interrupted: "interrupted (Ctrl-C): saved the weights after the last completed batch",
    callback: "stopped by callback",
    non_finite: "loss became non-finite: kept the weights of the last finite epoch",
  };
  return `stopped after ${end.epochs} epoch${end.epochs === 1 ? "" : "s"} (${why[end.stoppedBy]}) in ${end.seconds.toFixed(2)} s; final ${metricsText(end)}`;
}

function plainReporter({ stdout }: Streams, clock: Clock): ProgressReporter {
  let info: RunInfo;
  let every = 1;
  return {
    start(i) {
      info = i;
      clock.restart(startSamples(i));
      every = Math.max(1, Math.ceil(i.epochs / 20));
      stdout.write(
        `training ${i.model}: ${i.samples} samples${i.testSamples ? ` (+${i.testSamples} test)` : ""}, ${i.epochs} epochs of ${i.batchesPerEpoch} batch${i.batchesPerEpoch === 1 ? "" : "es"}\n`,
      );
    },
    trainingStarted() {
      clock.restart(startSamples(info));
    },
    batch() {},
    epoch(m) {
      const done = m.epoch + 1;
      if (done !== 1 && done % every !== 0 && done !== info.epochs) return;
      stdout.write(`epoch ${done}/${info.epochs} ${metricsText(m)} | ${Math.round(clock.rate(done * info.samples))} samples/s\n`);
    },
    finish(end) {
      stdout.write(`${endText(end)}\n`);
    },
  };
}

function jsonReporter({ stdout }: Streams, clock: Clock): ProgressReporter {
  let info: RunInfo;
  return {
    start(i) {
      info = i;
      clock.restart(startSamples(i));
    },
    trainingStarted() {
      clock.restart(startSamples(info));
    },
    batch() {},
    epoch(m) {
      const done = m.epoch + 1;
      const line = {
        type: "epoch",
        epoch: done,
        epochs: info.epochs,
        learningRate: m.learningRate,
        loss: m.loss,
        accuracy: m.accuracy,
        testLoss: m.testLoss ?? null,
        testAccuracy: m.testAccuracy ?? null,
        seconds: clock.seconds(),
        samplesPerSecond: clock.rate(done * info.samples),
      };
      stdout.write(`${JSON.stringify(line)}\n`);
    },
    finish(end) {
      stdout.write(`${JSON.stringify({ type: "done", ...end })}\n`);
    },
  };
}

function barReporter({ stderr, stdout }: Streams, clock: Clock): ProgressReporter {
  let info: RunInfo;
  let last: { loss: number | null; accuracy: number | null; testAccuracy?: number | null } = { loss: null, accuracy: null };
  const bar = new cliProgress.SingleBar(
    {
      format: "{bar} {percentage}% | epoch {epoch}/{epochs} batch {batch}/{batches} | loss {loss} acc {acc} | {rate} samples/s | ETA {eta_formatted}",
      stream: stderr as NodeJS.WritableStream,
      hideCursor: true,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (epoch: number, batch: number) => ({
    epoch: epoch + 1,
    epochs: info.epochs,
    batch: batch + 1,
    batches: info.batchesPerEpoch,
    loss: fmt(last.loss),
    acc: percent(last.accuracy),
    rate: Math.round(clock.rate(epoch * info.samples + Math.min(info.samples, (batch + 1) * info.batchSize))),
  });
  return {
    start(i) {
      info = i;
      clock.restart(startSamples(i));
      bar.start(i.epochs * i.batchesPerEpoch, 0, payload(0, -1));
    },
    trainingStarted() {
      clock.restart(startSamples(info));
    },
    batch(epoch, batch, loss) {
      if (last.accuracy === null) last = { ...last, loss };
      bar.update(epoch * info.batchesPerEpoch + batch + 1, payload(epoch, batch));
    },
    epoch(m) {
      last = m;
      bar.update((m.epoch + 1) * info.batchesPerEpoch, payload(m.epoch, info.batchesPerEpoch - 1));
    },
    finish(end) {
      bar.stop();
      stdout.write(`${endText(end)}\n`);
    },
  };
}
