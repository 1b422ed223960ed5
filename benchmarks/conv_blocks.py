"""A convolution's forward pass in blocks of images that stay in cache, against one big im2col.

    python benchmarks/conv_blocks.py [--workloads swedish_b chollet] [--images 1 2 4 8 16]

Done for the whole batch, Conv2D's forward pass writes all of ``x_cols`` (swedish_b's second
convolution: 25,088 rows x 288 values, 29 MB) and then multiplies it by the kernel: the product
reads it back from memory, because 29 MB does not fit in the caches. ``ops.im2col_matmul`` (the
Numba path, in training) does it a few images at a time on each thread -- im2col of the block,
then its product while the block's columns are still in cache: the same arithmetic (and, since
2026-12-02 evening, it keeps no x_cols: the backward pass makes the blocks again).

This times both on the Conv2D layers of the workloads of benchmarks/speed.py that run as
im2col + GEMM, with minicnn's threads as in training, each call after a pass over a 64 MB buffer
(in training, the other layers' work has pushed this layer's data out of the cache), and prints
milliseconds per call: "whole" is ``ops.im2col`` then ``ops.matmul``; "N img" is
``minicnn.kernels.conv.im2col_matmul`` with blocks of N images; "default" is its block size as
shipped (``BLOCK_BYTES`` of columns per block). Both sides get an input padded first (since
2026-12-02 Conv2D pads inside the im2col kernel instead; the columns are the same). No time is
asserted anywhere (docs/results/speed-history.md reads the output).
"""
import argparse

import numpy as np

import minicnn
from minicnn import backend, kernels, ops
from minicnn.bench.speed import WORKLOADS, _compiled, _timed
from minicnn.kernels import conv as kernels_conv
from minicnn.layers import Conv2D

EVICT_VALUES = 16_000_000          # 64 MB of float32: more than this machine's 32 MB L3


def forward_whole(x_padded, kernel2d, kernel_hw, strides_hw):
    """The reference pair of calls: im2col of the whole batch, then one (split) product."""
    x_cols = ops.im2col(x_padded, kernel_hw, strides_hw)
    return x_cols, ops.matmul(x_cols, kernel2d)


def forward_in_blocks(x_padded, kernel2d, kernel_hw, strides_hw, images_per_block=None):
    """z2d of ``kernels.im2col_matmul`` with blocks of ``images_per_block`` images (None: as
    shipped)."""
    if images_per_block is None:
        return kernels.im2col_matmul(x_padded, kernel2d, kernel_hw, strides_hw)
    shipped = kernels_conv.BLOCK_BYTES
    n, h, w, c = x_padded.shape
    (kh, kw), (sh, sw) = kernel_hw, strides_hw
    rows = ((h - kh) // sh + 1) * ((w - kw) // sw + 1)
    kernels_conv.BLOCK_BYTES = images_per_block * rows * kh * kw * c * x_padded.itemsize
    try:
        return kernels.im2col_matmul(x_padded, kernel2d, kernel_hw, strides_hw)
    finally:
        kernels_conv.BLOCK_BYTES = shipped


def median_ms(fn, evict, repeats):
    """Median milliseconds of ``fn()``, each call after ``evict()``."""
    times = []
    for _ in range(repeats):
        evict()
        times.append(_timed(fn))
    return 1e3 * float(np.median(times))


def conv_layers(name):
    """(layer, batch) for the im2col + GEMM Conv2D layers of one workload."""
    batch = WORKLOADS[name][2]
    for layer in _compiled(name).layers:
        if isinstance(layer, Conv2D) and not layer.one_channel:
            yield layer, batch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS),
                        default=list(WORKLOADS))
    parser.add_argument("--images", nargs="+", type=int, default=[1, 2, 4, 8, 16],
                        help="images per block")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=25)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    buffer = np.ones(EVICT_VALUES, np.float32)
    evict = lambda: buffer.sum()                                # noqa: E731
    minicnn.set_threads(args.threads)
    print(f"ms per forward pass (median of {args.repeats}, caches evicted before each), "
          f"{args.threads} threads")
    print(f"{'layer':24s} {'x_cols MB':>9s} {'whole':>7s} {'default':>7s} "
          + " ".join(f"{f'{k} img':>7s}" for k in args.images))
    try:
        with backend.training_threads():
            for name in args.workloads:
                for layer, batch in conv_layers(name):
                    x = rng.random((batch, *layer.input_shape), np.float32)
                    x_padded = ops.pad_nhwc(x, layer.pad_hw)
                    c = layer.input_shape[-1]
                    kernel2d = rng.random((np.prod(layer.kernel_size) * c, layer.filters),
                                          np.float32)
                    hw = (layer.kernel_size, layer.strides)
                    x_cols, z2d = forward_whole(x_padded, kernel2d, *hw)
                    sizes = [None] + args.images                  # None: the shipped block size
                    for k in sizes:                          # the blocks compute the same thing
                        got = forward_in_blocks(x_padded, kernel2d, *hw, k)
                        np.testing.assert_allclose(got, z2d, rtol=1e-4, atol=1e-3)
                    mb = x_cols.nbytes / 1e6
                    whole = median_ms(lambda: forward_whole(x_padded, kernel2d, *hw), evict,
                                      args.repeats)
                    blocks = [median_ms(lambda: forward_in_blocks(x_padded, kernel2d, *hw, k),
                                        evict, args.repeats) for k in sizes]
                    print(f"{name + ' ' + layer.layer_name:24s} {mb:9.1f} {whole:7.2f} "
                          + " ".join(f"{t:7.2f}" for t in blocks))
    finally:
        minicnn.set_threads(None)


if __name__ == "__main__":
    main()
