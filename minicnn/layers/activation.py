"""Activation layers: the functions of ``minicnn.activations`` as stand-alone layers.

``Activation("relu")`` is the same computation as ``Dense(..., activation="relu")``'s last step,
as its own row in ``summary()`` (002's models use ``Dense(100)`` then ``Activation('relu')``).
"""
from minicnn import activations
from minicnn.layers.base import Layer


class Activation(Layer):
    """Apply a named activation: "relu", "leaky_relu", "softmax", "sigmoid", "tanh", "linear"."""

    def __init__(self, activation, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.activation = activations.get(activation, self.layer_name)

    def forward(self, x, training=False):
        return self.activation.forward(x)

    def backward(self, dy, through_activation=True):
        # through_activation=False: dy already is dL/dx (the model's fused softmax + cross-entropy).
        return self.activation.backward(dy) if through_activation else dy

    def get_config(self):
        return {"name": self.layer_name, "activation": self.activation.name}


class ReLU(Activation):
    """``y = max(x, 0)``."""

    def __init__(self, name=None, **kwargs):
        super().__init__("relu", name, **kwargs)

    def get_config(self):
        return {"name": self.layer_name}


class LeakyReLU(Activation):
    """``y = x if x > 0 else negative_slope * x`` (Keras 2 called the slope ``alpha``; default 0.3)."""

    def __init__(self, negative_slope=0.3, name=None, alpha=None, **kwargs):
        super().__init__(activations.LeakyReLU(negative_slope if alpha is None else alpha), name,
                         **kwargs)

    def get_config(self):
        return {"name": self.layer_name, "negative_slope": self.activation.negative_slope}


class Softmax(Activation):
    """``y_k = exp(x_k) / sum_j exp(x_j)`` over the last axis."""

    def __init__(self, name=None, **kwargs):
        super().__init__("softmax", name, **kwargs)

    def get_config(self):
        return {"name": self.layer_name}
