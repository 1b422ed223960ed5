"""Depthwise 2-D convolution, forward and backward (NumPy reference).

A depthwise convolution filters every input channel on its own: channel ``c`` is convolved with
``M`` (the depth multiplier) kernels of its own and never mixed with other channels. With an
(already padded) input ``x`` of shape ``(N, H, W, C)``, a kernel ``(KH, KW, C, M)`` (Keras's
``depthwise_kernel`` layout) and strides ``(SH, SW)``::

    y[n, oh, ow, c*M + m] = sum_{i, j} x[n, oh*SH + i, ow*SW + j, c] * kernel[i, j, c, m]
    y.shape == (N, OH, OW, C*M),   OH = (H - KH)//SH + 1,  OW = (W - KW)//SW + 1

(output channel ``c*M + m``: input-channel major, as TensorFlow orders them). Unlike Conv2D
there is no sum over ``c``, so this is not one GEMM: it is ``C`` small independent
convolutions. The code loops over the ``KH*KW`` kernel offsets only; each step multiplies the
strided slice that tap ``(i, j)`` sees, for every output pixel at once, by that tap's weights.

Backward, from ``dy = dL/dy`` (same shape as ``y``), viewed as ``(N, OH, OW, C, M)``::

    dkernel[i, j, c, m] = sum_{n, oh, ow} x[n, oh*SH + i, ow*SW + j, c] * dy[n, oh, ow, c, m]
    dx[n, oh*SH + i, ow*SW + j, c] += sum_m dy[n, oh, ow, c, m] * kernel[i, j, c, m]

``+=`` because with a stride smaller than the kernel an input pixel is seen by several taps.
Padding is added before and removed after by the layer, as for Conv2D.
"""
import numpy as np


def _out_hw(x_shape, kernel_hw, strides_hw):
    (_, h, w, _), (kh, kw), (sh, sw) = x_shape, kernel_hw, strides_hw
    return (h - kh) // sh + 1, (w - kw) // sw + 1


def depthwise_conv2d(x, kernel, strides_hw):
    """x (N, H, W, C), kernel (KH, KW, C, M) -> y (N, OH, OW, C*M). See the module docstring."""
    n, _, _, c = x.shape
    kh, kw, _, m = kernel.shape
    sh, sw = strides_hw
    oh, ow = _out_hw(x.shape, (kh, kw), strides_hw)
    y = np.zeros((n, oh, ow, c, m), dtype=np.result_type(x, kernel))
    for i in range(kh):
        for j in range(kw):
            # x_tap[n, oh, ow, c] = x[n, oh*SH + i, ow*SW + j, c]: the pixel tap (i, j) sees.
            x_tap = x[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :]
            y += x_tap[..., None] * kernel[i, j]           # (N, OH, OW, C, 1) * (C, M)
    return y.reshape(n, oh, ow, c * m)


def depthwise_conv2d_backward(dy, x, kernel, strides_hw):
    """Gradients of ``depthwise_conv2d``: ``(dx, dkernel)`` with the shapes of ``x`` and ``kernel``.

    dy : (N, OH, OW, C*M)  dL/dy;   x : (N, H, W, C) the (padded) forward input
    """
    n, oh, ow, _ = dy.shape
    kh, kw, c, m = kernel.shape
    sh, sw = strides_hw
    dy5 = dy.reshape(n, oh, ow, c, m)                      # split channel c*M + m into (c, m)
    dx = np.zeros(x.shape, dtype=dy.dtype)
    dkernel = np.empty(kernel.shape, dtype=dy.dtype)
    for i in range(kh):
        for j in range(kw):
            x_tap = x[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :]            # (N, OH, OW, C)
            dkernel[i, j] = np.einsum("nhwc,nhwcm->cm", x_tap, dy5)
            dx[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :] += np.einsum("nhwcm,cm->nhwc", dy5,
                                                                       kernel[i, j])
    return dx, dkernel
