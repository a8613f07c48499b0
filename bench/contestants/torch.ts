// PyTorch peer: bench/torch_peer.py in a child process (Debian's python3-torch, float32, 1 or 2 threads: the
// faster in a probe; conv nets also probe oneDNN's convolution on and off). Which BLAS ran is in describe().
// The case is handed over as raw files in a temporary folder; the child times its own training loop,
// so pipe I/O is not counted. Skipped with a notice when no python3 here can `import torch`.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Contestant, type Evaluation, scoreOutputs } from "../contestant.js";
import type { BenchCase } from "../workloads.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "torch_peer.py");

/** The first python that can import torch: $NNC_PYTHON, python3 on PATH, then Debian's /usr/bin/python3 (pyenv shims hide it). */
export function findTorchPython(): string | null {
  const candidates = [process.env.NNC_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p);
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", "import torch, numpy"], { stdio: "ignore", timeout: 60_000 });
    if (r.status === 0) return py;
  }
  return null;
}

function raw(a: Float64Array | Float32Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export class TorchContestant implements Contestant {
  readonly id = "torch";
  // Debian links torch against libblas.so.3, whichever implementation the alternatives select: on this
  // machine OpenBLAS 0.3.21 (libopenblas0-pthread); describe() names the library the process loaded.
  label = "PyTorch (Debian python3-torch)";
  private python: string | null | undefined;
  private child: ChildProcessWithoutNullStreams | null = null;
  private lines: Interface | null = null;
  private pending: ((line: string) => void)[] = [];
  private folder: string | null = null;
  private caseWritten: BenchCase | null = null;
  private c!: BenchCase;
  private stderr = "";
  private lastNote: string | null = null;
  private latencyNote: string | null = null;

  /** `mode`: the training loop torch_peer.py runs (its NNC_TORCH_MODE); by default the one it picks, the fastest measured. */
  constructor(readonly mode?: "manual" | "autograd" | "optim") {}

  async available(): Promise<string | null> {
    if (this.python === undefined) this.python = findTorchPython();
    return this.python ? null : "PyTorch skipped: no python3 here can `import torch` (on Debian: apt-get install -y python3-torch)";
  }

  private start(): void {
    if (this.child) return;
    if (this.python === undefined) this.python = findTorchPython();
    if (!this.python) throw new Error("no python3 here can `import torch`");
    const env = this.mode ? { ...process.env, NNC_TORCH_MODE: this.mode } : process.env;
    const child = spawn(this.python!, [SCRIPT], { stdio: ["pipe", "pipe", "pipe"], env });
    child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.lines = createInterface({ input: child.stdout });
    this.lines.on("line", (line) => this.pending.shift()?.(line));
    child.on("exit", () => {
      for (const p of this.pending.splice(0)) p(JSON.stringify({ error: `torch peer exited: ${this.stderr.trim().slice(-500)}` }));
    });
    this.child = child;
  }

  private async call(msg: object): Promise<Record<string, unknown>> {
    this.start();
    const answer = new Promise<string>((resolve) => this.pending.push(resolve));
    this.child!.stdin.write(JSON.stringify(msg) + "\n");
    const out = JSON.parse(await answer) as Record<string, unknown>;
    if (typeof out.error === "string") throw new Error(`torch peer: ${out.error}`);
    return out;
  }

  /** Also names the label after what runs ("PyTorch 1.13, OpenBLAS 0.3.21 (Debian python3-torch)"). */
  async describe(): Promise<string> {
    const d = await this.call({ cmd: "describe" });
    if (typeof d.short === "string") this.label = `PyTorch ${d.short} (Debian python3-torch)`;
    return `${this.python}: ${d.text as string}`;
  }

  /** Writes the case's arrays once per case (every round of a workload reuses the folder). */
  private writeCase(c: BenchCase): string {
    if (this.caseWritten === c && this.folder) return this.folder;
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    const f = mkdtempSync(join(tmpdir(), "nnc-bench-torch-"));
    const w = c.workload;
    writeFileSync(
      join(f, "case.json"),
      JSON.stringify({
        image: w.net.image ?? null,
        layers: w.net.layers,
        loss: w.net.loss,
        learningRate: w.learningRate,
        shuffle: w.shuffle,
        count: c.data.count,
        inputs: c.data.inputs,
        outputs: c.data.outputs,
        evalCount: c.evaluation.count,
      }),
    );
    writeFileSync(join(f, "params.f64"), raw(c.params));
    writeFileSync(join(f, "xs.f32"), raw(Float32Array.from(c.data.xs)));
    writeFileSync(join(f, "ys.f32"), raw(Float32Array.from(c.data.ys)));
    writeFileSync(join(f, "eval-xs.f32"), raw(Float32Array.from(c.evaluation.xs)));
    writeFileSync(join(f, "indices.i32"), raw(c.plan.indices));
    writeFileSync(join(f, "starts.i32"), raw(c.plan.starts));
    writeFileSync(join(f, "sizes.i32"), raw(c.plan.sizes));
    writeFileSync(join(f, "epochs.i32"), raw(c.plan.epochs));
    this.folder = f;
    this.caseWritten = c;
    return f;
  }

  async setup(c: BenchCase): Promise<void> {
    if (this.c !== c) this.latencyNote = null;
    this.c = c;
    const out = await this.call({ cmd: "setup", folder: this.writeCase(c) });
    this.lastNote = typeof out.note === "string" ? out.note : null;
  }

  /** The loop, thread count and conv backend the probe chose for the last case set up. */
  note(): string | null {
    return this.lastNote === null ? null : this.lastNote + (this.latencyNote ? `; single-sample latency with ${this.latencyNote} (probed)` : "");
  }

  async forward(count: number): Promise<Float64Array> {
    const path = (await this.call({ cmd: "forward", count })).path as string;
    const b = readFileSync(path);
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }

  async train(): Promise<number> {
    return (await this.call({ cmd: "train" })).seconds as number;
  }

  async evaluate(): Promise<Evaluation> {
    const path = (await this.call({ cmd: "evaluate" })).path as string;
    const b = readFileSync(path);
    const out = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    const e = this.c.evaluation;
    return scoreOutputs(out, e.ys, e.count, this.c.data.outputs, this.c.workload.net.loss);
  }

  async parameters(): Promise<Float64Array> {
    const path = (await this.call({ cmd: "parameters" })).path as string;
    const b = readFileSync(path);
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }

  /** Seconds of one batched forward pass over the first `count` evaluation samples, timed inside Python (no pipe). */
  async batched(count: number): Promise<number> {
    const out = await this.call({ cmd: "batched", count });
    return out.seconds as number;
  }

  async latency(x: Float64Array, calls: number): Promise<number> {
    const out = await this.call({ cmd: "latency", x: Array.from(x), calls });
    if (typeof out.note === "string") this.latencyNote = out.note;
    return out.micros as number;
  }

  async dispose(): Promise<void> {}

  /** Ends the child and removes the case folder (the runner calls this once at the very end). */
  async close(): Promise<void> {
    if (this.child) {
      this.child.stdin.write(JSON.stringify({ cmd: "quit" }) + "\n");
      this.child.stdin.end();
      await new Promise((r) => this.child!.once("exit", r));
      this.child = null;
    }
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
    this.caseWritten = null;
  }
}
