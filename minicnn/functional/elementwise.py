"""Two elementwise passes (NumPy reference): the ReLU's backward and Dropout's forward.

The ReLU ``y = max(z, 0)`` passes the gradient where its output is positive (where its input
was) and blocks it elsewhere -- at z = 0 too, as Keras does::

    dz = dy where y > 0, else 0

A select, not the product ``dy * (y > 0)``: where the ReLU blocked, a NaN or infinite ``dy``
still gives 0 (as TensorFlow's ReluGrad does), instead of NaN.
"""
import numpy as np


def relu_backward(dy, y, out):
    """``out[...] = dy`` where ``y > 0``, else 0; all three arrays have the same shape."""
    out[...] = 0
    np.copyto(out, dy, where=y > 0)


def dropout(x, draws, rate):
    """Inverted dropout of ``x`` from uniform ``draws`` in [0, 1) of the same shape: a value is
    kept where its draw is >= rate, and scaled by 1 / (1 - rate)::

        mask = 1 / (1 - rate) where draws >= rate, else 0;    y = x * mask

    Returns ``(y, mask)``, both of ``x``'s dtype.
    """
    scale = x.dtype.type(1.0) / x.dtype.type(1.0 - rate)
    mask = np.where(draws >= rate, scale, x.dtype.type(0.0))
    return x * mask, mask
