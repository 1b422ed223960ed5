"""Numba depthwise convolution. Reference twin: ``minicnn.functional.depthwise`` (read that first).

    y[n, oh, ow, c*M + m] = sum_{i, j} x[n, oh*SH + i, ow*SW + j, c] * kernel[i, j, c, m]
"""
import numpy as np
from numba import njit

from minicnn.kernels.blocks import by_images


@njit(nogil=True, cache=True)
def _depthwise_forward_kernel(x, kernel, sh, sw, y):
    """Fill y (N, OH, OW, C*M); each image writes only its own outputs."""
    n_images = x.shape[0]
    kh, kw, c, m = kernel.shape
    oh = y.shape[1]
    ow = y.shape[2]
    for r in range(n_images * oh):
        n = r // oh
        o_h = r % oh
        for o_w in range(ow):
            for ch in range(c):
                for k in range(m):
                    acc = 0.0
                    for i in range(kh):
                        for j in range(kw):
                            acc += x[n, o_h * sh + i, o_w * sw + j, ch] * kernel[i, j, ch, k]
                    y[n, o_h, o_w, ch * m + k] = acc


@njit(nogil=True, cache=True)
def _depthwise_backward_input_kernel(dy, kernel, sh, sw, dx):
    """Accumulate dx (N, H, W, C), which must start at zero. Overlapping windows of one image
    add into the same pixels, different images never do."""
    n_images, oh, ow, _ = dy.shape
    kh, kw, c, m = kernel.shape
    for n in range(n_images):
        for o_h in range(oh):
            for o_w in range(ow):
                for ch in range(c):
                    for k in range(m):
                        g = dy[n, o_h, o_w, ch * m + k]
                        for i in range(kh):
                            for j in range(kw):
                                dx[n, o_h * sh + i, o_w * sw + j, ch] += g * kernel[i, j, ch, k]


@njit(nogil=True, cache=True)
def _depthwise_backward_kernel_kernel(dy, x, sh, sw, dkernel):
    """Fill dkernel (KH, KW, C, M) with the sum over the images of (dy, x) -- a block of
    images gives its partial sum; the caller adds the blocks' partial sums."""
    n_images, oh, ow, _ = dy.shape
    kh, kw, c, m = dkernel.shape
    for ch in range(c):
        for k in range(m):
            for i in range(kh):
                for j in range(kw):
                    acc = 0.0
                    for n in range(n_images):
                        for o_h in range(oh):
                            for o_w in range(ow):
                                acc += (x[n, o_h * sh + i, o_w * sw + j, ch]
                                        * dy[n, o_h, o_w, ch * m + k])
                    dkernel[i, j, ch, k] = acc


def depthwise_conv2d(x, kernel, strides_hw):
    """Numba twin of ``minicnn.functional.depthwise.depthwise_conv2d``."""
    n, h, w, c = x.shape
    kh, kw, _, m = kernel.shape
    sh, sw = strides_hw
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    y = np.empty((n, oh, ow, c * m), dtype=np.result_type(x, kernel))
    by_images(n, lambda start, stop: _depthwise_forward_kernel(
        x[start:stop], kernel, sh, sw, y[start:stop]))
    return y


def depthwise_conv2d_backward(dy, x, kernel, strides_hw):
    """Numba twin of ``minicnn.functional.depthwise.depthwise_conv2d_backward``."""
    sh, sw = strides_hw
    dx = np.zeros(x.shape, dtype=dy.dtype)
    by_images(x.shape[0], lambda start, stop: _depthwise_backward_input_kernel(
        dy[start:stop], kernel, sh, sw, dx[start:stop]))

    def dkernel_of(start, stop):                       # this block's partial sum
        partial = np.empty(kernel.shape, dtype=dy.dtype)
        _depthwise_backward_kernel_kernel(dy[start:stop], x[start:stop], sh, sw, partial)
        return partial

    partials = by_images(x.shape[0], dkernel_of)
    dkernel = partials[0]
    for partial in partials[1:]:
        dkernel += partial
    return dx, dkernel
