"""Numba ReLU backward. Reference twin: ``minicnn.functional.elementwise``.

One pass with a select instead of NumPy's (fill with 0, then copy where y > 0): about 2x faster
on a first layer's output (LeNet-5: 64 x 28 x 28 x 6 values).
"""
import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def _relu_backward_kernel(dy_flat, y_flat, dz_flat):
    for t in range(dz_flat.size):
        dz_flat[t] = dy_flat[t] if y_flat[t] > 0 else 0


def relu_backward(dy, y, out):
    """Numba twin of ``minicnn.functional.elementwise.relu_backward``; ``out`` C-contiguous."""
    if not out.flags.c_contiguous:         # reshape(-1) would copy, and the result be lost
        raise ValueError("relu_backward: out must be C-contiguous")
    _relu_backward_kernel(np.ascontiguousarray(dy).reshape(-1),
                          np.ascontiguousarray(y).reshape(-1), out.reshape(-1))
