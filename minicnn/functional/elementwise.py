"""The ReLU's backward pass (NumPy reference).

The ReLU ``y = max(z, 0)`` passes the gradient where its output is positive (where its input
was) and blocks it elsewhere -- at z = 0 too, as Keras does::

    dz = dy * (y > 0)
"""
import numpy as np


def relu_backward(dy, y, out):
    """``out[...] = dy * (y > 0)``; all three arrays have the same shape."""
    np.greater(y, 0, out=out)        # 1.0 where y > 0, else 0.0
    out *= dy
