"""BatchNormalization: normalise each channel with the batch's statistics, then scale and shift.

Shapes: y has the shape of x. ``axis`` (Keras's meaning: an axis of the batch tensor, default
-1) is the channel axis; every other axis is reduced -- N, H, W for images (N, H, W, C), N for
features (N, D). Per channel, with ``m`` = the number of values reduced (N*H*W or N)::

    mean = (1/m) sum x                      var = (1/m) sum (x - mean)^2      (biased)
    x_hat = (x - mean) / sqrt(var + epsilon)
    y     = gamma * x_hat + beta

**Training** (``training=True``) uses the batch's ``mean``/``var`` and updates the moving
statistics, Keras's way (momentum 0.99)::

    moving_mean     = moving_mean     * momentum + mean * (1 - momentum)
    moving_variance = moving_variance * momentum + var  * (1 - momentum)

with the *biased* batch variance: tf.keras's non-fused path uses ``tf.nn.moments`` (biased);
its fused path (4-D inputs) gets a Bessel-corrected variance from the FusedBatchNorm kernel
but multiplies it back by ``(m - 1)/m`` "to be consistent with non-fused batch norm"; Keras 3
uses ``ops.moments`` (biased). The output depends only on the batch, so repeated forwards of
one batch give the same result (the moving statistics drift, which is fine).

**Inference** (``training=False``, the default, as in ``evaluate``/``predict``) uses
``moving_mean``/``moving_variance`` instead: y is then an affine function of x.

Backward. ``dbeta = sum dy`` and ``dgamma = sum dy * x_hat`` (sums over the reduced axes).
With ``g = dL/dx_hat = gamma * dy`` and ``s = 1/sqrt(var + epsilon)``, in inference mode
``dx = s * g``; in training mode mean and var depend on every x of the channel, and the
chain rule through them gives (each mean over the reduced axes)::

    dL/dvar  = sum g * (x - mean) * (-1/2) s^3
    dL/dmean = -s * sum g            (the dL/dvar * d(var)/d(mean) term is 0: sum(x - mean) = 0)
    dx = s*g + dL/dvar * 2(x - mean)/m + dL/dmean / m
       = s * (g - mean(g) - x_hat * mean(g * x_hat))

Parameters: ``gamma``, ``beta`` (trainable), ``moving_mean``, ``moving_variance``
(non-trainable), each of shape (C,): 4*C in ``summary()``, of which 2*C non-trainable
(001's model_fash: 4*64 = 256 and 4*1152 = 4,608).
"""
import numpy as np

from minicnn import initializers
from minicnn.layers.base import Layer, floatx


class BatchNormalization(Layer):
    """``BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True)``."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, name=None, **kwargs):
        super().__init__(name, **kwargs)
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(f"{self.layer_name}: axis must be an int, got {axis!r}")
        if not (isinstance(momentum, (int, float)) and 0.0 <= momentum <= 1.0):
            raise ValueError(f"{self.layer_name}: momentum must be in [0, 1], got {momentum!r}")
        if not (isinstance(epsilon, (int, float)) and epsilon > 0):
            raise ValueError(f"{self.layer_name}: epsilon must be > 0, got {epsilon!r}")
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.initializers = {
            name: initializers.get(identifier, f"{name}_initializer", self.layer_name)
            for name, identifier in (("gamma", gamma_initializer), ("beta", beta_initializer),
                                     ("moving_mean", moving_mean_initializer),
                                     ("moving_variance", moving_variance_initializer))}
        self._set_regularizers(gamma=gamma_regularizer, beta=beta_regularizer)

    def _channel_axis(self, input_shape):
        """``axis`` as an index of the batch tensor (N, *input_shape); never 0 (the batch)."""
        ndim = len(input_shape) + 1
        if not -ndim <= self.axis < ndim or self.axis % ndim == 0:
            raise ValueError(f"{self.layer_name}: axis={self.axis} is not a channel axis of an "
                             f"input of shape (None, {', '.join(map(str, input_shape))}); use "
                             f"axis=-1 (channels last) or 1..{ndim - 1}")
        return self.axis % ndim

    def compute_output_shape(self, input_shape):
        self._channel_axis(input_shape)
        return tuple(input_shape)

    def build(self, input_shape):
        axis = self._channel_axis(input_shape)
        channels = input_shape[axis - 1]
        ndim = len(input_shape) + 1
        self.reduce_axes = tuple(a for a in range(ndim) if a != axis)    # (0, 1, 2) for NHWC
        # the (C,) statistics broadcast against x as (1, ..., C, ..., 1)
        self.broadcast_shape = tuple(channels if a == axis else 1 for a in range(ndim))
        for name, wanted in (("gamma", self.scale), ("beta", self.center)):
            if wanted:
                self.params[name] = initializers.initialize(self.initializers[name], (channels,),
                                                            floatx())
        for name in ("moving_mean", "moving_variance"):
            self.non_trainable_params[name] = initializers.initialize(self.initializers[name],
                                                                      (channels,), floatx())
        super().build(input_shape)

    def forward(self, x, training=False):
        self.training = training                          # backward differs between the modes
        if training:
            mean = x.mean(axis=self.reduce_axes)
            var = x.var(axis=self.reduce_axes)            # biased: divides by m
            momentum = self.momentum
            moving_mean = self.non_trainable_params["moving_mean"]
            moving_variance = self.non_trainable_params["moving_variance"]
            moving_mean *= momentum                       # in place: the arrays stay the same
            moving_mean += (1.0 - momentum) * mean
            moving_variance *= momentum
            moving_variance += (1.0 - momentum) * var
        else:
            mean = self.non_trainable_params["moving_mean"].astype(x.dtype)
            var = self.non_trainable_params["moving_variance"].astype(x.dtype)
        inv_std = 1.0 / np.sqrt(var + x.dtype.type(self.epsilon))
        self.inv_std = inv_std.reshape(self.broadcast_shape)
        self.x_hat = (x - mean.reshape(self.broadcast_shape)) * self.inv_std
        y = self.x_hat
        if self.scale:
            y = y * self.params["gamma"].reshape(self.broadcast_shape)
        if self.center:
            y = y + self.params["beta"].reshape(self.broadcast_shape)
        return y.astype(x.dtype, copy=False)

    def backward(self, dy):
        axes, shape = self.reduce_axes, self.broadcast_shape
        if self.center:
            self.grads["beta"] = dy.sum(axis=axes)
        if self.scale:
            self.grads["gamma"] = (dy * self.x_hat).sum(axis=axes)
            g = dy * self.params["gamma"].reshape(shape)   # dL/dx_hat
        else:
            g = dy
        if self.training:
            # s * (g - mean(g) - x_hat * mean(g * x_hat)), means over the reduced axes
            dx = self.inv_std * (g - g.mean(axis=axes, keepdims=True)
                                 - self.x_hat * (g * self.x_hat).mean(axis=axes, keepdims=True))
        else:
            dx = self.inv_std * g
        self._add_regularization_gradients()                  # + d(penalty)/dgamma, if any
        return dx.astype(dy.dtype, copy=False)

    def explain(self):
        c = self.count_params() // 4 if self.center and self.scale else None
        if c is None:
            return [f"params: {self.count_params():,}"]
        return [f"params: 4*C = 4*{c} = {4 * c:,} (gamma, beta trainable; moving mean and "
                f"variance 2*{c} = {2 * c:,} non-trainable)"]

    def get_config(self):
        return {"name": self.layer_name, "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                **self._regularizer_config()}
