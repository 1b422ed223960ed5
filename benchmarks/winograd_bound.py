"""How much GEMM time Winograd's F(2x2, 3x3) could save on the speed workloads: an upper bound.

    python benchmarks/winograd_bound.py [--workloads swedish_b chollet] [--threads 2]

Winograd's F(2x2, 3x3) computes a 3x3, stride-1 convolution on 4x4 input tiles (stride 2, so
neighbouring tiles overlap by 2) that each give a 2x2 output tile. After transforming the tiles
(``V = B^T d B``) and the kernel (``U = G g G^T``), each of the 16 tile positions xi is one
matrix product over channels, ``M[xi] = V[xi] @ U[xi]`` with shapes (tiles, C_in) x (C_in, C_out),
where ``tiles = batch * ceil(H_out/2) * ceil(W_out/2)``: 16 multiplications per 2x2 output
tile and channel pair instead of 4 * 9 = 36, 2.25x fewer FLOPs (fewer still saved where H_out or
W_out is odd). Training needs three such passes (forward, input gradient with (C_out, C_in) products, kernel gradient with
(C_in, tiles) x (tiles, C_out) products) -- and the same three for im2col + GEMM, which is what
minicnn's Conv2D runs.

For every Conv2D of the workloads of benchmarks/speed.py that Winograd F(2x2, 3x3) applies to
(3x3 kernel, stride 1, more than one input channel), this times both sets of products on random
data of the right shapes, each the faster of ``minicnn.ops.matmul`` on minicnn's threads (how
fit runs its products) and NumPy's ``@`` with BLAS's own threads, and prints milliseconds per
training step and seconds per 60,000-image epoch. The transforms are *not* timed -- they are
extra passes over memory -- so the Winograd column is a lower bound on its time, and the saving
an upper bound. No time is asserted anywhere (docs/results/speed-history.md reads the output).
"""
import argparse

import numpy as np
from threadpoolctl import threadpool_limits

import minicnn
from minicnn import backend, ops
from minicnn.bench.speed import WORKLOADS, _compiled, best_seconds
from minicnn.layers import Conv2D

TILE_POSITIONS = 16          # F(2x2, 3x3): 4x4 input tiles
EPOCH_SAMPLES = 60_000


def winograd_convolutions(name):
    """(layer, batch, is_first) for the Conv2D layers of one workload where F(2x2, 3x3)
    applies."""
    batch = WORKLOADS[name][2]
    layers = _compiled(name).layers
    for layer in layers:
        if (isinstance(layer, Conv2D) and not layer.one_channel
                and tuple(layer.kernel_size) == (3, 3) and tuple(layer.strides) == (1, 1)):
            yield layer, batch, layer is layers[0]


def products(layer, batch, rng):
    """The three im2col products and the three Winograd product stacks of one training step."""
    oh, ow, c_out = layer.output_shape
    c_in = layer.input_shape[-1]
    rows, taps = batch * oh * ow, 9 * c_in
    tiles = batch * -(-oh // 2) * -(-ow // 2)
    x_cols, kernel2d = rng.random((rows, taps), np.float32), rng.random((taps, c_out), np.float32)
    dz2d = rng.random((rows, c_out), np.float32)
    v = rng.random((TILE_POSITIONS, tiles, c_in), np.float32)          # transformed input tiles
    u = rng.random((TILE_POSITIONS, c_in, c_out), np.float32)          # transformed kernel
    dm = rng.random((TILE_POSITIONS, tiles, c_out), np.float32)        # transformed output grad
    direct = {"forward": (x_cols, kernel2d), "dkernel": (x_cols.T, dz2d),
              "dx": (dz2d, kernel2d.T)}
    winograd = {"forward": (v, u), "dkernel": (v.transpose(0, 2, 1), dm),
                "dx": (dm, u.transpose(0, 2, 1))}
    return direct, winograd


def product_seconds(a, b, threads, seconds):
    """The faster of minicnn's split product and BLAS's own threads, for one product or a
    stack of them (a 3-d ``a`` and ``b``: one product per leading index)."""
    if a.ndim == 2:
        ours = lambda: ops.matmul(a, b)                                  # noqa: E731
    else:
        ours = lambda: [ops.matmul(a[i], b[i]) for i in range(len(a))]  # noqa: E731
    with backend.training_threads():
        t_ours = best_seconds(ours, seconds)
    with threadpool_limits(threads, user_api="blas"):
        t_blas = best_seconds(lambda: np.matmul(a, b), seconds)
    return min(t_ours, t_blas)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS),
                        default=["swedish_b", "chollet", "main004"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=0.5, help="timing per product and side")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    minicnn.set_threads(args.threads)
    print(f"ms per training step (forward / dkernel / dx), {args.threads} threads; "
          f"epoch = {EPOCH_SAMPLES:,} samples")
    print(f"{'layer':24s} {'shape (HxWxC_in->C_out)':>24s} {'im2col GEMMs':>24s} "
          f"{'Winograd GEMMs':>24s} {'saved s/epoch':>14s}")
    try:
        for name in args.workloads:
            total_direct = total_winograd = 0.0
            for layer, batch, is_first in winograd_convolutions(name):
                direct, winograd = products(layer, batch, rng)
                t_direct = [product_seconds(*direct[k], args.threads, args.seconds)
                            for k in direct]
                t_winograd = [product_seconds(*winograd[k], args.threads, args.seconds)
                              for k in winograd]
                if is_first:                   # fit computes no dx for the first layer
                    t_direct[2] = t_winograd[2] = 0.0
                steps = EPOCH_SAMPLES / batch
                saved = (sum(t_direct) - sum(t_winograd)) * steps
                total_direct += sum(t_direct) * steps
                total_winograd += sum(t_winograd) * steps
                h, w, c_in = layer.input_shape
                shape = f"{h}x{w}x{c_in}->{layer.output_shape[-1]}"
                fmt = lambda ts: " / ".join(f"{1e3 * t:.1f}" for t in ts)  # noqa: E731
                print(f"{name + ' ' + layer.layer_name:24s} {shape:>24s} {fmt(t_direct):>24s} "
                      f"{fmt(t_winograd):>24s} {saved:14.1f}")
            print(f"{name + ' total':24s} {'':>24s} {total_direct:22.1f} s "
                  f"{total_winograd:22.1f} s {total_direct - total_winograd:14.1f}")
    finally:
        minicnn.set_threads(None)


if __name__ == "__main__":
    main()
