"""The backend boundary: layers call these; each forwards to NumPy or Numba.

``minicnn.functional`` holds the readable NumPy references, ``minicnn.kernels`` their Numba
twins with identical signatures. Which one runs is decided here, per call, from
``minicnn.get_backend()`` -- never inside a layer. Inputs are made C-contiguous once, here, so
both implementations may assume it.
"""
import numpy as np

from minicnn import functional, kernels
from minicnn.backend import get_backend
from minicnn.functional.conv import pad_nhwc

__all__ = ["im2col", "col2im", "max_pool_forward", "max_pool_backward", "depthwise_conv2d",
           "depthwise_conv2d_backward", "pad_nhwc", "unpad_nhwc", "sum_rows"]


def _impl():
    return kernels if get_backend() == "numba" else functional


def im2col(x, kernel_hw, strides_hw):
    """(N, H, W, C) -> x_cols (N*OH*OW, KH*KW*C). See ``minicnn.functional.conv``."""
    return _impl().im2col(np.ascontiguousarray(x), kernel_hw, strides_hw)


def col2im(x_cols, x_shape, kernel_hw, strides_hw):
    """x_cols (N*OH*OW, KH*KW*C) -> (N, H, W, C), summing overlaps. See ``minicnn.functional.conv``."""
    return _impl().col2im(np.ascontiguousarray(x_cols), tuple(x_shape), kernel_hw, strides_hw)


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
