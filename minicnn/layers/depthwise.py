"""DepthwiseConv2D and SeparableConv2D: convolutions that filter each channel on its own.

**DepthwiseConv2D** -- every input channel ``c`` gets ``M`` (``depth_multiplier``) kernels of its
own; channels are never mixed. Shapes (NHWC, Keras): x (N, H, W, C) -> y (N, OH, OW, C*M), with
``depthwise_kernel`` (KH, KW, C, M) and ``bias`` (C*M,); output sizes and padding as Conv2D::

    z[n, oh, ow, c*M + m] = bias[c*M + m]
                            + sum_{i, j} x_pad[n, oh*SH + i, ow*SW + j, c] * kernel[i, j, c, m]
    y = activation(z)

There is no sum over ``c``, so unlike Conv2D this is not one GEMM: ``minicnn.functional.depthwise``
(NumPy) and ``minicnn.kernels.depthwise`` (Numba) compute it and its gradients (``kernel`` is
``depthwise_kernel``)::

    dkernel[i, j, c, m] = sum_{n, oh, ow} x_pad[n, oh*SH + i, ow*SW + j, c] * dz[n, oh, ow, c*M + m]
    dx_pad[n, oh*SH + i, ow*SW + j, c] += sum_m dz[n, oh, ow, c*M + m] * kernel[i, j, c, m]
    dbias = sum over (n, oh, ow) of dz

Parameters: ``KH*KW*C*M + C*M`` -- 002's convNN_7, a 28x28 kernel on one channel: 784 + 1 = 785.

**SeparableConv2D** -- a depthwise convolution (no bias) followed by a pointwise (1x1)
convolution that mixes the ``C*M`` channels into ``filters``; ``pointwise_kernel`` has Keras's
shape (1, 1, C*M, F). A 1x1 convolution is a Dense layer applied to every pixel::

    d = depthwise(x_pad)                          # (N, OH, OW, C*M)
    z = d @ pointwise_kernel.reshape(C*M, F) + bias
    y = activation(z)

Backward: ``dpointwise2d = d2d^T @ dz2d``, ``dbias = sum of dz2d``, ``dd2d = dz2d @ pointwise2d^T``,
then the depthwise backward of ``dd``. Parameters ``KH*KW*C*M + C*M*F + F`` -- 002's convNN_6
(3x3, one channel, 32 filters): 9 + 32 + 32 = 73.

Initialisers: glorot_uniform on the kernels' own shapes (Keras): the depthwise kernel
(KH, KW, C, M) has fan_in = KH*KW*C and fan_out = KH*KW*M.
"""
from minicnn import activations, initializers, ops
from minicnn.layers.base import Layer, floatx
from minicnn.shapes import explain_window, normalize_padding, normalize_tuple, padding_2d, \
    positive_int, require_image, window_output_hw


