"""The matrix products of the speed workloads' convolutions: how close to BLAS's best they run.

    python benchmarks/matmul.py [--workloads swedish_b] [--threads 2]

For every Conv2D of the workloads of benchmarks/speed.py (at their batch sizes) that runs as
im2col + GEMM -- all but the one-channel first layers, which Conv2D sums tap by tap -- the three
products of a training step -- forward ``x_cols @ kernel2d``, kernel gradient
``x_cols^T @ dz2d``, input gradient ``dz2d @ kernel2d^T`` -- in GFLOP/s:

* ``blas 1``: NumPy's ``@`` with BLAS on one thread;
* ``blas N``: NumPy's ``@`` with BLAS on ``--threads`` threads (its own thread pool);
* ``minicnn N``: ``minicnn.ops.matmul`` inside training, split on ``--threads`` of minicnn's
  threads with BLAS single-threaded (how fit runs Dense's products; Conv2D's three run on the
  same threads, but a few images at a time next to their im2col / col2im --
  ``ops.im2col_matmul``, ``ops.im2col_matmul_backward``, benchmarks/conv_blocks.py,
  benchmarks/recompute_bound.py).

The first line is a square 1024x1024 product on one BLAS thread, a reference for "as fast as
this BLAS goes". No time is asserted anywhere (docs/results/speed-history.md reads the output).
"""
import argparse

import numpy as np
from threadpoolctl import threadpool_limits

import minicnn
from minicnn import backend, ops
from minicnn.bench.speed import WORKLOADS, _compiled, best_seconds
from minicnn.layers import Conv2D


def conv_products(name, rng):
    """(label, a, b) for the three products of every Conv2D of one workload."""
    batch = WORKLOADS[name][2]
    model = _compiled(name)
    for layer in model.layers:
        if not isinstance(layer, Conv2D) or layer.one_channel:   # one channel: no products
            continue
        oh, ow, f = layer.output_shape
        kh, kw = layer.kernel_size
        rows, taps = batch * oh * ow, kh * kw * layer.input_shape[-1]
        x_cols = rng.random((rows, taps), dtype=np.float32)
        kernel2d = rng.random((taps, f), dtype=np.float32)
        dz2d = rng.random((rows, f), dtype=np.float32)
        label = f"{name} {layer.layer_name}"
        yield label, "forward", x_cols, kernel2d
        yield label, "dkernel", x_cols.T, dz2d
        if layer is not model.layers[0]:          # fit computes no dx for the first layer
            yield label, "dx", dz2d, kernel2d.T


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=0.3, help="timing per product and side")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    square = rng.random((1024, 1024), dtype=np.float32)
    with threadpool_limits(1, user_api="blas"):
        peak = 2 * 1024 ** 3 / best_seconds(lambda: square @ square, args.seconds) / 1e9
    print(f"square 1024x1024 on one BLAS thread: {peak:.0f} GFLOP/s")
    n = args.threads
    print(f"{'product':28s} {'kind':8s} {'M x K x N':>20s} {'blas 1':>8s} {'blas ' + str(n):>8s} "
          f"{'minicnn ' + str(n):>10s}  (GFLOP/s)")
    minicnn.set_threads(n)
    try:
        for name in args.workloads:
            for label, kind, a, b in conv_products(name, rng):
                gflop = 2 * a.shape[0] * a.shape[1] * b.shape[1] / 1e9
                with threadpool_limits(1, user_api="blas"):
                    one = best_seconds(lambda: a @ b, args.seconds)
                with threadpool_limits(n, user_api="blas"):
                    blas_n = best_seconds(lambda: a @ b, args.seconds)
                with backend.training_threads():
                    ours = best_seconds(lambda: ops.matmul(a, b), args.seconds)
                shape = f"{a.shape[0]}x{a.shape[1]}x{b.shape[1]}"
                print(f"{label:28s} {kind:8s} {shape:>20s} {gflop / one:8.0f} "
                      f"{gflop / blas_n:8.0f} {gflop / ours:10.0f}")
    finally:
        minicnn.set_threads(None)


if __name__ == "__main__":
    main()
