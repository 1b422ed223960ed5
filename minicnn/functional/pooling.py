"""Max-pooling forward and backward (NumPy reference).

For an (already padded) input ``x`` of shape ``(N, H, W, C)``, pool window ``(PH, PW)`` and
strides ``(SH, SW)``::

    y[n, oh, ow, c] = max_{i < PH, j < PW} x[n, oh*SH + i, ow*SW + j, c]

The forward pass also returns ``pool_argmax[n, oh, ow, c] = i*PW + j``, the position of the
maximum inside its window (row-major window order; on ties the *first* maximum wins, as
``np.argmax`` and TensorFlow do). The gradient flows only to that one input::

    dx[n, oh*SH + i, ow*SW + j, c] += dy[n, oh, ow, c]    where i*PW + j = pool_argmax[n, oh, ow, c]

Keeping the argmax as a small integer array (same shape as ``y``) instead of a mask the size of
``x`` keeps memory low. "same" pooling pads with -inf outside (the layer does that), so padding
never wins a window.
"""
import numpy as np


def max_pool_forward(x, pool_hw, strides_hw):
    """x (N, H, W, C) -> (y, pool_argmax), both (N, OH, OW, C); OH = (H - PH)//SH + 1."""
    n, h, w, c = x.shape
    ph, pw = pool_hw
    sh, sw = strides_hw
    oh = (h - ph) // sh + 1
    ow = (w - pw) // sw + 1
    # windows axes: (n, oh, ow, k, c) with k = i*PW + j the position inside the window.
    windows = np.empty((n, oh, ow, ph * pw, c), dtype=x.dtype)
    for i in range(ph):
        for j in range(pw):
            windows[:, :, :, i * pw + j, :] = x[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :]
    pool_argmax = np.argmax(windows, axis=3).astype(np.int32)
    y = np.take_along_axis(windows, pool_argmax[:, :, :, None, :].astype(np.intp), axis=3)[:, :, :, 0, :]
    return y, pool_argmax


def max_pool_backward(dy, pool_argmax, x_shape, pool_hw, strides_hw):
    """Route dy (N, OH, OW, C) to the argmax of each window -> dx of shape ``x_shape``."""
    ph, pw = pool_hw
    sh, sw = strides_hw
    _, oh, ow, _ = dy.shape
    dx = np.zeros(x_shape, dtype=dy.dtype)
    for i in range(ph):
        for j in range(pw):
            # The windows whose maximum sat at offset (i, j) send their gradient there;
            # += because overlapping windows (stride < pool) can share an input pixel.
            routed = np.where(pool_argmax == i * pw + j, dy, 0)
            dx[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :] += routed
    return dx
