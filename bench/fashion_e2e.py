"""The bench's end-to-end Fashion-MNIST row (issue 16): `nnc train specs/fashion.nn` against an idiomatic
PyTorch script of the same network, epochs, batch, optimiser and schedule.

    python3 bench/fashion_e2e.py nnc --epochs N [--threads T] -- node bin/nnc.js train …
    python3 bench/fashion_e2e.py torch --epochs N --threads T --data DIR

Each side runs as a child process of this script, so both are measured the same way: wall time from
start to exit (data loading, training, evaluation and, for nnc, writing its run folder), and the child's
peak resident memory (getrusage RUSAGE_CHILDREN ru_maxrss). Prints one JSON line.

The PyTorch side is what a PyTorch user writes: torchvision-free loading of the same gzip IDX files
(numpy), pixels / 255, nn.Sequential(784→256 ReLU → 128 ReLU → 10), PyTorch's default init, a
DataLoader over a TensorDataset (batch 64, shuffle), Adam(lr=0.001), CosineAnnealingLR(T_max=epochs)
stepped once per epoch (nnc's `schedule cosine`: the same per-epoch values), CrossEntropyLoss, and per
epoch the running training loss and a test-set pass for loss and accuracy (nnc evaluates the training set
and the test set after every epoch).
"""
import gzip
import json
import os
import resource
import subprocess
import sys
import time


def idx(path):
    import numpy as np

    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def torch_main(epochs, threads, folder):
    import numpy as np
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    torch.set_num_threads(threads)
    torch.manual_seed(1)
    load = lambda name: idx(os.path.join(folder, name))
    x_train = torch.from_numpy(load("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255)
    y_train = torch.from_numpy(load("train-labels-idx1-ubyte.gz").astype(np.int64))
    x_test = torch.from_numpy(load("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255)
    y_test = torch.from_numpy(load("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)
    accuracy = float("nan")
    for _ in range(epochs):
        model.train()
        running = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            running += loss.item() * len(xb)
        schedule.step()
        model.eval()
        with torch.no_grad():
            logits = model(x_test)
            test_loss = loss_fn(logits, y_test).item()
            accuracy = (logits.argmax(1) == y_test).float().mean().item()
        print(json.dumps({"type": "epoch", "loss": running / len(x_train), "testLoss": test_loss, "testAccuracy": accuracy}), flush=True)
    print(json.dumps({"type": "done", "testAccuracy": accuracy}), flush=True)


def measured(command):
    """Runs command as a child; its stdout lines, wall seconds and peak RSS in bytes."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return done.stdout.splitlines(), seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def last_test_accuracy(lines):
    accuracy = None
    for line in lines:
        if line.startswith("{"):
            row = json.loads(line)
            if row.get("type") == "epoch" and row.get("testAccuracy") is not None:
                accuracy = float(row["testAccuracy"])
    return accuracy


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(description="the bench's end-to-end Fashion-MNIST row")
    parser.add_argument("side", choices=["nnc", "torch", "torch-child"])
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", help="the Fashion-MNIST folder (torch)")
    # nnc's command line follows `--` (split here: argparse's REMAINDER would also take the options).
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    if args.side == "torch-child":
        torch_main(args.epochs, args.threads, args.data)
        return
    if args.side == "torch":
        child = [sys.executable, __file__, "torch-child", "--epochs", str(args.epochs), "--threads", str(args.threads), "--data", args.data]
        lines, seconds, rss = measured(child)
        import torch

        extra = {"torch": torch.__version__}
    else:
        lines, seconds, rss = measured(command)
        extra = {}
    result = {"side": args.side, "epochs": args.epochs, "threads": args.threads, "seconds": seconds, "peakRssBytes": rss}
    print(json.dumps({**result, "testAccuracy": last_test_accuracy(lines), **extra}))


if __name__ == "__main__":
    main(sys.argv[1:])
