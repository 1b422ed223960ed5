"""Conv2DTranspose: a convolution run backwards ("deconvolution"), channels-last.

A Conv2D with a ``(KH, KW, F, C)`` kernel maps an image with ``F`` channels to one with ``C``
channels and fewer pixels. Conv2DTranspose(F, ...) is that convolution's *transpose*: it maps
``C`` channels back to ``F`` channels and to the larger size, spreading every input pixel over a
KH x KW patch of the output. Keras's kernel layout says so: ``kernel`` is (KH, KW, F, C), with
``F = filters`` before ``C = c_in``.

Shapes: x (N, H, W, C) -> y (N, OH, OW, F), ``bias`` (F,). Output size (``minicnn.shapes``)::

    "valid":  OH = H*SH + max(KH - SH, 0)       (= (H - 1)*SH + KH when KH >= SH)
    "same":   OH = H*SH

so 002's convNN_8, 3x3 on 28x28, gives (28 - 1) + 3 = 30. Every input pixel ``x[n, h, w, :]``
adds ``kernel[i, j, :, :] @ x[n, h, w, :]`` at output pixel ``(h*SH + i, w*SW + j)``.

Forward is the backward pass of Conv2D's input gradient, so it is written with the same
pieces in the opposite order -- a GEMM, then **col2im**::

    cols  = x2d @ kernel2d^T            # x2d (N*H*W, C), kernel2d = kernel.reshape(KH*KW*F, C)
    y_pad = col2im(cols)                # (N, OH + pads, OW + pads, F): add each patch in place
    z     = crop(y_pad) + bias;   y = activation(z)

("pads" are the padding of the Conv2D being transposed: ``padding_2d(OH, KH, SH, padding)``.)

Backward is then a plain Conv2D forward -- **im2col**, then GEMMs::

    dz_cols   = im2col(pad(dz))         # (N*H*W, KH*KW*F): one row per *input* pixel
    dkernel2d = dz_cols^T @ x2d         # (KH*KW*F, C) -> reshape to kernel's shape
    dbias     = sum of dz over (n, oh, ow)
    dx2d      = dz_cols @ kernel2d      # (N*H*W, C)

One input channel with stride 1 (convNN_8's first layer) takes Conv2D's one-channel shortcut:
the transposed convolution is then the plain convolution of the input, padded by KH-1 rows and
KW-1 columns on each side, with the kernel flipped (tap (i, j) becomes (KH-1-i, KW-1-j))::

    y_pad   = conv2d_one_channel(pad(x, KH-1, KW-1), flip(kernel))  # (N, OH + pads, OW + pads, F)
    dkernel = flip(conv2d_one_channel_dkernel(pad(x, KH-1, KW-1), pad(dz)))   # (KH, KW, 1, F)

with ``flip`` reversing both kernel axes and swapping the (1, F) and (F, 1) axes.

so ``cols`` -- KH*KW*F values per input pixel, 288 for convNN_8 -- is never built.

Parameters: ``KH*KW*F*C + F`` -- convNN_8: 3*3*32*1 + 32 = 320.
"""
import numpy as np

from minicnn import initializers, ops
from minicnn.layers.base import Layer, floatx
from minicnn.layers.conv import Conv2D
from minicnn.shapes import padding_2d, require_image, transposed_conv_output_hw


