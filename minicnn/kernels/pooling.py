"""Numba max-pooling. Reference twin: ``minicnn.functional.pooling`` (read that first).

``pool_argmax[n, oh, ow, c] = i*PW + j`` is the position of the first maximum in its window.
"""
import numpy as np
from numba import njit

from minicnn.kernels.blocks import by_images


@njit(nogil=True, cache=True)
def _max_pool_forward_kernel(x, ph, pw, sh, sw, y, pool_argmax):
    """Fill y and pool_argmax (N, OH, OW, C); each image writes only its own outputs.

    The channel loop is innermost: for each window position every channel is compared at
    once, along contiguous memory (NHWC). The running maximum lives in two small local arrays
    and is updated by a select, not a branch -- written so, the compiler vectorises the channel
    loop: 2-3x faster on 32 to 128 channels than updating y in place under an ``if``
    (benchmarks/kernels.py; docs/results/speed-history.md).
    """
    n_images, _, _, c = x.shape
    oh = y.shape[1]
    ow = y.shape[2]
    best = np.empty(c, dtype=x.dtype)             # this window's maximum so far, per channel
    best_k = np.empty(c, dtype=np.int32)          # ... and its position i*PW + j
    for r in range(n_images * oh):
        n = r // oh
        o_h = r % oh
        for o_w in range(ow):
            first = x[n, o_h * sh, o_w * sw]
            for ch in range(c):
                best[ch] = first[ch]
                best_k[ch] = 0
            # Replace only on a strictly larger value, so ties keep the first maximum
            # (row-major window order), as np.argmax does.
            for i in range(ph):
                for j in range(pw):
                    v = x[n, o_h * sh + i, o_w * sw + j]
                    k = np.int32(i * pw + j)
                    for ch in range(c):
                        larger = v[ch] > best[ch]
                        best[ch] = v[ch] if larger else best[ch]
                        best_k[ch] = k if larger else best_k[ch]
            y_out = y[n, o_h, o_w]
            k_out = pool_argmax[n, o_h, o_w]
            for ch in range(c):
                y_out[ch] = best[ch]
                k_out[ch] = best_k[ch]


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
    by_images(n, lambda start, stop: _max_pool_forward_kernel(
        x[start:stop], ph, pw, sh, sw, y[start:stop], pool_argmax[start:stop]))
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


def max_pool_backward(dy, pool_argmax, x_shape, pool_hw, strides_hw):
    """Numba twin of ``minicnn.functional.pooling.max_pool_backward``."""
    if tuple(pool_hw) == tuple(strides_hw):
        _, oh, ow, _ = dy.shape
        dx = np.empty(x_shape, dtype=dy.dtype)
        dx[:, oh * pool_hw[0]:] = 0                 # rows and columns "valid" pooling dropped
        dx[:, :, ow * pool_hw[1]:] = 0
        by_images(dy.shape[0], lambda start, stop: _max_pool_backward_tiled_kernel(
            dy[start:stop], pool_argmax[start:stop], pool_hw[0], pool_hw[1], dx[start:stop]))
        return dx
    dx = np.zeros(x_shape, dtype=dy.dtype)
    by_images(dy.shape[0], lambda start, stop: _max_pool_backward_kernel(
        dy[start:stop], pool_argmax[start:stop], pool_hw[1], strides_hw[0], strides_hw[1],
        dx[start:stop]))
    return dx