class DepthwiseConv2D(Layer):
    """``DepthwiseConv2D(kernel_size, strides=1, padding="valid", depth_multiplier=1, ...)``."""

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.kernel_size = normalize_tuple(kernel_size, 2, "kernel_size", self.layer_name)
        self.strides = normalize_tuple(strides, 2, "strides", self.layer_name)
        self.padding = normalize_padding(padding, self.layer_name)
        self.depth_multiplier = positive_int(depth_multiplier, "depth_multiplier", self.layer_name)
        self.activation = activations.get(activation, self.layer_name)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer,
                                                      "depthwise_initializer", self.layer_name)
        self.bias_initializer = initializers.get(bias_initializer, "bias_initializer",
                                                 self.layer_name)
        self._init_names = (depthwise_initializer, bias_initializer)
        self._set_regularizers(depthwise_kernel=depthwise_regularizer, bias=bias_regularizer)

    def compute_output_shape(self, input_shape):
        require_image(self.layer_name, input_shape)
        oh, ow = window_output_hw(self.layer_name, "kernel", input_shape[:2], self.kernel_size,
                                  self.strides, self.padding)
        return (oh, ow, input_shape[2] * self.depth_multiplier)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)       # fail early with the arithmetic
        kh, kw = self.kernel_size
        c_in = input_shape[-1]
        self.params["depthwise_kernel"] = initializers.initialize(
            self.depthwise_initializer, (kh, kw, c_in, self.depth_multiplier), floatx())
        if self.use_bias:
            self.params["bias"] = initializers.initialize(
                self.bias_initializer, (c_in * self.depth_multiplier,), floatx())
        self.pad_hw = padding_2d(input_shape[:2], self.kernel_size, self.strides, self.padding)
        super().build(input_shape)

    def forward(self, x, training=False):
        self.x_padded = ops.pad_nhwc(x, self.pad_hw)            # the depthwise backward needs it
        z = ops.depthwise_conv2d(self.x_padded, self.params["depthwise_kernel"], self.strides)
        if self.use_bias:
            ops.add_bias(z, self.params["bias"])                    # z += bias, in place
        return self.activation.forward(z, inplace=True)         # z is ours: overwrite it

    def backward(self, dy, through_activation=True):
        dz = self.activation.backward(dy) if through_activation else dy
        dx_padded, self.grads["depthwise_kernel"] = ops.depthwise_conv2d_backward(
            dz, self.x_padded, self.params["depthwise_kernel"], self.strides)
        if self.use_bias:
            self.grads["bias"] = ops.sum_rows(dz.reshape(-1, dz.shape[-1]))  # over (n, oh, ow)
        self._add_regularization_gradients()                   # + d(penalty)/dkernel, if any
        return ops.unpad_nhwc(dx_padded, self.pad_hw)

    def explain(self):
        kh, kw = self.kernel_size
        c, m = self.input_shape[-1], self.depth_multiplier
        params = f"KH*KW*C*M + C*M = {kh}*{kw}*{c}*{m} + {c}*{m}" if self.use_bias \
            else f"KH*KW*C*M = {kh}*{kw}*{c}*{m}"
        lines = explain_window(self.input_shape[:2], self.kernel_size, self.strides, self.pad_hw,
                               self.padding, what=f", C*M = {c * m} channels")
        return lines + [f"params: {params} = {self.count_params():,}"]

    def get_config(self):
        config = {"name": self.layer_name, "kernel_size": self.kernel_size,
                  "strides": self.strides, "padding": self.padding,
                  "depth_multiplier": self.depth_multiplier,
                  "activation": self.activation.name, "use_bias": self.use_bias,
                  "depthwise_initializer": self._init_names[0]}
        return {**config, **self._regularizer_config()}


