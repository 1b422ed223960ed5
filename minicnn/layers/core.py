"""Core layers: Input, Dense, Flatten, Dropout."""
import numpy as np

from minicnn import activations, initializers, ops
from minicnn.layers.base import Layer, floatx
from minicnn.rng import child_generator
from minicnn.shapes import per_sample_shape, positive_int


class Input:
    """Declares the per-sample input shape as the first entry of a ``Sequential`` list.

    ``Sequential([Input((28, 28, 1)), Conv2D(32, 3), ...])`` is the same as passing
    ``input_shape=(28, 28, 1)``. Like Keras, it is not a layer and has no row in ``summary()``.
    """

    def __init__(self, shape):
        self.shape = per_sample_shape(shape, "Input")

    def __repr__(self):
        return f"Input(shape={self.shape})"


class Dense(Layer):
    """Fully connected layer: ``y = activation(x @ kernel + bias)``.

    Shapes: x (N, D_in) -> y (N, units); ``kernel`` (D_in, units), ``bias`` (units,).
    (Higher-rank inputs are treated as Keras does: the product runs over the last axis.)

    Backward, with ``dz = dL/dz`` for ``z = x @ kernel + bias``::

        dkernel = x^T @ dz           (D_in, units)
        dbias   = sum_n dz[n]        (units,)
        dx      = dz @ kernel^T      (N, D_in)

    ``kernel_regularizer=l2(0.01)`` adds ``0.01 * sum(kernel**2)`` to the loss and
    ``0.02 * kernel`` to ``dkernel`` (``minicnn.regularizers``).
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.units = positive_int(units, "units", self.layer_name)
        self.activation = activations.get(activation, self.layer_name)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer, "kernel_initializer",
                                                   self.layer_name)
        self.bias_initializer = initializers.get(bias_initializer, "bias_initializer",
                                                 self.layer_name)
        self._init_names = (kernel_initializer, bias_initializer)
        self._set_regularizers(kernel=kernel_regularizer, bias=bias_regularizer)

    def build(self, input_shape):
        d_in = input_shape[-1]
        self.params["kernel"] = initializers.initialize(self.kernel_initializer, (d_in, self.units),
                                                        floatx())
        if self.use_bias:
            self.params["bias"] = initializers.initialize(self.bias_initializer, (self.units,),
                                                          floatx())
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def forward(self, x, training=False):
        self.x = x                                        # (N, D_in), kept for dkernel
        z = ops.matmul(x, self.params["kernel"])
        if self.use_bias:
            ops.add_bias(z, self.params["bias"])              # z += bias, in place
        return self.activation.forward(z, inplace=True)   # z is ours: overwrite it

    def backward(self, dy, through_activation=True):
        # dL/dz: through the activation, unless the caller already has it (the model's fused
        # softmax + cross-entropy passes dL/dlogits = p - y directly).
        dz = self.activation.backward(dy) if through_activation else dy
        x2d = self.x.reshape(-1, self.x.shape[-1])      # (N, D_in) even for rank > 2 inputs
        dz2d = dz.reshape(-1, self.units)                # (N, units)
        self.grads["kernel"] = ops.matmul(x2d.T, dz2d)
        if self.use_bias:
            self.grads["bias"] = ops.sum_rows(dz2d)     # sum over the batch
        self._add_regularization_gradients()            # + d(penalty)/dkernel, if any
        if not self.input_gradient_needed:      # first layer in training: no one needs dL/dx
            return None
        return ops.matmul(dz, self.params["kernel"].T)

    def explain(self):
        d_in = self.input_shape[-1]
        params = (f"(D_in + 1)*units = ({d_in} + 1)*{self.units}" if self.use_bias
                  else f"D_in*units = {d_in}*{self.units}")
        return [f"params: {params} = {self.count_params():,}"]

    def get_config(self):
        return {"name": self.layer_name, "units": self.units, "activation": self.activation.name,
                "use_bias": self.use_bias, "kernel_initializer": self._init_names[0],
                **self._regularizer_config()}


class Flatten(Layer):
    """Reshape ``(N, H, W, C) -> (N, H*W*C)`` in C order (what Keras does for channels-last)."""

    def compute_output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x, training=False):
        return x.reshape(x.shape[0], -1)

    def backward(self, dy):
        return dy.reshape((dy.shape[0],) + self.input_shape)

    def explain(self):
        return [f"output: {'*'.join(map(str, self.input_shape))} = {self.output_shape[0]:,} "
                f"values per sample"]


class Dropout(Layer):
    """Inverted dropout: ``rate`` is the probability of *dropping* a value (Keras's meaning).

    Training:  ``y = x * mask / (1 - rate)`` with ``mask ~ Bernoulli(1 - rate)`` drawn per call
    (kept where a uniform draw is >= rate: ``ops.dropout``), so the expected value of ``y``
    equals ``x``. Inference: ``y = x``.
    Backward:  ``dx = dy * mask / (1 - rate)`` -- the same scaled mask, kept as ``dropout_mask``.

    Randomness comes from ``self.rng`` (a ``np.random.Generator``): fixed by ``seed=``, reseeded
    by ``fit(seed=...)``, and reset before each forward by the gradient checker to freeze the mask.
    Each call takes one 64-bit seed from it; the uniform draws are that seed's SplitMix64 stream
    (``minicnn.functional.elementwise.uniform_draws``), made where they are used instead of
    filled into an array first (``minicnn.kernels.elementwise`` says what that saves).
    """

    def __init__(self, rate, seed=None, name=None, **kwargs):
        super().__init__(name, **kwargs)
        if not (isinstance(rate, (int, float)) and 0.0 <= rate < 1.0):
            raise ValueError(f"{self.layer_name}: rate must be a number in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.seed = seed
        self.rng = child_generator(seed)

    def forward(self, x, training=False):
        if not training or self.rate == 0.0:
            self.dropout_mask = None                      # identity: backward passes dy through
            return x
        seed = self.rng.integers(2**64, dtype=np.uint64)       # this call's draws: its stream
        y, self.dropout_mask = ops.dropout(x, seed, self.rate)  # kept where draws >= rate
        return y

    def backward(self, dy):
        if self.dropout_mask is None:
            return dy
        return dy * self.dropout_mask

    def get_config(self):
        return {"name": self.layer_name, "rate": self.rate}
