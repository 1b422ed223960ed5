"""Numba im2col / col2im. Reference twin: ``minicnn.functional.conv`` (read that first).

    x_cols[(n, oh, ow), (i, j, c)] = x[n, oh*SH + i, ow*SW + j, c]
"""
import numpy as np
from numba import njit

from minicnn.kernels.blocks import by_images


@njit(nogil=True, cache=True)
def _im2col_kernel(x_rows, h, w, c, kh, kw, sh, sw, x_cols):
    """Fill x_cols (N*OH*OW, KH*KW*C) from x_rows, the input viewed as (N, H, W*C).

    In NHWC one kernel row i of a window -- KW pixels x C channels -- is a contiguous span of
    KW*C values in the input row, and lands in a contiguous span of x_cols; so the inner loop
    copies spans instead of single values. Both spans are taken as 1-D slices first and
    indexed by the loop variable alone: then the compiler sees that no index can be negative
    (Numba wraps negative indices, as Python does) and vectorises the copy -- 3-7x faster
    on 6 to 64 channels than indexing ``x_cols[row, i * span + t]`` directly (benchmarks/kernels.py;
    docs/results/speed-history.md).
    Each image writes only its own block of x_cols rows, so blocks of images can be filled at
    the same time (``by_images``).
    """
    n_images = x_rows.shape[0]
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    span = kw * c
    for r in range(n_images * oh):
        n = r // oh
        o_h = r % oh
        for o_w in range(ow):
            row = (n * oh + o_h) * ow + o_w
            start = o_w * sw * c                       # first value of the window in a row
            for i in range(kh):
                src = x_rows[n, o_h * sh + i, start:start + span]
                dst = x_cols[row, i * span:(i + 1) * span]
                for t in range(span):
                    dst[t] = src[t]


@njit(nogil=True, cache=True)
def _col2im_kernel(x_cols, h, w, c, kh, kw, sh, sw, dx_rows):
    """Accumulate x_cols (N*OH*OW, KH*KW*C) into dx_rows, dx viewed as (N, H, W*C), which must
    start at zero. Spans of KW*C values, taken as 1-D slices, as in ``_im2col_kernel``.

    Overlapping windows of one image add into the same pixels, so an image is never split
    between threads; different images never share a pixel (``by_images`` splits by images).
    """
    n_images = dx_rows.shape[0]
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    span = kw * c
    for n in range(n_images):
        for o_h in range(oh):
            for o_w in range(ow):
                row = (n * oh + o_h) * ow + o_w
                start = o_w * sw * c
                for i in range(kh):
                    src = x_cols[row, i * span:(i + 1) * span]
                    dst = dx_rows[n, o_h * sh + i, start:start + span]
                    for t in range(span):
                        dst[t] += src[t]


def im2col(x, kernel_hw, strides_hw):
    """Numba twin of ``minicnn.functional.conv.im2col`` (same arguments and result)."""
    n, h, w, c = x.shape
    kh, kw = kernel_hw
    sh, sw = strides_hw
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    x_cols = np.empty((n * oh * ow, kh * kw * c), dtype=x.dtype)
    x_rows = x.reshape(n, h, w * c)
    rows = oh * ow                                      # x_cols rows per image
    by_images(n, lambda start, stop: _im2col_kernel(
        x_rows[start:stop], h, w, c, kh, kw, sh, sw, x_cols[start * rows:stop * rows]))
    return x_cols


def col2im(x_cols, x_shape, kernel_hw, strides_hw):
    """Numba twin of ``minicnn.functional.conv.col2im`` (same arguments and result)."""
    n, h, w, c = x_shape
    (kh, kw), (sh, sw) = kernel_hw, strides_hw
    dx = np.zeros(x_shape, dtype=x_cols.dtype)
    dx_rows = dx.reshape(n, h, w * c)
    rows = x_cols.shape[0] // n if n else 0             # x_cols rows per image
    by_images(n, lambda start, stop: _col2im_kernel(
        x_cols[start * rows:stop * rows], h, w, c, kh, kw, sh, sw, dx_rows[start:stop]))
    return dx
