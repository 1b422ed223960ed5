"""Numba ReLU backward (alone, and with a bias gradient) and Dropout forward. Reference twin:
``minicnn.functional.elementwise``.

One pass with a select each, instead of NumPy's several: the ReLU's backward about 2x faster on
a first layer's output (LeNet-5: 64 x 28 x 28 x 6 values); Dropout's draws, mask and output in
one pass (NumPy: a draw array, compare, select, multiply), on blocks of images on minicnn's
threads. Each draw is made where it is used, from the seed alone: in the profile of
``python benchmarks/speed.py`` (2026-12-02), swedish_b's Dropout forwards took 1.95 s of a 32 s
epoch when ``Generator.random`` filled an array of draws first, 0.41 s of it in this kernel
(docs/results/speed-history.md).

``relu_backward_sum_rows`` does a Conv2D's ReLU backward and its bias gradient -- the sum of dz
over all rows, otherwise a second pass (BLAS's ``ones @ a``) -- in one pass, by blocks of rows
on minicnn's threads. It has no twin in ``minicnn.functional``: its reference is the two calls,
in ``minicnn.ops``.
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


# -- the ReLU's backward with a bias gradient ----------------------------------------------------
# The kernel sees the gradient as wide rows of L values, each holding L / F whole rows of F
# channels -- an image row of OW pixels x F channels for a Conv2D's (N, OH, OW, F) -- and sums
# them column by column into L float64 accumulators: the inner loop runs along L values and
# vectorises even where F is small (LeNet-5's first layer: rows of 168 values, not 6; a scratch
# version with rows of F was several times slower than the ReLU backward and BLAS's sum
# together there). Column k then adds into channel k % F. Each block of rows has its
# own accumulators; the blocks' sums are added in block order and rounded once to the array's
# dtype: more accurate than a float32 running sum, and the last bits may depend on the number
# of threads (the blocks).

@njit(nogil=True, cache=True)
def _fold_columns(column_sums, sums):
    """sums[j] (F,) = the sum of column_sums[k] (L,) over k with k % F == j."""
    sums[:] = 0.0
    for k in range(column_sums.size):
        sums[k % sums.size] += column_sums[k]


@njit(nogil=True, cache=True)
def _relu_backward_sum_rows_kernel(dy, y, dz, sums):
    """dz = dy where y > 0, else 0, and sums (F,) float64 = the sum of dz per channel (column
    % F); dy, y and dz are (rows, L)."""
    column_sums = np.zeros(dy.shape[1], dtype=np.float64)
    for r in range(dy.shape[0]):
        for k in range(dy.shape[1]):
            value = dy[r, k] if y[r, k] > 0 else 0
            dz[r, k] = value
            column_sums[k] += value
    _fold_columns(column_sums, sums)


def _wide_rows(a):
    """``a`` (..., W, F) or (R, F) as 2-D wide rows of W*F (or F) values; a view."""
    row = a.shape[-1] * (a.shape[-2] if a.ndim >= 3 else 1)
    return a.reshape(-1, row)


def relu_backward_sum_rows(dy, y):
    """``(dz, dbias)``: ``relu_backward(dy, y)`` and the sum of dz over all axes but the last,
    in one pass; dy and y of the same shape. Each block of rows on minicnn's threads sums into
    its own float64 ``sums``; small arrays run in one block (``by_images``)."""
    dy, y = np.ascontiguousarray(dy), np.ascontiguousarray(y)   # the wide rows must be views
    dz = np.empty(dy.shape, dtype=dy.dtype)                     # C order, as dy now
    dy_rows, y_rows, dz_rows = (_wide_rows(a) for a in (dy, y, dz))

    def block(start, stop):
        sums = np.empty(dy.shape[-1], dtype=np.float64)
        _relu_backward_sum_rows_kernel(dy_rows[start:stop], y_rows[start:stop],
                                       dz_rows[start:stop], sums)
        return sums
    partials = by_images(dy_rows.shape[0], block, values=dy.size)
    dbias = partials[0]
    for partial in partials[1:]:
        dbias += partial
    return dz, dbias.astype(dy.dtype)


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
    # With NUMBA_DISABLE_JIT=1 the kernel is Python on NumPy uint64 scalars, which warn at the
    # wrap-around modulo 2**64 that is the point (compiled, nothing warns); by_images then runs
    # one block on this thread, inside this errstate.
    with np.errstate(over="ignore"):
        by_images(n, lambda start, stop: _dropout_kernel(
            x_rows[start:stop].reshape(-1), np.uint64(seed), start * row, float(rate), scale,
            dtype(0.0), y_rows[start:stop].reshape(-1), mask_rows[start:stop].reshape(-1)),
            values=x.size)
    return y, mask
