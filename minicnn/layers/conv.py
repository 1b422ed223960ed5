"""Conv2D: 2-D convolution (cross-correlation, as in every DL framework), channels-last.

Shapes (NHWC, Keras): x (N, H, W, C) -> y (N, OH, OW, F), with ``kernel`` (KH, KW, C, F) and
``bias`` (F,). With padding applied first (see ``minicnn.shapes`` for "valid"/"same")::

    z[n, oh, ow, f] = bias[f] + sum_{i, j, c} x_pad[n, oh*SH + i, ow*SW + j, c] * kernel[i, j, c, f]
    y = activation(z)

Forward as one matrix multiply (``minicnn.functional.conv`` explains im2col)::

    x_cols = im2col(x_pad)                    # (N*OH*OW, KH*KW*C): one row per output pixel
    z2d    = x_cols @ kernel2d + bias         # kernel2d = kernel.reshape(KH*KW*C, F)

Backward, with ``dz2d = dL/dz`` reshaped to (N*OH*OW, F) -- the same three lines as Dense,
because after im2col a convolution *is* a Dense layer applied to every window::

    dkernel2d = x_cols^T @ dz2d               # (KH*KW*C, F) -> reshape to kernel's shape
    dbias     = sum over rows of dz2d         # (F,)
    dx_cols   = dz2d @ kernel2d^T             # (N*OH*OW, KH*KW*C)
    dx        = crop(col2im(dx_cols))         # add each window's gradient back, drop the padding

The layer calls ``ops.im2col_matmul`` for the forward lines (the padding and the bias included)
and ``ops.im2col_matmul_backward`` for dkernel2d, dx_cols and dx (the crop included): with the
numpy backend exactly these lines, one after the other. With Numba, inside training, each runs
a few images at a time, so a block's columns are used while they are in cache, and no x_cols is
kept between the passes: backward makes each block's columns again from the input ``self.x``
(9x smaller for a 3x3 kernel); the kernels write the padding into x_cols, and leave it out of
dx, without a padded copy of x or dx. ``layer.x_cols`` makes the whole matrix when you ask for
it (to print it in a debugger).

With ``activation="relu"``, ``y = max(z, 0)`` is taken inside the forward kernels, as each
block or value of z is stored, instead of in a second pass over the layer's output (a NaN stays
NaN). In backward, a ReLU's ``dz = dy where y > 0, else 0`` and ``dbias`` are computed by one
call, ``ops.relu_backward_sum_rows`` (the Numba kernel reads dy once for both).

One input channel with stride 1 -- the first layer of every model on MNIST-style grayscale
images -- takes a shortcut with the same results: im2col would copy each pixel KH*KW times into
a matrix with only KH*KW columns, so ``ops.conv2d_one_channel`` and
``ops.conv2d_one_channel_dkernel`` compute z and dkernel from it (Numba: z tap by tap, dkernel
from a few images' columns at a time; the layer keeps ``x_padded``, not ``x_cols``)::

    z[n, oh, ow, :] = bias + sum_{i, j} x_pad[n, oh + i, ow + j, 0] * kernel[i, j, 0, :]

Parameter count: ``(KH*KW*C + 1) * F`` -- e.g. 3x3 on 1 channel, 32 filters: (9 + 1) * 32 = 320.

``kernel_regularizer=l2(0.01)`` adds ``0.01 * sum(kernel**2)`` to the model's loss and
``0.02 * kernel`` to ``dkernel`` at the end of ``backward`` (see ``minicnn.regularizers``).
"""
import numpy as np

from minicnn import activations, initializers, ops
from minicnn.layers.base import Layer, floatx
from minicnn.shapes import explain_window, normalize_padding, normalize_tuple, padding_2d, \
    positive_int, require_image, window_output_hw


