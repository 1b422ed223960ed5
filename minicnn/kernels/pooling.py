"""Numba max-pooling. Reference twin: ``minicnn.functional.pooling`` (read that first).

``pool_argmax[n, oh, ow, c] = i*PW + j`` is the position of the first maximum in its window.
"""
import numpy as np
from numba import njit

from minicnn.kernels.blocks import by_images


@njit(nogil=True, cache=True)
def _max_pool_forward_kernel(x_rows, c, ph, pw, sh, sw, y_rows, argmax_rows):
    """Fill y and pool_argmax, viewed as (N, OH, OW*C), from x viewed as (N, H, W*C); each image
    writes only its own outputs.

    One output row at a time: for each window tap (i, j), first gather the value that tap sees
    for every (ow, c) of the row into one contiguous run (``tap_values``, OW*C values), then
    update the row's running maximum along that whole run by a select, not a branch. The
    compare-select loop is long and contiguous whatever C is, so the compiler vectorises it:
    LeNet-5's 6-channel pooling is 3x faster than with a loop over channels per window, 32 or
    64 channels about as fast (benchmarks/kernels.py; docs/results/speed-history.md).
    """
    n_images, oh, row_len = y_rows.shape
    ow = row_len // c
    best = np.empty(row_len, dtype=x_rows.dtype)          # the row's maximum so far, per (ow, c)
    best_k = np.empty(row_len, dtype=np.int32)            # ... and its position i*PW + j
    tap_values = np.empty(row_len, dtype=x_rows.dtype)
    for r in range(n_images * oh):
        n = r // oh
        o_h = r % oh
        for i in range(ph):
            x_row = x_rows[n, o_h * sh + i]
            for j in range(pw):
                k = np.int32(i * pw + j)
                for o_w in range(ow):                     # window (o_h, o_w) sees pixel o_w*SW + j
                    src = x_row[(o_w * sw + j) * c:(o_w * sw + j + 1) * c]
                    dst = tap_values[o_w * c:(o_w + 1) * c]
                    for ch in range(c):
                        dst[ch] = src[ch]
                if k == 0:
                    for q in range(row_len):
                        best[q] = tap_values[q]
                        best_k[q] = 0
                else:
                    # Replace only on a strictly larger value, so ties keep the first maximum
                    # (row-major window order), as np.argmax does.
                    for q in range(row_len):
                        larger = tap_values[q] > best[q]
                        best[q] = tap_values[q] if larger else best[q]
                        best_k[q] = k if larger else best_k[q]
        y_out = y_rows[n, o_h]
        k_out = argmax_rows[n, o_h]
        for q in range(row_len):
            y_out[q] = best[q]
            k_out[q] = best_k[q]


