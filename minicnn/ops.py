"""The backend boundary: layers call these; each forwards to NumPy or Numba.

``minicnn.functional`` holds the readable NumPy references, ``minicnn.kernels`` their Numba
twins with identical signatures. Which one runs is decided here, per call, from
``minicnn.get_backend()`` -- never inside a layer. Inputs are made C-contiguous once, here, so
both implementations may assume it (``relu_backward`` hands them blocks of its arrays).
"""
import numpy as np

from minicnn import functional, kernels
from minicnn.backend import MIN_SPLIT_VALUES, for_blocks, get_backend, in_training, threads
from minicnn.functional.conv import pad_nhwc

__all__ = ["im2col", "col2im", "im2col_matmul", "im2col_matmul_backward", "conv2d_one_channel",
           "conv2d_one_channel_dkernel", "max_pool_forward", "max_pool_backward", "depthwise_conv2d",
           "depthwise_conv2d_backward", "pad_nhwc", "unpad_nhwc", "sum_rows", "matmul",
           "add_bias", "relu", "relu_backward", "relu_backward_sum_rows", "dropout"]


def _impl():
    return kernels if get_backend() == "numba" else functional


def im2col(x, kernel_hw, strides_hw):
    """(N, H, W, C) -> x_cols (N*OH*OW, KH*KW*C). See ``minicnn.functional.conv``."""
    return _impl().im2col(np.ascontiguousarray(x), kernel_hw, strides_hw)


def col2im(x_cols, x_shape, kernel_hw, strides_hw):
    """x_cols (N*OH*OW, KH*KW*C) -> (N, H, W, C), summing overlaps. See ``minicnn.functional.conv``."""
    return _impl().col2im(np.ascontiguousarray(x_cols), tuple(x_shape), kernel_hw, strides_hw)


def im2col_matmul(x, kernel2d, kernel_hw, strides_hw, bias=None, relu=False,
                  pad_hw=((0, 0), (0, 0))):
    """``z2d = im2col(pad_nhwc(x, pad_hw)) @ kernel2d``, plus ``bias`` (F,) if given, and
    ``max(z2d, 0)`` if ``relu`` -- Conv2D's forward product. These calls are the reference (the
    numpy backend runs them); the Numba twin pads inside its im2col kernel, without a padded
    copy, and does it all a few images at a time inside training, so each block's columns are
    multiplied, and its bias and ReLU applied, while still in cache; it keeps no x_cols
    (``minicnn.kernels.conv``)."""
    x = np.ascontiguousarray(x)
    if get_backend() == "numba":
        return kernels.im2col_matmul(x, np.ascontiguousarray(kernel2d), kernel_hw, strides_hw,
                                     bias, relu, pad_hw)
    x_cols = im2col(pad_nhwc(x, pad_hw), kernel_hw, strides_hw)
    z2d = matmul(x_cols, kernel2d)
    if bias is not None:
        z2d += bias                                  # (N*OH*OW, F) + (F,): every row
    if relu:
        np.maximum(z2d, 0, out=z2d)                  # a NaN stays NaN
    return z2d


def im2col_matmul_backward(x, dz2d, kernel2d, kernel_hw, strides_hw, pad_hw=((0, 0), (0, 0)),
                           input_gradient=True):
    """``(dkernel2d, dx)``, the gradients of ``im2col_matmul``'s product -- Conv2D's backward
    products: with ``x_cols = im2col(pad_nhwc(x, pad_hw))``, ``dkernel2d = x_cols^T @ dz2d``
    (KH*KW*C, F), and ``dx = unpad_nhwc(col2im(dz2d @ kernel2d^T), pad_hw)`` (N, H, W, C) --
    None unless ``input_gradient``. The calls are the reference; the Numba twin makes x_cols
    again from x a few images at a time inside training, uses each block for both products while
    it is in cache, and never adds the padding's share into dx (``minicnn.kernels.conv``)."""
    x, dz2d = np.ascontiguousarray(x), np.ascontiguousarray(dz2d)
    if get_backend() == "numba":
        return kernels.im2col_matmul_backward(x, dz2d, np.ascontiguousarray(kernel2d), kernel_hw,
                                              strides_hw, pad_hw, input_gradient)
    x_padded = pad_nhwc(x, pad_hw)
    x_cols = im2col(x_padded, kernel_hw, strides_hw)
    dkernel2d = matmul(x_cols.T, dz2d)
    if not input_gradient:
        return dkernel2d, None
    dx_padded = col2im(matmul(dz2d, kernel2d.T), x_padded.shape, kernel_hw, strides_hw)
    return dkernel2d, unpad_nhwc(dx_padded, pad_hw)


