"""Conv2D's products with x_cols made again in backward (as it runs them) against keeping it.

    python benchmarks/recompute_bound.py [--workloads swedish_b chollet] [--threads 2]

Until 2026-12-02 evening Conv2D's forward pass kept ``x_cols`` (swedish_b's second convolution:
25,088 rows x 288 values, 29 MB) for the kernel gradient ``x_cols^T @ dz2d`` of the backward
pass: the forward pass wrote it to memory and the backward pass read it back. The way
cuDNN-style "implicit GEMM" convolutions go keeps only the (9x smaller) input and makes each
block's columns again where they are needed, which Conv2D now does:

    forward : per block of images, im2col into one reused buffer, then its product
    backward: per block, im2col again, the block's share of dkernel2d = block^T @ dz_block,
              and dx_block = col2im(dz_block @ kernel2d^T) -- x_cols never leaves the cache

The same arithmetic, plus one more im2col; minus the write and the read of x_cols, and with the
kernel gradient as short products instead of one long one. This times both, forward + backward
products of every im2col Conv2D layer of the workloads of benchmarks/speed.py, on minicnn's
threads as in training, interleaved, and prints milliseconds per training step and seconds per
60,000-image epoch. "made again" is what Conv2D runs (``ops.im2col_matmul``,
``ops.im2col_matmul_backward``); "kept" is the earlier design, written out below. No time is
asserted anywhere (docs/results/speed-history.md reads the output).
"""
import argparse

import numpy as np

import minicnn
from minicnn import backend, ops
from minicnn.bench.speed import WORKLOADS, _compiled, _timed
from minicnn.kernels.blocks import by_images
from minicnn.kernels.conv import _col2im_kernel, _im2col_kernel, _images_per_block
from minicnn.layers import Conv2D

EPOCH_SAMPLES = 60_000


def kept(x_padded, kernel2d, dz2d, hw, input_gradient):
    """The earlier design: the forward pass writes each block's columns into a whole-batch
    x_cols that it keeps, the kernel gradient reads it back (``ops.matmul``, split over the
    threads), the input gradient's product and col2im go block by block."""
    (kh, kw), (sh, sw) = hw
    n, h, w, c = x_padded.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    rows = oh * ow
    x_rows = x_padded.reshape(n, h, w * c)
    per_block = _images_per_block(rows, kh * kw * c, x_padded.itemsize)
    x_cols = np.empty((n * rows, kh * kw * c), np.float32)
    z2d = np.empty((n * rows, kernel2d.shape[1]), np.float32)
    dx = np.zeros(x_padded.shape, np.float32) if input_gradient else None

    def blocks(start, stop):                           # (first, last, rows slice) of one thread
        for first in range(start, stop, per_block):
            last = min(first + per_block, stop)
            yield first, last, slice(first * rows, last * rows)

    def forward(start, stop):
        for first, last, part in blocks(start, stop):
            _im2col_kernel(x_rows[first:last], h, w, c, 0, 0, oh, ow, kh, kw, sh, sw,
                           x_cols[part])
            np.matmul(x_cols[part], kernel2d, out=z2d[part])

    def input_gradient_blocks(start, stop):
        dcols = np.empty((min(per_block, stop - start) * rows, kh * kw * c), np.float32)
        for first, last, part in blocks(start, stop):
            dblock = dcols[:(last - first) * rows]
            np.matmul(dz2d[part], kernel2d.T, out=dblock)
            _col2im_kernel(dblock, h, w, c, 0, 0, oh, ow, kh, kw, sh, sw,
                           dx.reshape(n, h, w * c)[first:last])

    by_images(n, forward)
    dkernel2d = ops.matmul(x_cols.T, dz2d)
    if input_gradient:
        by_images(n, input_gradient_blocks)
    return z2d, dkernel2d, dx


def made_again(x_padded, kernel2d, dz2d, hw, input_gradient):
    """Conv2D's products as it runs them (here on an input padded first; Conv2D pads inside
    the kernels, which gives the same products)."""
    z2d = ops.im2col_matmul(x_padded, kernel2d, *hw)
    dkernel2d, dx = ops.im2col_matmul_backward(x_padded, dz2d, kernel2d, *hw,
                                               input_gradient=input_gradient)
    return z2d, dkernel2d, dx


def im2col_layers(name):
    """(layer, batch, input_gradient) for the im2col + GEMM Conv2D layers of one workload."""
    batch = WORKLOADS[name][2]
    for layer in _compiled(name).layers:
        if isinstance(layer, Conv2D) and not layer.one_channel:
            yield layer, batch, layer.input_gradient_needed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS),
                        default=list(WORKLOADS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=20, help="interleaved timings of each")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    minicnn.set_threads(args.threads)
    print(f"forward + backward products of the im2col Conv2D layers, ms per training step "
          f"(median of {args.rounds} interleaved rounds), {args.threads} threads")
    print(f"{'workload':10s} {'layers':>6s} {'kept':>8s} {'made again':>10s} {'ratio':>6s} "
          f"{'s/epoch saved':>13s}")
    try:
        with backend.training_threads():
            for name in args.workloads:
                cases = []
                for layer, batch, input_gradient in im2col_layers(name):
                    x = rng.random((batch, *layer.input_shape), np.float32)
                    taps = int(np.prod(layer.kernel_size)) * layer.input_shape[-1]
                    kernel2d = rng.standard_normal((taps, layer.filters)).astype(np.float32)
                    dz2d = rng.standard_normal((batch * np.prod(layer.output_shape[:2]),
                                                layer.filters)).astype(np.float32)
                    cases.append((ops.pad_nhwc(x, layer.pad_hw), kernel2d, dz2d,
                                  (layer.kernel_size, layer.strides), input_gradient))
                for case in cases:                         # both compute the same products
                    for want, got in zip(kept(*case), made_again(*case)):
                        if want is not None:
                            np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-2)
                times = {kept: [], made_again: []}
                for _ in range(args.rounds):
                    for variant, seconds in times.items():
                        seconds.append(sum(_timed(lambda: variant(*case)) for case in cases))
                kept_ms, again_ms = (1e3 * float(np.median(times[v])) for v in (kept, made_again))
                steps = -(-EPOCH_SAMPLES // WORKLOADS[name][2])
                print(f"{name:10s} {len(cases):6d} {kept_ms:8.2f} {again_ms:10.2f} "
                      f"{again_ms / kept_ms:6.3f} {(kept_ms - again_ms) * steps / 1e3:13.2f}")
    finally:
        minicnn.set_threads(None)


if __name__ == "__main__":
    main()
