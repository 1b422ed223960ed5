"""The ReLU's backward pass (NumPy reference).

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
