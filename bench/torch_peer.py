"""PyTorch peer for nnc's benchmark (bench/contestants/torch.ts starts it as a child process).

Reads one JSON command per line on stdin, answers one JSON line on stdout. The case (net, initial
parameters, data, batch plan) comes as raw little-endian files in a folder written by the bench, so it
trains exactly the same net from the same init over the same batches as the other contestants.
float32, CPU, 1 or 2 threads: whichever trains this case faster in a short probe before timing (a tuned user
sets torch.set_num_threads for their net; NNC_TORCH_THREADS fixes it instead). The training loop is the fastest of three measured (docs/performance.md, "PyTorch";
NNC_TORCH_MODE picks one to compare): "manual" (backprop written with ops under torch.no_grad, in-place
updates, like the TF.js raw-ops loop), "autograd" (loss.backward() then in-place updates under no_grad) and
"optim" (loss.backward() and torch.optim.SGD, the textbook loop).
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

# ANCHORS.md used two threads; on this 2-core machine one thread measured faster on W4/W5 whenever anything
# else ran (W4 102.6k vs 50.0k samples/s, W5 5.96k vs 2.18k at load 2), so each case probes both (setup).
FIXED_THREADS = os.environ.get("NNC_TORCH_THREADS")
MODE = os.environ.get("NNC_TORCH_MODE", "manual")


def loaded_libraries():
    """Paths of the shared libraries this process has mapped (to say which BLAS actually runs)."""
    try:
        with open("/proc/self/maps") as f:
            return sorted({line.split()[-1] for line in f if ".so" in line})
    except OSError:
        return []


def find_openblas():
    """The OpenBLAS torch loaded through libblas.so.3 (Debian's alternatives), as a ctypes handle, or None."""
    import ctypes

    for path in loaded_libraries():
        if "openblas" in os.path.basename(path):
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                return lib, path
            except (OSError, AttributeError):
                pass
    return None, None


OPENBLAS, OPENBLAS_PATH = find_openblas()


def set_threads(n):
    """torch.set_num_threads sets the OpenMP pool (ATen, oneDNN) but not OpenBLAS's own pthreads, which
    default to one per core: set both, so '1 thread' is one thread."""
    torch.set_num_threads(n)
    if OPENBLAS is not None:
        OPENBLAS.openblas_set_num_threads(n)


if FIXED_THREADS:
    set_threads(int(FIXED_THREADS))


def read(folder, name, dtype, shape=None):
    a = np.fromfile(os.path.join(folder, name), dtype=dtype)
    return a.reshape(shape) if shape is not None else a


class Case:
    def __init__(self, folder):
        self.folder = folder
        meta = json.load(open(os.path.join(folder, "case.json")))
        self.meta = meta
        self.layers = meta["layers"]
        # Convolutional nets: {"input": {channels, height, width}, "layers": [conv | maxpool, ...]} (bench/net.ts).
        self.image = meta.get("image")
        self.loss = meta["loss"]
        self.lr = meta["learningRate"]
        n, ni, no = meta["count"], meta["inputs"], meta["outputs"]
        self.xs = torch.from_numpy(read(folder, "xs.f32", np.float32, (n, ni)))
        self.ys = torch.from_numpy(read(folder, "ys.f32", np.float32, (n, no)))
        self.labels = self.ys.argmax(dim=1)
        ne = meta["evalCount"]
        self.eval_xs = torch.from_numpy(read(folder, "eval-xs.f32", np.float32, (ne, ni)))
        self.params0 = read(folder, "params.f64", np.float64)
        self.indices = read(folder, "indices.i32", np.int32).astype(np.int64)
        self.starts = read(folder, "starts.i32", np.int32)
        self.sizes = read(folder, "sizes.i32", np.int32)
        self.epochs = read(folder, "epochs.i32", np.int32)

    def batches(self, one_hot=False):
        """The plan's batches as (x, y-or-labels) pairs; workloads without shuffle repeat their first epoch's batches."""
        target = self.labels if self.loss == "categorical_crossentropy" and not one_hot else self.ys
        if not self.meta["shuffle"]:
            per_epoch = int(np.sum(self.epochs == 0))
            fixed = []
            for b in range(per_epoch):
                idx = torch.from_numpy(self.indices[self.starts[b]:self.starts[b] + self.sizes[b]])
                fixed.append((self.xs[idx].contiguous(), target[idx].contiguous()))
            return [fixed[b % per_epoch] for b in range(len(self.sizes))], None
        idx = [torch.from_numpy(self.indices[s:s + z]) for s, z in zip(self.starts, self.sizes)]
        return None, (idx, target)


class Peer:
    def __init__(self):
        self.case = None
        self.params = []
        self.image_params = []  # conv nets: [w, b] per conv layer, None per pool
        self.threads = {}  # case folder -> (threads, mkldnn) its probe chose

    def mode(self):
        # Conv nets train with autograd (loss.backward(), in-place SGD under no_grad): the manual loop has no
        # conv backward written with public ops, and per-op dispatch is small next to the conv work.
        return "autograd" if self.case.image and MODE == "manual" else MODE

    def make_params(self):
        c = self.case
        self.params = []
        self.image_params = []
        at = 0
        grad = self.mode() != "manual"
        if c.image:
            ch = c.image["input"]["channels"]
            for l in c.image["layers"]:
                if l["kind"] != "conv":
                    self.image_params.append(None)
                    continue
                f, k = l["filters"], l["kernel"]
                w = torch.tensor(c.params0[at:at + f * ch * k * k].reshape(f, ch, k, k), dtype=torch.float32, requires_grad=grad)
                at += f * ch * k * k
                b = torch.tensor(c.params0[at:at + f], dtype=torch.float32, requires_grad=grad)
                at += f
                self.image_params.append((w, b))
                self.params += [w, b]
                ch = f
        self.dense = []
        for l in c.layers:
            ni, no = l["inputs"], l["outputs"]
            w = torch.tensor(c.params0[at:at + ni * no].reshape(no, ni), dtype=torch.float32, requires_grad=grad)
            at += ni * no
            b = torch.tensor(c.params0[at:at + no], dtype=torch.float32, requires_grad=grad)
            at += no
            self.params += [w, b]
            self.dense += [w, b]
        self.opt = torch.optim.SGD(self.params, lr=c.lr) if self.mode() == "optim" else None

    def configs(self):
        """(threads, mkldnn) pairs the probe tries: 1 and 2 threads; for conv nets also with oneDNN's
        convolution (PyTorch's default on CPU) switched off, which falls back to im2col + BLAS."""
        mk = (True, False) if self.case.image else (torch.backends.mkldnn.enabled,)
        return [(n, m) for m in mk for n in (1, 2)]

    def apply(self, config):
        n, m = config
        set_threads(n)
        torch.backends.mkldnn.enabled = m

    def probe_threads(self):
        """Times ~0.1 s of training per configuration (twice each, three times for conv nets, alternating); keeps the fastest."""
        best = {}
        for _ in range(3 if self.case.image else 2):
            for config in self.configs():
                self.apply(config)
                self.make_params()
                t0 = time.perf_counter()
                steps = 0
                while time.perf_counter() - t0 < 0.1:
                    self.train(limit=8)
                    steps += 8
                rate = steps / (time.perf_counter() - t0)
                best[config] = max(best.get(config, 0), rate)
        return max(best, key=best.get)

    def setup(self, folder):
        if self.case is None or self.case.folder != folder:
            self.case = Case(folder)
        c = self.case
        # The manual loop computes softmax + cross-entropy's delta as (a − y) from one-hot targets.
        self.fixed, self.shuffled = c.batches(one_hot=self.mode() == "manual")
        if not FIXED_THREADS:
            if folder not in self.threads:
                self.threads[folder] = self.probe_threads()
            self.apply(self.threads[folder])
        self.make_params()
        n, m = self.threads.get(folder, (torch.get_num_threads(), torch.backends.mkldnn.enabled))
        conv = (", conv via oneDNN (mkldnn)" if m else ", conv via im2col + BLAS (mkldnn off)") if c.image else ""
        blas_threads = OPENBLAS.openblas_get_num_threads() if OPENBLAS is not None else "?"
        return {"note": f"{self.mode()} loop, {n} thread{'s' if n > 1 else ''} (torch {torch.get_num_threads()}, OpenBLAS {blas_threads}){conv}"}

    def features(self, x):
        """Conv nets: the image layers on x viewed as N×C×H×W, flattened C-major (as nnc and PyTorch do)."""
        img = self.case.image
        if not img:
            return x
        i = img["input"]
        x = x.view(x.shape[0], i["channels"], i["height"], i["width"])
        for l, p in zip(img["layers"], self.image_params):
            if l["kind"] == "conv":
                x = activate(l["activation"], F.conv2d(x, p[0], p[1], padding=l["padding"]))
            else:
                x = F.max_pool2d(x, l["size"])
        return x.flatten(1)

    def logits(self, x):
        """Forward to the last layer's pre-activation (the losses below take logits, as PyTorch code does)."""
        layers = self.case.layers
        x = self.features(x)
        for k, l in enumerate(layers):
            x = F.linear(x, self.dense[2 * k], self.dense[2 * k + 1])
            if k < len(layers) - 1:
                x = activate(l["activation"], x)
        return x

    def output(self, x):
        return activate(self.case.layers[-1]["activation"], self.logits(x))

    def loss_of(self, x, t):
        z = self.logits(x)
        kind = self.case.loss
        if kind == "mse":
            return F.mse_loss(activate(self.case.layers[-1]["activation"], z), t)
        if kind == "binary_crossentropy":
            # sigmoid outputs: summed over outputs, mean over the batch
            return F.binary_cross_entropy_with_logits(z, t, reduction="sum") / x.shape[0]
        return F.cross_entropy(z, t)  # softmax output, one-hot targets given as labels

    def train(self, limit=None):
        """The timed loop over the case's batches (the first `limit` of them for the thread probe)."""
        step = {"manual": self.manual_step, "autograd": self.autograd_step, "optim": self.optim_step}[self.mode()]
        t0 = time.perf_counter()
        if self.fixed is not None:
            for x, t in self.fixed[:limit]:
                step(x, t)
        else:
            idx, target = self.shuffled
            xs = self.case.xs
            for i in idx[:limit]:
                step(torch.index_select(xs, 0, i), torch.index_select(target, 0, i))
        return {"seconds": time.perf_counter() - t0}

    def optim_step(self, x, t):
        self.opt.zero_grad(set_to_none=True)
        self.loss_of(x, t).backward()
        self.opt.step()

    def autograd_step(self, x, t):
        for p in self.params:
            p.grad = None
        self.loss_of(x, t).backward()
        with torch.no_grad():
            for p in self.params:
                p.sub_(p.grad, alpha=self.case.lr)

    @torch.no_grad()
    def manual_step(self, x, t):
        """One SGD step with the backprop written out (the TF.js peer's raw-ops loop, in PyTorch)."""
        layers, params, lr = self.case.layers, self.dense, self.case.lr
        acts = [x]
        for k, l in enumerate(layers):
            acts.append(activate(l["activation"], torch.addmm(params[2 * k + 1], acts[k], params[2 * k].t())))
        out = acts[-1]
        count = x.shape[0]
        if self.case.loss == "mse":
            # 2(a − y)/(count·outputs) · act'(a)
            delta = (out - t).mul_(2 / (count * out.shape[1]))
            d = derivative(layers[-1]["activation"], out)
            if d is not None:
                delta.mul_(d)
        else:
            # sigmoid + binary CE and softmax + categorical CE: dL/dz = (a − y) / count
            delta = (out - t).mul_(1 / count)
        for k in range(len(layers) - 1, -1, -1):
            w, b = params[2 * k], params[2 * k + 1]
            back = torch.mm(delta, w) if k > 0 else None
            w.sub_(torch.mm(delta.t(), acts[k]), alpha=lr)
            b.sub_(delta.sum(0), alpha=lr)
            if back is not None:
                d = derivative(layers[k - 1]["activation"], acts[k])
                delta = back.mul_(d) if d is not None else back

    def evaluate(self):
        with torch.no_grad():
            out = self.output(self.case.eval_xs).numpy().astype(np.float32)
        path = os.path.join(self.case.folder, "eval-out.f32")
        out.tofile(path)
        return {"path": path}

    def forward(self, count):
        """Outputs for the first `count` evaluation samples at the current parameters (the bench's first-forward check)."""
        with torch.no_grad():
            out = self.output(self.case.eval_xs[:count]).numpy().astype(np.float64)
        path = os.path.join(self.case.folder, "forward-out.f64")
        out.tofile(path)
        return {"path": path}

    def parameters(self):
        flat = np.concatenate([p.detach().numpy().astype(np.float64).ravel() for p in self.params])
        path = os.path.join(self.case.folder, "params-out.f64")
        flat.tofile(path)
        return {"path": path}

    def batched(self, count):
        """Seconds of one forward pass over the first `count` evaluation samples (outputs computed, as
        onnxruntime's run; nnc's evaluate also scores them): the batched inference a PyTorch user runs."""
        x = self.case.eval_xs[:count]
        with torch.inference_mode():
            t0 = time.perf_counter()
            self.output(x)
            return {"seconds": time.perf_counter() - t0}

    def latency(self, x, calls):
        x = np.asarray(x, dtype=np.float32)
        with torch.inference_mode():
            def one():
                return self.output(torch.from_numpy(x).unsqueeze(0)).numpy()

            if self.case.image and not FIXED_THREADS:
                # A single-sample conv forward may prefer the other conv backend than training did: probe both.
                # The thread count stays the one training chose (at 2 threads each call waits for the other core).
                best = {}
                for _ in range(3):
                    for m in (True, False):
                        torch.backends.mkldnn.enabled = m
                        for _ in range(20):
                            one()
                        t0 = time.perf_counter()
                        for _ in range(100):
                            one()
                        best[m] = min(best.get(m, 1e9), time.perf_counter() - t0)
                torch.backends.mkldnn.enabled = min(best, key=best.get)
                self.latency_note = "oneDNN conv" if torch.backends.mkldnn.enabled else "im2col + BLAS conv (mkldnn off)"

            for _ in range(max(10, calls // 10)):
                one()
            t0 = time.perf_counter()
            for _ in range(calls):
                one()
            dt = time.perf_counter() - t0
        return {"micros": dt / calls * 1e6, "note": getattr(self, "latency_note", None)}

    def describe(self):
        threads = f"{FIXED_THREADS} (NNC_TORCH_THREADS)" if FIXED_THREADS else "1 or 2 per case, torch's and OpenBLAS's pools alike (the faster in a probe before timing; conv nets also probe oneDNN on/off)"
        short = OPENBLAS.openblas_get_config().decode().split()[1] if OPENBLAS is not None else "BLAS " + blas().split(",")[0]
        return {
            "text": f"torch {torch.__version__}, numpy {np.__version__}, threads {threads}, float32, BLAS: {blas()}, {MODE} loop (autograd for conv nets)",
            "short": f"{torch.__version__.split('a')[0].rsplit('.', 1)[0]}, OpenBLAS {short}" if OPENBLAS is not None else short,
        }


def blas():
    """What actually runs the matrix products: torch's build-time BLAS_INFO, and the library it loaded."""
    cfg = torch.__config__.show()
    info = "unknown"
    for part in cfg.replace("\n", ",").split(","):
        if "BLAS_INFO" in part:
            info = part.split("=")[-1].strip()
            break
    if OPENBLAS is not None:
        config = OPENBLAS.openblas_get_config().decode()
        loaded = f"{config.split(' NO_')[0].split(' DYNAMIC')[0]} ({'pthread' if 'pthread' in OPENBLAS_PATH else 'openmp' if 'openmp' in OPENBLAS_PATH else 'serial'} build, {OPENBLAS_PATH}; {' '.join(config.split()[2:])})"
    else:
        libs = [os.path.basename(p) for p in loaded_libraries() if "blas" in p or "mkl" in p]
        loaded = ", ".join(libs) or "no BLAS library found in the process's maps"
    dnnl = [os.path.basename(p) for p in loaded_libraries() if "dnnl" in p or "mkldnn" in p]
    return f"build {info}, loaded {loaded}; oneDNN {dnnl[0] if dnnl else 'built in' if torch.backends.mkldnn.is_available() else 'absent'}"


def activate(kind, z):
    if kind == "sigmoid":
        return torch.sigmoid(z)
    if kind == "tanh":
        return torch.tanh(z)
    if kind == "relu":
        return torch.relu(z)
    if kind == "softmax":
        return torch.softmax(z, dim=1)
    return z


def derivative(kind, a):
    """d(act)/dz from the activation's output a; None for linear (softmax is fused with its loss)."""
    if kind == "sigmoid":
        return a - a * a
    if kind == "tanh":
        return 1 - a * a
    if kind == "relu":
        return (a > 0).to(a.dtype)
    return None


def main():
    peer = Peer()
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        cmd = msg["cmd"]
        try:
            if cmd == "quit":
                break
            if cmd == "setup":
                out = peer.setup(msg["folder"])
            elif cmd == "train":
                out = peer.train()
            elif cmd == "evaluate":
                out = peer.evaluate()
            elif cmd == "forward":
                out = peer.forward(msg["count"])
            elif cmd == "parameters":
                out = peer.parameters()
            elif cmd == "batched":
                out = peer.batched(msg["count"])
            elif cmd == "latency":
                out = peer.latency(msg["x"], msg["calls"])
            elif cmd == "describe":
                out = peer.describe()
            else:
                out = {"error": f"unknown command {cmd}"}
        except Exception as e:  # reported to the bench, which prints it
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
