"""Numba ReLU backward. Reference twin: ``minicnn.functional.elementwise``.

One pass with a select instead of NumPy's two (compare into a 0/1 array, then multiply): about
2x faster on a first layer's output (LeNet-5: 64 x 28 x 28 x 6 values).
"""
import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def _relu_backward_kernel(dy_flat, y_flat, dz_flat):
    for t in range(dz_flat.size):
        dz_flat[t] = dy_flat[t] if y_flat[t] > 0 else 0


def relu_backward(dy, y, out):
    """Numba twin of ``minicnn.functional.elementwise.relu_backward``; ``out`` C-contiguous."""
    _relu_backward_kernel(np.ascontiguousarray(dy).reshape(-1),
                          np.ascontiguousarray(y).reshape(-1), out.reshape(-1))