class Conv2D(Layer):
    """2-D convolution layer: ``Conv2D(filters, kernel_size, strides=1, padding="valid", ...)``."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.filters = positive_int(filters, "filters", self.layer_name)
        self.kernel_size = normalize_tuple(kernel_size, 2, "kernel_size", self.layer_name)
        self.strides = normalize_tuple(strides, 2, "strides", self.layer_name)
        self.padding = normalize_padding(padding, self.layer_name)
        self.activation = activations.get(activation, self.layer_name)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer, "kernel_initializer",
                                                   self.layer_name)
        self.bias_initializer = initializers.get(bias_initializer, "bias_initializer",
                                                 self.layer_name)
        self._init_names = (kernel_initializer, bias_initializer)
        self._set_regularizers(kernel=kernel_regularizer, bias=bias_regularizer)

    def compute_output_shape(self, input_shape):
        require_image(self.layer_name, input_shape)
        oh, ow = window_output_hw(self.layer_name, "kernel", input_shape[:2], self.kernel_size,
                                  self.strides, self.padding)
        return (oh, ow, self.filters)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)       # fail early with the arithmetic
        kh, kw = self.kernel_size
        c_in = input_shape[-1]
        self.params["kernel"] = initializers.initialize(
            self.kernel_initializer, (kh, kw, c_in, self.filters), floatx())
        if self.use_bias:
            self.params["bias"] = initializers.initialize(self.bias_initializer, (self.filters,),
                                                          floatx())
        # ((top, bottom), (left, right)); TensorFlow's "same" puts an odd extra pixel bottom/right.
        self.pad_hw = padding_2d(input_shape[:2], self.kernel_size, self.strides, self.padding)
        self.one_channel = self._one_channel_shortcut(c_in)
        super().build(input_shape)

    def _one_channel_shortcut(self, c_in):
        """Whether the one-channel shortcut (module docstring) applies; it assumes stride 1."""
        return c_in == 1 and self.strides == (1, 1)

    def _bias_or_zeros(self):
        """The bias, or zeros with use_bias=False: the one-channel kernels always add one."""
        kernel = self.params["kernel"]
        return self.params["bias"] if self.use_bias else np.zeros(self.filters, kernel.dtype)

    def forward(self, x, training=False):
        n = x.shape[0]
        oh, ow, f = self.output_shape
        kernel = self.params["kernel"]
        # A ReLU is applied by the convolution's kernels, each value as it is computed.
        fused_relu = isinstance(self.activation, activations.ReLU)
        if self.one_channel:                     # no im2col; bias, and a ReLU, included
            self.x_padded = ops.pad_nhwc(x, self.pad_hw)
            z = ops.conv2d_one_channel(self.x_padded, kernel, self._bias_or_zeros(),
                                       relu=fused_relu)                   # (N, OH, OW, F)
        else:
            self.x = np.ascontiguousarray(x)     # backward makes x_cols again from it
            # z2d (N*OH*OW, F) = x_cols @ kernel2d + bias      (then max(z2d, 0) with a ReLU),
            # x_cols (N*OH*OW, KH*KW*C) = im2col(x padded by pad_hw)
            z2d = ops.im2col_matmul(x, kernel.reshape(-1, f), self.kernel_size, self.strides,
                                    self.params["bias"] if self.use_bias else None,
                                    relu=fused_relu, pad_hw=self.pad_hw)
            z = z2d.reshape(n, oh, ow, f)
        if fused_relu:
            return self.activation.applied(z)                    # y = max(z, 0) already
        # z is this step's own array: the activation may write its output over it.
        return self.activation.forward(z, inplace=True)

    @property
    def x_cols(self):
        """im2col of the last forward pass's padded input, (N*OH*OW, KH*KW*C): one row per
        output pixel, one column per kernel tap. Made when asked for (``p self.x_cols`` in a
        debugger): training makes it a few images at a time and keeps none."""
        if self.one_channel and "x_padded" in self.__dict__:       # the one-channel path
            return ops.im2col(self.x_padded, self.kernel_size, (1, 1))
        if "x" not in self.__dict__:
            raise AttributeError(f"{self.layer_name}: x_cols is made from the input of the last "
                                 f"forward pass, and this layer has not run forward yet")
        return ops.im2col(ops.pad_nhwc(self.x, self.pad_hw), self.kernel_size, self.strides)

    def backward(self, dy, through_activation=True):
        f = self.filters
        kernel = self.params["kernel"]
        kernel2d = kernel.reshape(-1, f)
        relu_and_bias = (through_activation and self.use_bias
                         and isinstance(self.activation, activations.ReLU))
        if relu_and_bias:
            # dz = dy where y > 0, else 0, and dbias = sum of dz: one pass over dy, not two
            dz, self.grads["bias"] = ops.relu_backward_sum_rows(dy, self.activation.y)
        else:
            # dL/dz: through the activation, unless the caller already has it (fused softmax-CE).
            dz = self.activation.backward(dy) if through_activation else dy
        dz2d = dz.reshape(-1, f)                                # (N*OH*OW, F)
        if self.use_bias and not relu_and_bias:
            self.grads["bias"] = ops.sum_rows(dz2d)             # sum over all output pixels
        # dkernel2d = x_cols^T @ dz2d; dx = col2im(dz2d @ kernel2d^T), the padding's share
        # dropped -- unless no one needs dL/dx (the first layer in training: dx is None)
        need_dx = self.input_gradient_needed
        if self.one_channel:
            self.grads["kernel"] = ops.conv2d_one_channel_dkernel(self.x_padded, dz,
                                                                  self.kernel_size)
            dx = (ops.unpad_nhwc(ops.col2im(ops.matmul(dz2d, kernel2d.T), self.x_padded.shape,
                                            self.kernel_size, self.strides), self.pad_hw)
                  if need_dx else None)
        else:
            dkernel2d, dx = ops.im2col_matmul_backward(self.x, dz2d, kernel2d, self.kernel_size,
                                                       self.strides, self.pad_hw, need_dx)
            self.grads["kernel"] = dkernel2d.reshape(kernel.shape)
        self._add_regularization_gradients()                   # + d(penalty)/dkernel, if any
        return dx

    def explain(self):
        kh, kw = self.kernel_size
        c, f = self.input_shape[-1], self.filters
        params = (f"(KH*KW*C_in + 1)*F = ({kh}*{kw}*{c} + 1)*{f}" if self.use_bias
                  else f"KH*KW*C_in*F = {kh}*{kw}*{c}*{f}")
        lines = explain_window(self.input_shape[:2], self.kernel_size, self.strides, self.pad_hw,
                               self.padding, what=f", {f} filters")
        return lines + [f"params: {params} = {self.count_params():,}"]

    def get_config(self):
        return {"name": self.layer_name, "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "activation": self.activation.name,
                "use_bias": self.use_bias, "kernel_initializer": self._init_names[0],
                **self._regularizer_config()}
