"""Numba im2col / col2im. Reference twin: ``minicnn.functional.conv`` (read that first).

    x_cols[(n, oh, ow), (i, j, c)] = x[n, oh*SH + i, ow*SW + j, c]
"""
import numpy as np
from numba import njit, prange


@njit(parallel=True, cache=True)
def _im2col_kernel(x, kh, kw, sh, sw, x_cols):
    """Fill x_cols (N*OH*OW, KH*KW*C) from x (N, H, W, C).

    Parallel over the N*OH output rows: each iteration writes only the x_cols rows of its own
    (n, oh), so no two threads write the same element.
    """
    n_images, _, _, c = x.shape
    oh = (x.shape[1] - kh) // sh + 1
    ow = (x.shape[2] - kw) // sw + 1
    for r in prange(n_images * oh):
        n = r // oh
        o_h = r % oh
        for o_w in range(ow):
            row = (n * oh + o_h) * ow + o_w
            for i in range(kh):
                for j in range(kw):
                    col = (i * kw + j) * c
                    for ch in range(c):
                        x_cols[row, col + ch] = x[n, o_h * sh + i, o_w * sw + j, ch]


@njit(parallel=True, cache=True)
def _col2im_kernel(x_cols, kh, kw, sh, sw, dx):
    """Accumulate x_cols (N*OH*OW, KH*KW*C) into dx (N, H, W, C), which must start at zero.

    Parallel over images n only: overlapping windows of one image add into the same pixels,
    so splitting inside an image would race; different images never share a pixel.
    """
    n_images, h, w, c = dx.shape
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    for n in prange(n_images):
        for o_h in range(oh):
            for o_w in range(ow):
                row = (n * oh + o_h) * ow + o_w
                for i in range(kh):
                    for j in range(kw):
                        col = (i * kw + j) * c
                        for ch in range(c):
                            dx[n, o_h * sh + i, o_w * sw + j, ch] += x_cols[row, col + ch]


def im2col(x, kernel_hw, strides_hw):
    """Numba twin of ``minicnn.functional.conv.im2col`` (same arguments and result)."""
    n, h, w, c = x.shape
    kh, kw = kernel_hw
    sh, sw = strides_hw
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    x_cols = np.empty((n * oh * ow, kh * kw * c), dtype=x.dtype)
    _im2col_kernel(x, kh, kw, sh, sw, x_cols)
    return x_cols


def col2im(x_cols, x_shape, kernel_hw, strides_hw):
    """Numba twin of ``minicnn.functional.conv.col2im`` (same arguments and result)."""
    dx = np.zeros(x_shape, dtype=x_cols.dtype)
    _col2im_kernel(x_cols, kernel_hw[0], kernel_hw[1], strides_hw[0], strides_hw[1], dx)
    return dx
