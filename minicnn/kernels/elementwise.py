"""Numba ReLU backward and Dropout forward. Reference twin: ``minicnn.functional.elementwise``.

One pass with a select each, instead of NumPy's several: the ReLU's backward about 2x faster on
a first layer's output (LeNet-5: 64 x 28 x 28 x 6 values); Dropout's draws, mask and output in
one pass (NumPy: a draw array, compare, select, multiply), on blocks of images on minicnn's
threads. Each draw is made where it is used, from the seed alone: in the profile of
``python benchmarks/speed.py`` (2026-12-02), swedish_b's Dropout forwards took 1.95 s of a 32 s
epoch when ``Generator.random`` filled an array of draws first, 0.41 s of it in this kernel
(docs/results/speed-history.md).
"""
import numpy as np
from numba import njit

from minicnn.functional.elementwise import DRAW_BITS, GOLDEN_GAMMA, MIX_1, MIX_2
from minicnn.kernels.blocks import by_images


@njit(nogil=True, cache=True)
def _relu_backward_kernel(dy_flat, y_flat, dz_flat):
    for t in range(dz_flat.size):
        dz_flat[t] = dy_flat[t] if y_flat[t] > 0 else 0


def relu_backward(dy, y, out):
    """Numba twin of ``minicnn.functional.elementwise.relu_backward``; ``out`` C-contiguous."""
    if not out.flags.c_contiguous:         # reshape(-1) would copy, and the result be lost
        raise ValueError("relu_backward: out must be C-contiguous")
    _relu_backward_kernel(np.ascontiguousarray(dy).reshape(-1),
                          np.ascontiguousarray(y).reshape(-1), out.reshape(-1))


@njit(nogil=True, cache=True)
def _dropout_kernel(x_flat, seed, first, rate, scale, zero, y_flat, mask_flat):
    # x_flat[t] is value (first + t) of the whole array: it takes draw (first + t) of the stream
    for t in range(x_flat.size):
        z = seed + np.uint64(first + t + 1) * GOLDEN_GAMMA            # uint64 throughout
        z = (z ^ (z >> np.uint64(30))) * MIX_1
        z = (z ^ (z >> np.uint64(27))) * MIX_2
        z ^= z >> np.uint64(31)
        draw = np.float64(z >> np.uint64(64 - DRAW_BITS)) * 2.0 ** -DRAW_BITS
        kept = scale if draw >= rate else zero              # zero: scale's dtype, not an int
        mask_flat[t] = kept
        y_flat[t] = x_flat[t] * kept


def dropout(x, seed, rate):
    """Numba twin of ``minicnn.functional.elementwise.dropout`` (same arguments and result)."""
    dtype = x.dtype.type
    scale = dtype(1.0) / dtype(1.0 - rate)
    y, mask = np.empty_like(x), np.empty_like(x)
    n = x.shape[0]
    row = x.size // n if n else 0                   # values per image (or per sample)
    x_rows, y_rows, mask_rows = (a.reshape(n, row) for a in (x, y, mask))
    by_images(n, lambda start, stop: _dropout_kernel(
        x_rows[start:stop].reshape(-1), np.uint64(seed), start * row, float(rate), scale,
        dtype(0.0), y_rows[start:stop].reshape(-1), mask_rows[start:stop].reshape(-1)),
        values=x.size)
    return y, mask