class SeparableConv2D(Layer):
    """``SeparableConv2D(filters, kernel_size, strides=1, padding="valid", depth_multiplier=1,
    ...)``: depthwise convolution, then a pointwise 1x1 convolution to ``filters`` channels."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.filters = positive_int(filters, "filters", self.layer_name)
        self.kernel_size = normalize_tuple(kernel_size, 2, "kernel_size", self.layer_name)
        self.strides = normalize_tuple(strides, 2, "strides", self.layer_name)
        self.padding = normalize_padding(padding, self.layer_name)
        self.depth_multiplier = positive_int(depth_multiplier, "depth_multiplier", self.layer_name)
        self.activation = activations.get(activation, self.layer_name)
        self.use_bias = use_bias
        self.initializers = {
            "depthwise_kernel": initializers.get(depthwise_initializer, "depthwise_initializer",
                                                 self.layer_name),
            "pointwise_kernel": initializers.get(pointwise_initializer, "pointwise_initializer",
                                                 self.layer_name),
            "bias": initializers.get(bias_initializer, "bias_initializer", self.layer_name)}
        self._init_names = (depthwise_initializer, pointwise_initializer, bias_initializer)
        self._set_regularizers(depthwise_kernel=depthwise_regularizer,
                               pointwise_kernel=pointwise_regularizer, bias=bias_regularizer)

    def compute_output_shape(self, input_shape):
        require_image(self.layer_name, input_shape)
        oh, ow = window_output_hw(self.layer_name, "kernel", input_shape[:2], self.kernel_size,
                                  self.strides, self.padding)
        return (oh, ow, self.filters)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        kh, kw = self.kernel_size
        c_in, m = input_shape[-1], self.depth_multiplier
        shapes = {"depthwise_kernel": (kh, kw, c_in, m),
                  "pointwise_kernel": (1, 1, c_in * m, self.filters),
                  "bias": (self.filters,)}
        for name, shape in shapes.items():
            if name != "bias" or self.use_bias:
                self.params[name] = initializers.initialize(self.initializers[name], shape,
                                                            floatx())
        self.pad_hw = padding_2d(input_shape[:2], self.kernel_size, self.strides, self.padding)
        super().build(input_shape)

    def forward(self, x, training=False):
        n = x.shape[0]
        oh, ow, f = self.output_shape
        self.x_padded = ops.pad_nhwc(x, self.pad_hw)
        d = ops.depthwise_conv2d(self.x_padded, self.params["depthwise_kernel"], self.strides)
        self.depthwise_out2d = d.reshape(n * oh * ow, -1)          # (N*OH*OW, C*M)
        z2d = ops.matmul(self.depthwise_out2d, self.params["pointwise_kernel"].reshape(-1, f))
        if self.use_bias:
            ops.add_bias(z2d, self.params["bias"])                  # z2d += bias, in place
        return self.activation.forward(z2d.reshape(n, oh, ow, f), inplace=True)

    def backward(self, dy, through_activation=True):
        dz = self.activation.backward(dy) if through_activation else dy
        f = self.filters
        pointwise = self.params["pointwise_kernel"]
        dz2d = dz.reshape(-1, f)                                   # (N*OH*OW, F)
        # pointwise (a Dense layer on every pixel)
        self.grads["pointwise_kernel"] = ops.matmul(self.depthwise_out2d.T,
                                                    dz2d).reshape(pointwise.shape)
        if self.use_bias:
            self.grads["bias"] = ops.sum_rows(dz2d)
        dd = ops.matmul(dz2d, pointwise.reshape(-1, f).T)
        dd = dd.reshape(dz.shape[:3] + (-1,))                         # (N, OH, OW, C*M)
        # depthwise
        dx_padded, self.grads["depthwise_kernel"] = ops.depthwise_conv2d_backward(
            dd, self.x_padded, self.params["depthwise_kernel"], self.strides)
        self._add_regularization_gradients()                   # + d(penalties)/dkernels, if any
        return ops.unpad_nhwc(dx_padded, self.pad_hw)

    def explain(self):
        kh, kw = self.kernel_size
        c, m, f = self.input_shape[-1], self.depth_multiplier, self.filters
        formula = "depthwise KH*KW*C*M + pointwise C*M*F" + (" + bias F" if self.use_bias else "")
        bias = f" + {f}" if self.use_bias else ""
        lines = explain_window(self.input_shape[:2], self.kernel_size, self.strides, self.pad_hw,
                               self.padding, what=f", {f} filters")
        return lines + [f"params: {formula} = {kh}*{kw}*{c}*{m} + {c}*{m}*{f}{bias} = "
                        f"{self.count_params():,}"]

    def get_config(self):
        config = {"name": self.layer_name, "filters": self.filters,
                  "kernel_size": self.kernel_size, "strides": self.strides,
                  "padding": self.padding, "depth_multiplier": self.depth_multiplier,
                  "activation": self.activation.name, "use_bias": self.use_bias,
                  "depthwise_initializer": self._init_names[0],
                  "pointwise_initializer": self._init_names[1]}
        return {**config, **self._regularizer_config()}