def conv2d_one_channel(x, kernel, bias, relu=False):
    """Stride-1 convolution of (N, H, W, 1) with kernel (KH, KW, 1, F), plus bias (F,) ->
    (N, OH, OW, F), and max(., 0) if ``relu``; the Numba twin sums tap by tap, without im2col.
    See ``minicnn.functional.conv``."""
    return _impl().conv2d_one_channel(np.ascontiguousarray(x), np.ascontiguousarray(kernel),
                                      np.ascontiguousarray(bias), relu)


def conv2d_one_channel_dkernel(x, dz, kernel_hw):
    """Kernel gradient (KH, KW, 1, F) of ``conv2d_one_channel``. See ``minicnn.functional.conv``."""
    return _impl().conv2d_one_channel_dkernel(np.ascontiguousarray(x), np.ascontiguousarray(dz),
                                              kernel_hw)


def max_pool_forward(x, pool_hw, strides_hw):
    """(N, H, W, C) -> (y, pool_argmax). See ``minicnn.functional.pooling``."""
    return _impl().max_pool_forward(np.ascontiguousarray(x), pool_hw, strides_hw)


def max_pool_backward(dy, pool_argmax, x_shape, pool_hw, strides_hw):
    """Route dy to each window's argmax. See ``minicnn.functional.pooling``."""
    return _impl().max_pool_backward(np.ascontiguousarray(dy), np.ascontiguousarray(pool_argmax),
                                     tuple(x_shape), pool_hw, strides_hw)


def depthwise_conv2d(x, kernel, strides_hw):
    """(N, H, W, C), kernel (KH, KW, C, M) -> (N, OH, OW, C*M). See ``minicnn.functional.depthwise``."""
    return _impl().depthwise_conv2d(np.ascontiguousarray(x), np.ascontiguousarray(kernel),
                                    strides_hw)


def depthwise_conv2d_backward(dy, x, kernel, strides_hw):
    """(dx, dkernel) of the depthwise convolution. See ``minicnn.functional.depthwise``."""
    return _impl().depthwise_conv2d_backward(np.ascontiguousarray(dy), np.ascontiguousarray(x),
                                             np.ascontiguousarray(kernel), strides_hw)


# -- matrix products ------------------------------------------------------------------------
# A product below this many floating-point operations (2*M*K*N) runs in one piece: splitting
# costs a thread hand-over (50-100 us on this project's vms, benchmarks/handover.py), and one
# core does 16 MFLOP in about 0.1 ms. Dense layers' products (4-12 MFLOP in the workloads)
# were measured slower split than whole (docs/results/speed-history.md).
MIN_SPLIT_FLOPS = 16_000_000
MIN_SPLIT_OUTPUT = 1024


def matmul(a, b):
    """``a @ b`` with ``b`` 2-D -- Dense's products, Conv2DTranspose's, and Conv2D's on the
    numpy backend (the Numba path runs Conv2D's in blocks next to its im2col: ``im2col_matmul``).

    Outside training this is exactly ``a @ b`` (BLAS with its own threads). Inside
    fit/evaluate/predict, where BLAS is single-threaded (see ``minicnn.backend``), a large
    product is cut into ``threads()`` blocks computed at the same time, one BLAS call per thread
    (NumPy releases the GIL inside BLAS, for results of more than ~500 values):

    * a tall product -- e.g. a convolution's ``x_cols @ kernel2d``, M = N*OH*OW rows -- by rows
      of ``a``: block i of the result is ``a[rows_i] @ b``;
    * a product whose inner dimension K is the long one -- e.g. the kernel gradient
      ``x_cols^T @ dz2d``, K = N*OH*OW -- by K: ``a @ b = sum_i a[:, k_i] @ b[k_i]``; unless its
      result is tiny (M*N < MIN_SPLIT_OUTPUT, e.g. 9x32): such a product does ~2 FLOP per
      byte read, and ``np.matmul`` keeps the GIL for a result of under ~500 values, so its parts
      would take turns -- split, it was measured slower than in one piece (benchmarks/matmul.py,
      docs/results/speed-history.md).
    """
    if a.ndim != 2:                                    # Dense on (N, ..., D_in): rows are rows
        return matmul(a.reshape(-1, a.shape[-1]), b).reshape(a.shape[:-1] + b.shape[1:])
    (m, k), n = a.shape, b.shape[1]
    parts = threads()
    if not in_training() or parts == 1 or 2 * m * k * n < MIN_SPLIT_FLOPS:
        return a @ b
    if k > 4 * max(m, n):                              # split the inner dimension, then add
        if m * n < MIN_SPLIT_OUTPUT:
            return a @ b
        partials = for_blocks(k, lambda start, stop: a[:, start:stop] @ b[start:stop])
        out = partials[0]
        for partial in partials[1:]:
            out += partial
        return out
    out = np.empty((m, n), dtype=np.result_type(a, b))
    if m >= parts:                                     # split the rows of the result
        for_blocks(m, lambda start, stop: np.matmul(a[start:stop], b, out=out[start:stop]))
    else:                                              # a few rows: split the columns of b
        def columns(start, stop):
            out[:, start:stop] = a @ b[:, start:stop]
        for_blocks(n, columns)
    return out


