"""Activation functions: forward, and backward by the chain rule.

Each is a tiny object that keeps what its backward pass needs (the output for ReLU, sigmoid,
tanh and softmax; the local slope for LeakyReLU). Layers with an ``activation=`` argument (Dense, Conv2D) own one; the
activation layers (ReLU, LeakyReLU, Softmax, Activation) are thin wrappers around one.

=============  ==========================================  ==========================================
name           forward  y = f(z)                           backward  dL/dz from g = dL/dy
=============  ==========================================  ==========================================
linear         z                                           g
relu           max(z, 0)                                   g * [z > 0]
leaky_relu     z if z > 0 else a*z   (a = 0.3, Keras)      g * (1 if z > 0 else a)
sigmoid        1 / (1 + exp(-z))                           g * y * (1 - y)
tanh           tanh(z)                                     g * (1 - y^2)
softmax        exp(z_k - max z) / sum_j exp(z_j - max z)   y * (g - sum_k g_k y_k)   (last axis)
=============  ==========================================  ==========================================

``forward(z, inplace=False)``: a layer that owns ``z`` -- Dense and Conv2D compute it fresh every
step -- passes ``inplace=True``, letting the activation write its output over ``z`` instead of
allocating another array of the same size (ReLU and tanh do; the others ignore it).

With a cross-entropy loss the model never calls ``Softmax.backward``: it computes softmax and
cross-entropy together from the logits (see ``minicnn.losses``), whose gradient is ``p - y``.
"""
import inspect

import numpy as np

from minicnn import ops


class Linear:
    name = "linear"

    def forward(self, z, inplace=False):
        return z

    def backward(self, dy):
        return dy


# (Written with maximum and multiplications rather than np.where: the same values, measured
# 5-10x faster on large float32 arrays, and activations run on every layer of every step.)
class ReLU:
    name = "relu"

    def forward(self, z, inplace=False):
        # The output is kept for backward: y > 0 exactly where z > 0. The passes run on all of
        # minicnn's threads in training (``minicnn.ops``); inplace=True writes y over z.
        self.y = ops.relu(z, out=z if inplace else None)
        return self.y

    def applied(self, y):
        """Keep ``y``, a ReLU output the layer's kernel computed already (Conv2D's kernels take
        max(z, 0) as they store z), as ``forward`` would; returns it."""
        self.y = y
        return y

    def backward(self, dy):
        # (Conv2D with a bias reads self.y itself: ops.relu_backward_sum_rows also sums dbias.)
        return ops.relu_backward(dy, self.y)      # dy * (y > 0): 0 where z <= 0


class LeakyReLU:
    name = "leaky_relu"

    def __init__(self, negative_slope=0.3):
        self.negative_slope = negative_slope

    def forward(self, z, inplace=False):
        # slope[k] = 1 where z > 0, else negative_slope: the local derivative, kept for backward
        a = z.dtype.type(self.negative_slope)
        self.slope = (z > 0) * (1 - a) + a
        return z * self.slope

    def backward(self, dy):
        return dy * self.slope


class Sigmoid:
    name = "sigmoid"

    def forward(self, z, inplace=False):
        # Two branches so exp never overflows: for z < 0 use exp(z) / (1 + exp(z)).
        e = np.exp(-np.abs(z))
        self.y = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)
        return self.y

    def backward(self, dy):
        return dy * self.y * (1 - self.y)


class Tanh:
    name = "tanh"

    def forward(self, z, inplace=False):
        self.y = np.tanh(z, out=z if inplace else None)
        return self.y

    def backward(self, dy):
        return dy * (1 - self.y * self.y)


def softmax(z):
    """Numerically stable softmax over the last axis (subtracting the max changes nothing)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Softmax:
    name = "softmax"

    def forward(self, z, inplace=False):     # never in place: the logits are kept
        self.z = z                      # the logits: a fused cross-entropy reads them from here
        self.y = softmax(z)
        return self.y

    def backward(self, dy):
        # Jacobian-vector product of softmax: dz_k = y_k * (dy_k - sum_j dy_j * y_j).
        return self.y * (dy - (dy * self.y).sum(axis=-1, keepdims=True))


ACTIVATIONS = {
    "linear": Linear,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "softmax": Softmax,
}


def get(identifier, layer_name="layer"):
    """A fresh activation object from a name (``None`` means linear) or an activation object:
    one with ``forward(z, inplace=False)`` and ``backward(dy)`` like the classes above."""
    if identifier is None:
        return Linear()
    if isinstance(identifier, str) and identifier.lower() in ACTIVATIONS:
        return ACTIVATIONS[identifier.lower()]()
    if hasattr(identifier, "forward") and hasattr(identifier, "backward"):
        try:
            parameters = inspect.signature(identifier.forward).parameters
        except (TypeError, ValueError):            # a compiled forward: cannot tell, trust it
            return identifier
        takes_keywords = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        if "inplace" not in parameters and not takes_keywords:
            raise ValueError(f"{layer_name}: activation object {identifier!r} needs "
                             f"forward(z, inplace=False) (layers pass inplace=True for an array "
                             f"they own; the object may ignore it)")
        return identifier
    raise ValueError(f"{layer_name}: unknown activation {identifier!r}; valid names: "
                     + ", ".join(ACTIVATIONS))
