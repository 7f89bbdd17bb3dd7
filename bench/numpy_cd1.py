#!/usr/bin/env python3
"""The numpy peer of rbm-bench: a plain numpy CD-1, as a user would write it.

784 x 500, batch 100, float32, momentum. The same 5 matrix products as RBM Studio's CD-1:
  h0 = sigmoid(v W + c), sampled; v1 = sigmoid(h0 W^T + b); h1 = sigmoid(v1 W + c);
  dW = v^T h0 - v1^T h1.

Two ways to run it:
  numpy_cd1.py [--seconds S] [--data FILE]   one measurement, printed as "rate WALL CPU"
  numpy_cd1.py --serve [--data FILE]         rbm-bench's peer: answers "run S" lines on stdin
                                             with "rate WALL CPU" (samples per wall second and
                                             per CPU-second of this thread), so that rbm-bench
                                             can alternate it with its own CD-1 in one run.
FILE holds uint8 pixels, 784 per example (rbm-bench writes its embedded digits there); without
it, synthetic digits with about 19% non-zero pixels are used.

BLAS threads: one, like RBM Studio's training thread. Set through OpenBLAS's own call, not the
environment: OPENBLAS_* variables are left as the caller has them (on some processors they are
set on purpose; see the project notes on benchmarking numpy).
"""
import argparse
import ctypes
import sys
import time

import numpy as np

VISIBLE, HIDDEN, BATCH = 784, 500, 100
LEARNING_RATE, MOMENTUM = np.float32(0.01), np.float32(0.5)


def blas_library():
    """The BLAS library numpy has loaded, its OpenBLAS handle (or None) and a description."""
    path = ""
    with open("/proc/self/maps") as maps:
        for line in maps:
            name = line.split()[-1]
            if "blas" in name.rsplit("/", 1)[-1] or "openblas" in name:
                path = name
                if "openblas" in name:
                    break
    if not path:
        return None, "BLAS unknown"
    try:
        lib = ctypes.CDLL(path)
        corename = lib.openblas_get_corename
    except (OSError, AttributeError):
        return None, path + " (not OpenBLAS)"
    corename.restype = ctypes.c_char_p
    config = lib.openblas_get_config
    config.restype = ctypes.c_char_p
    version = config().decode().split()[:2] if config() else ["OpenBLAS"]
    return lib, "%s (%s kernels)" % (" ".join(version), corename().decode())


def single_thread(lib):
    if lib is not None and hasattr(lib, "openblas_set_num_threads"):
        lib.openblas_set_num_threads(1)
        return lib.openblas_get_num_threads()
    return 1  # the reference BLAS has no threads


def load_data(path):
    if path:
        pixels = np.fromfile(path, dtype=np.uint8)
        return pixels.reshape(-1, VISIBLE).astype(np.float32) / np.float32(255)
    rng = np.random.default_rng(1)
    data = rng.random((2000, VISIBLE), dtype=np.float32)
    data[rng.random(data.shape) > 0.19] = 0
    return data


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


class Cd1:
    def __init__(self, data):
        rng = np.random.default_rng(7)
        self.rng = rng
        self.data = data
        self.W = (rng.standard_normal((VISIBLE, HIDDEN)) * 0.01).astype(np.float32)
        self.b = np.zeros(VISIBLE, np.float32)
        self.c = np.zeros(HIDDEN, np.float32)
        self.vW = np.zeros_like(self.W)
        self.vb = np.zeros_like(self.b)
        self.vc = np.zeros_like(self.c)
        self.next = 0

    def batch(self):
        if self.next + BATCH > len(self.data):
            self.next = 0
        v = self.data[self.next:self.next + BATCH]
        self.next += BATCH
        return v

    def step(self):
        v = self.batch()
        h0 = sigmoid(v @ self.W + self.c)
        h0_sample = (self.rng.random(h0.shape, dtype=np.float32) < h0).astype(np.float32)
        v1 = sigmoid(h0_sample @ self.W.T + self.b)
        h1 = sigmoid(v1 @ self.W + self.c)
        dW = v.T @ h0 - v1.T @ h1
        scale = LEARNING_RATE / BATCH
        self.vW = MOMENTUM * self.vW + scale * dW
        self.vb = MOMENTUM * self.vb + scale * (v - v1).sum(axis=0)
        self.vc = MOMENTUM * self.vc + scale * (h0 - h1).sum(axis=0)
        self.W += self.vW
        self.b += self.vb
        self.c += self.vc

    def rate(self, seconds):
        """Samples per wall second and per CPU-second of this thread, over about `seconds`."""
        for _ in range(3):
            self.step()
        n = 0
        start, cpu_start = time.perf_counter(), time.thread_time()
        elapsed = 0.0
        while n < 5 or elapsed < seconds:
            self.step()
            n += 1
            elapsed = time.perf_counter() - start
        cpu = max(1e-9, time.thread_time() - cpu_start)
        return n * BATCH / elapsed, n * BATCH / cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--data", default="")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    lib, blas = blas_library()
    threads = single_thread(lib)
    cd = Cd1(load_data(args.data))
    cd.rate(0.2)  # first-touch and BLAS buffers out of the measurement
    assert cd.W.dtype == np.float32 and np.isfinite(cd.W).all()
    print("ready numpy %s on %s, %d BLAS thread%s, Python %s" % (
        np.__version__, blas, threads, "" if threads == 1 else "s", sys.version.split()[0]), flush=True)
    if not args.serve:
        print("rate %.1f %.1f" % cd.rate(args.seconds), flush=True)
        return
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["run"] and len(words) == 2:
            print("rate %.1f %.1f" % cd.rate(float(words[1])), flush=True)
        elif words[:1] == ["quit"]:
            break


if __name__ == "__main__":
    main()