# -- elementwise passes -----------------------------------------------------------------------
# Adding the bias and the ReLU read and write every value of a layer's output once per step:
# memory-bound passes that NumPy runs on one core. Inside training, a large one is cut into
# blocks along the first (batch) axis computed at the same time on minicnn's threads (NumPy
# releases the GIL in its loops, Numba's kernels too); NumPy's passes go in chunks of about
# CHUNK_VALUES values, so the second ufunc of a chunk (the NumPy ``relu_backward``'s copy after
# its fill) finds its operands still in cache -- a Numba kernel makes one pass anyway, and takes
# its whole block at once (each call costs a few microseconds). Arrays under
# ``backend.MIN_SPLIT_VALUES`` values run in one piece: the hand-over would cost more than the
# half it saves.
CHUNK_VALUES = 1 << 16


def _by_batch_blocks(a, pass_over, chunk_values=CHUNK_VALUES):
    """``pass_over(part)`` for index expressions ``part`` of ``a`` covering all of it: ranges
    of its first axis (slices) of about ``chunk_values`` values (None: a thread's whole block),
    or ``...`` (all of it) for a small array or outside training."""
    if a.ndim == 0 or not in_training() or a.size < MIN_SPLIT_VALUES:
        pass_over(...)
        return
    n = a.shape[0]
    chunk = n if chunk_values is None else max(1, chunk_values // (a.size // n))  # rows per chunk

    def block(start, stop):
        for first in range(start, stop, chunk):
            pass_over(slice(first, min(first + chunk, stop)))
    for_blocks(n, block)


def add_bias(z, bias):
    """``z += bias`` in place, ``bias`` along the last axis (filters or units); returns ``z``."""
    _by_batch_blocks(z, lambda part: np.add(z[part], bias, out=z[part]))
    return z


def relu(z, out=None):
    """``max(z, 0)``, into ``out`` if given (``out=z`` overwrites ``z``)."""
    y = np.empty_like(z) if out is None else out
    _by_batch_blocks(z, lambda part: np.maximum(z[part], 0, out=y[part]))
    return y


def relu_backward(dy, y):
    """``dy`` where the ReLU's output ``y`` is positive (where its input was), 0 elsewhere.
    ``dy`` and ``y`` have the same shape.
    See ``minicnn.functional.elementwise``."""
    dz = np.empty(dy.shape, dtype=dy.dtype)
    impl = _impl()
    _by_batch_blocks(dy, lambda part: impl.relu_backward(dy[part], y[part], dz[part]),
                     chunk_values=None if impl is kernels else CHUNK_VALUES)
    return dz


def relu_backward_sum_rows(dy, y):
    """``(dz, dbias)``: ``dz = relu_backward(dy, y)`` and ``dbias = sum_rows(dz)`` over all
    axes but the last (a Conv2D's ReLU and bias gradient). These two calls are the reference
    (the numpy backend runs them); the Numba twin makes one pass over dy, not two
    (``minicnn.kernels.elementwise``)."""
    dy, y = np.ascontiguousarray(dy), np.ascontiguousarray(y)
    if get_backend() == "numba":
        return kernels.relu_backward_sum_rows(dy, y)
    dz = relu_backward(dy, y)
    return dz, sum_rows(dz.reshape(-1, dz.shape[-1]))


def dropout(x, seed, rate):
    """Inverted dropout with the uniform draws of the 64-bit ``seed``: ``(y, mask)``,
    mask = 1/(1 - rate) where draws >= rate, else 0; y = x * mask.
    See ``minicnn.functional.elementwise``."""
    return _impl().dropout(np.ascontiguousarray(x), seed, rate)


def sum_rows(a):
    """``a.sum(axis=0)`` for a 2-D array, computed as the product ``ones @ a`` -- the same sum
    (a bias gradient: dbias = 1^T dz), but BLAS does it 5-10x faster than NumPy's reduction over
    the long axis of a tall, narrow array such as a conv layer's (N*OH*OW, F) gradient."""
    return np.ones(a.shape[0], dtype=a.dtype) @ a


def unpad_nhwc(x, pad_hw):
    """Inverse of ``pad_nhwc``: crop ``((top, bottom), (left, right))`` off the spatial axes."""
    (top, bottom), (left, right) = pad_hw
    h, w = x.shape[1], x.shape[2]
    return x[:, top:h - bottom, left:w - right, :]