@njit(nogil=True, cache=True)
def _max_pool_backward_kernel(dy, pool_argmax, pw, sh, sw, dx):
    """Add dy into dx at each window's argmax. Overlapping windows of one image may hit the
    same pixel, different images never do: blocks of images may run at the same time."""
    n_images, oh, ow, c = dy.shape
    for n in range(n_images):
        for o_h in range(oh):
            for o_w in range(ow):
                for ch in range(c):
                    k = pool_argmax[n, o_h, o_w, ch]
                    dx[n, o_h * sh + k // pw, o_w * sw + k % pw, ch] += dy[n, o_h, o_w, ch]


def max_pool_forward(x, pool_hw, strides_hw):
    """Numba twin of ``minicnn.functional.pooling.max_pool_forward``."""
    n, h, w, c = x.shape
    ph, pw = pool_hw
    sh, sw = strides_hw
    oh = (h - ph) // sh + 1
    ow = (w - pw) // sw + 1
    y = np.empty((n, oh, ow, c), dtype=x.dtype)
    pool_argmax = np.empty((n, oh, ow, c), dtype=np.int32)
    x_rows = x.reshape(n, h, w * c)
    y_rows, argmax_rows = y.reshape(n, oh, ow * c), pool_argmax.reshape(n, oh, ow * c)
    by_images(n, lambda start, stop: _max_pool_forward_kernel(
        x_rows[start:stop], c, ph, pw, sh, sw, y_rows[start:stop], argmax_rows[start:stop]),
        values=x.size)
    return y, pool_argmax


@njit(nogil=True, cache=True)
def _max_pool_backward_tiled_kernel(dy, pool_argmax, ph, pw, dx):
    """The common case strides == pool_size: the windows tile the image without overlap, so
    every covered pixel is written exactly once (dy at the argmax, 0 elsewhere) and dx needs
    no zero-filling pass first. Each image writes only its own pixels."""
    n_images, oh, ow, c = dy.shape
    for r in range(n_images * oh):
        n = r // oh
        o_h = r % oh
        for o_w in range(ow):
            for i in range(ph):
                for j in range(pw):
                    k = i * pw + j
                    out = dx[n, o_h * ph + i, o_w * pw + j]
                    for ch in range(c):
                        out[ch] = dy[n, o_h, o_w, ch] if pool_argmax[n, o_h, o_w, ch] == k else 0


# The per-pixel tiled backward vectorises its loop over channels fully only when C is a multiple
# of VECTOR_LANES (float32 values in an AVX2 register); otherwise a scalar remainder runs at
# every pixel, and going one output row at a time is faster (LeNet-5's 6 channels: 1.42 -> 0.34
# ms, benchmarks/kernels.py; in a scratch sweep the row kernel won for 6, 10, 12 and 20
# channels and lost for 8, 16, 24, 32 and 64).
VECTOR_LANES = 8


@njit(nogil=True, cache=True)
def _max_pool_backward_tiled_rows_kernel(dy_rows, argmax_rows, c, ph, pw, dx_rows):
    """``_max_pool_backward_tiled_kernel`` for a channel count that is not a multiple of
    VECTOR_LANES, with dy and pool_argmax viewed as
    (N, OH, OW*C) and dx as (N, H, W*C): for each window tap (i, j), the values that tap
    receives along a whole output row (dy where the argmax is that tap, else 0) are selected in
    one contiguous run, then copied out to the tap's pixels."""
    n_images, oh, row_len = dy_rows.shape
    ow = row_len // c
    tap_values = np.empty(row_len, dtype=dy_rows.dtype)
    for r in range(n_images * oh):
        n = r // oh
        o_h = r % oh
        dy_row = dy_rows[n, o_h]
        argmax_row = argmax_rows[n, o_h]
        for i in range(ph):
            dx_row = dx_rows[n, o_h * ph + i]
            for j in range(pw):
                k = i * pw + j
                for q in range(row_len):
                    tap_values[q] = dy_row[q] if argmax_row[q] == k else 0
                for o_w in range(ow):                       # to pixel o_w*PW + j of the row
                    src = tap_values[o_w * c:(o_w + 1) * c]
                    dst = dx_row[(o_w * pw + j) * c:(o_w * pw + j + 1) * c]
                    for ch in range(c):
                        dst[ch] = src[ch]


def max_pool_backward(dy, pool_argmax, x_shape, pool_hw, strides_hw):
    """Numba twin of ``minicnn.functional.pooling.max_pool_backward``."""
    if tuple(pool_hw) == tuple(strides_hw):
        _, oh, ow, _ = dy.shape
        dx = np.empty(x_shape, dtype=dy.dtype)
        dx[:, oh * pool_hw[0]:] = 0                 # rows and columns "valid" pooling dropped
        dx[:, :, ow * pool_hw[1]:] = 0
        n, h, w, c = x_shape
        if c % VECTOR_LANES:
            dy_rows, argmax_rows = dy.reshape(n, oh, ow * c), pool_argmax.reshape(n, oh, ow * c)
            dx_rows = dx.reshape(n, h, w * c)
            by_images(n, lambda start, stop: _max_pool_backward_tiled_rows_kernel(
                dy_rows[start:stop], argmax_rows[start:stop], c, pool_hw[0], pool_hw[1],
                dx_rows[start:stop]), values=dy.size)
        else:
            by_images(n, lambda start, stop: _max_pool_backward_tiled_kernel(
                dy[start:stop], pool_argmax[start:stop], pool_hw[0], pool_hw[1],
                dx[start:stop]), values=dy.size)
        return dx
    dx = np.zeros(x_shape, dtype=dy.dtype)
    by_images(dy.shape[0], lambda start, stop: _max_pool_backward_kernel(
        dy[start:stop], pool_argmax[start:stop], pool_hw[1], strides_hw[0], strides_hw[1],
        dx[start:stop]), values=dy.size)
    return dx