class Conv2DTranspose(Conv2D):
    """``Conv2DTranspose(filters, kernel_size, strides=1, padding="valid", activation=None,
    use_bias=True, ...)``: Conv2D's arguments (as in Keras, it subclasses Conv2D), its own math."""

    def compute_output_shape(self, input_shape):
        require_image(self.layer_name, input_shape)
        oh, ow = transposed_conv_output_hw(input_shape[:2], self.kernel_size, self.strides,
                                           self.padding)
        return (oh, ow, self.filters)

    def build(self, input_shape):
        kh, kw = self.kernel_size
        c_in = input_shape[-1]
        self.params["kernel"] = initializers.initialize(
            self.kernel_initializer, (kh, kw, self.filters, c_in), floatx())
        if self.use_bias:
            self.params["bias"] = initializers.initialize(self.bias_initializer, (self.filters,),
                                                          floatx())
        Layer.build(self, input_shape)          # not Conv2D.build: our kernel is (KH, KW, F, C)
        # The padding of the Conv2D this layer transposes (whose *input* is our output).
        oh, ow, f = self.output_shape
        self.pad_hw = padding_2d((oh, ow), self.kernel_size, self.strides, self.padding)
        (top, bottom), (left, right) = self.pad_hw
        self.y_padded_shape = (oh + top + bottom, ow + left + right, f)
        self.one_channel = self._one_channel_shortcut(c_in)      # module docstring

    @property
    def x_cols(self):
        """Not here: a transposed convolution makes no im2col of its input (module docstring)."""
        raise AttributeError(f"{self.layer_name}: Conv2DTranspose has no x_cols: it multiplies "
                             f"each input pixel by the kernel and folds the products back with "
                             f"col2im (see minicnn/layers/transpose.py)")

    def forward(self, x, training=False):
        if self.one_channel:
            return self._forward_one_channel(x)
        n, h, w, c = x.shape
        self.x2d = x.reshape(n * h * w, c)                         # kept for dkernel
        kernel2d = self.params["kernel"].reshape(-1, c)            # (KH*KW*F, C)
        cols = ops.matmul(self.x2d, kernel2d.T)                              # (N*H*W, KH*KW*F)
        y_padded = ops.col2im(cols, (n,) + self.y_padded_shape, self.kernel_size, self.strides)
        z = ops.unpad_nhwc(y_padded, self.pad_hw)
        if self.use_bias:
            z = z + self.params["bias"]          # a new, contiguous array (z may be a crop)
        return self.activation.forward(z, inplace=True)          # z is ours either way

    def backward(self, dy, through_activation=True):
        dz = self.activation.backward(dy) if through_activation else dy
        kernel = self.params["kernel"]
        c = kernel.shape[-1]
        dz_padded = ops.pad_nhwc(dz, self.pad_hw)              # dL/dy_pad: 0 on the cropped rim
        if self.one_channel:
            dkernel_flipped = ops.conv2d_one_channel_dkernel(self.x_full, dz_padded,
                                                             self.kernel_size)   # (KH, KW, 1, F)
            self.grads["kernel"] = np.ascontiguousarray(
                dkernel_flipped[::-1, ::-1].transpose(0, 1, 3, 2))               # (KH, KW, F, 1)
        else:
            dz_cols = ops.im2col(dz_padded, self.kernel_size, self.strides)
            self.grads["kernel"] = ops.matmul(dz_cols.T, self.x2d).reshape(kernel.shape)
        if self.use_bias:
            self.grads["bias"] = ops.sum_rows(dz.reshape(-1, dz.shape[-1]))  # over (n, oh, ow)
        self._add_regularization_gradients()                    # + d(penalty)/dkernel, if any
        if not self.input_gradient_needed:      # first layer in training: no one needs dL/dx
            return None
        if self.one_channel:                    # dz_cols was not needed for dkernel there
            dz_cols = ops.im2col(dz_padded, self.kernel_size, self.strides)
        dx2d = ops.matmul(dz_cols, kernel.reshape(-1, c))                     # (N*H*W, C)
        return dx2d.reshape(dz.shape[0], *self.input_shape)

    def _forward_one_channel(self, x):
        kh, kw = self.kernel_size
        kernel = self.params["kernel"]
        # Padded so that every output pixel's window lies inside: the "full" convolution.
        self.x_full = ops.pad_nhwc(x, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
        kernel_flipped = kernel[::-1, ::-1].transpose(0, 1, 3, 2)          # (KH, KW, 1, F)
        y_padded = ops.conv2d_one_channel(self.x_full, kernel_flipped, self._bias_or_zeros())
        z = np.ascontiguousarray(ops.unpad_nhwc(y_padded, self.pad_hw))   # a copy if cropped
        return self.activation.forward(z, inplace=True)

    def explain(self):
        kh, kw = self.kernel_size
        (h, w, c), (oh, ow, f) = self.input_shape, self.output_shape
        sh, sw = self.strides
        if self.padding == "valid":
            rows, cols = f"{h}*{sh} + max({kh} - {sh}, 0)", f"{w}*{sw} + max({kw} - {sw}, 0)"
        else:
            rows, cols = f"{h}*{sh}", f"{w}*{sw}"
        params = (f"KH*KW*F*C_in + F = {kh}*{kw}*{f}*{c} + {f}" if self.use_bias
                  else f"KH*KW*F*C_in = {kh}*{kw}*{f}*{c}")
        return [f"output: rows {rows} = {oh}, cols {cols} = {ow}, {f} filters "
                f"('{self.padding}' transposed convolution)",
                f"params: {params} = {self.count_params():,}"]
