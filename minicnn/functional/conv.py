"""im2col / col2im: convolution as one matrix multiply (NumPy reference).

Layout (NHWC, as Keras): an input ``x`` has shape ``(N, H, W, C)``. A 2-D convolution with a
``(KH, KW)`` kernel and strides ``(SH, SW)`` looks at ``OH * OW`` windows per image. ``im2col``
copies every window into one row of a matrix::

    x_cols[(n, oh, ow), (i, j, c)] = x[n, oh*SH + i, ow*SW + j, c]
    x_cols.shape == (N*OH*OW, KH*KW*C)

Rows are output pixels in ``(n, oh, ow)`` order and columns are kernel taps in ``(i, j, c)``
order -- exactly the memory order of a Keras kernel ``(KH, KW, C, F)`` reshaped to
``(KH*KW*C, F)``. So the whole convolution is one GEMM with no transposes::

    y2d = x_cols @ kernel.reshape(KH*KW*C, F)        # (N*OH*OW, F) -> reshape (N, OH, OW, F)

``col2im`` is the transpose (adjoint) of ``im2col``: it adds every row back onto the window it
came from. Windows overlap when the stride is smaller than the kernel, so it *accumulates*.

Here padding is applied before ``im2col`` (``pad_nhwc``) and removed after ``col2im``
(``minicnn.ops.unpad_nhwc``); the Numba kernels do the same inside their loops, without padded
copies (``minicnn.kernels.conv``).
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def pad_nhwc(x, pad_hw, value=0.0):
    """Pad the two spatial axes of an ``(N, H, W, C)`` array.

    ``pad_hw = ((top, bottom), (left, right))``; returns ``x`` itself when there is no padding.
    """
    (top, bottom), (left, right) = pad_hw
    if top == bottom == left == right == 0:
        return x
    n, h, w, c = x.shape
    # (np.pad does the same, but slower here: it is written for any rank and padding mode.)
    x_padded = np.full((n, top + h + bottom, left + w + right, c), value, dtype=x.dtype)
    x_padded[:, top:top + h, left:left + w, :] = x
    return x_padded


def im2col(x, kernel_hw, strides_hw):
    """Unfold the windows of an (already padded) ``x`` into rows.

    x          : (N, H, W, C)  C-contiguous
    kernel_hw  : (KH, KW)
    strides_hw : (SH, SW)
    returns      x_cols (N*OH*OW, KH*KW*C) with OH = (H - KH)//SH + 1, OW = (W - KW)//SW + 1
    """
    n, h, w, c = x.shape
    kh, kw = kernel_hw
    sh, sw = strides_hw
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    # cols axes: (n, oh, ow, i, j, c) -- output pixel first, then the kernel tap (i, j, c).
    cols = np.empty((n, oh, ow, kh, kw, c), dtype=x.dtype)
    # Loop only over the KH*KW kernel offsets; each step copies one strided slice:
    # the pixel that tap (i, j) sees for every output position at once.
    for i in range(kh):
        for j in range(kw):
            cols[:, :, :, i, j, :] = x[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :]
    return cols.reshape(n * oh * ow, kh * kw * c)


def col2im(x_cols, x_shape, kernel_hw, strides_hw):
    """Fold rows back onto the windows they came from, summing where windows overlap.

    x_cols     : (N*OH*OW, KH*KW*C), e.g. the gradient d(loss)/d(x_cols)
    x_shape    : (N, H, W, C) of the (padded) input that im2col unfolded
    returns      dx (N, H, W, C) with dx = im2col^T(x_cols)
    """
    n, h, w, c = x_shape
    kh, kw = kernel_hw
    sh, sw = strides_hw
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    cols = x_cols.reshape(n, oh, ow, kh, kw, c)
    dx = np.zeros(x_shape, dtype=x_cols.dtype)
    for i in range(kh):
        for j in range(kw):
            # += because with stride < kernel a pixel belongs to several windows.
            dx[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :] += cols[:, :, :, i, j, :]
    return dx


# -- one input channel, stride 1 ------------------------------------------------------------------
# A first layer on grayscale images (every model of the reports) has C = 1: im2col would copy
# each pixel KH*KW times (25x for LeNet-5's 5x5) into a matrix with only KH*KW columns, and the
# product that follows has only F columns -- both run far below the machine's speed. Conv2D
# computes such a layer (with stride 1) with the two functions below; their Numba twins sum tap
# by tap and never build the window matrix.

def conv2d_one_channel(x, kernel, bias, relu=False):
    """Stride-1 convolution of one-channel images, bias added, and the ReLU if ``relu``.

    x      : (N, H, W, 1)  (already padded)
    kernel : (KH, KW, 1, F)
    bias   : (F,)
    returns  z (N, OH, OW, F), OH = H - KH + 1, OW = W - KW + 1::

        z[n, oh, ow, f] = bias[f] + sum_{i, j} x[n, oh + i, ow + j, 0] * kernel[i, j, 0, f]

    (``max(z, 0)`` with ``relu=True``: Conv2D's ``activation="relu"``, applied as each value is
    stored rather than in a pass of its own.) The same numbers as
    ``im2col(x) @ kernel.reshape(KH*KW, F) + bias``. (The Numba twin sums tap by tap over flat
    images; ``minicnn.kernels.conv`` explains how.)
    """
    windows = sliding_window_view(x[..., 0], kernel.shape[:2], axis=(1, 2))  # (N, OH, OW, KH, KW)
    z = np.tensordot(windows, kernel[:, :, 0, :], axes=2) + bias   # sum over (i, j) -> (.., F)
    return np.maximum(z, 0, out=z) if relu else z


def conv2d_one_channel_dkernel(x, dz, kernel_hw):
    """Kernel gradient of ``conv2d_one_channel``: (KH, KW, 1, F) from x (N, H, W, 1) and
    dz = dL/dz (N, OH, OW, F)::

        dkernel[i, j, 0, f] = sum_{n, oh, ow} x[n, oh + i, ow + j, 0] * dz[n, oh, ow, f]

    (``im2col(x)^T @ dz2d``.)
    """
    windows = sliding_window_view(x[..., 0], kernel_hw, axis=(1, 2))         # (N, OH, OW, KH, KW)
    dkernel = np.tensordot(windows, dz, axes=([0, 1, 2], [0, 1, 2]))          # (KH, KW, F)
    return dkernel[:, :, None, :]
