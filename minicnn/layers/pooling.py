"""Pooling layers: summarise each window (or the whole image) per channel. No parameters.

**MaxPooling2D** -- the largest value of each window.

Shapes: x (N, H, W, C) -> y (N, OH, OW, C); ``strides`` defaults to ``pool_size`` (Keras).
"valid" floors (an 11-pixel row with pool 2 gives 5 outputs, the last pixel is dropped);
"same" pads with -inf so padding never wins a window.

    y[n, oh, ow, c] = max_{i, j} x_pad[n, oh*SH + i, ow*SW + j, c]

Backward: the gradient of a max is 1 for the winning input and 0 for the others, so each
``dy[n, oh, ow, c]`` goes to the one input recorded in ``pool_argmax`` (ties: the first maximum
in row-major window order). See ``minicnn.functional.pooling`` for the reference code.

**AveragePooling2D** -- the mean of each window; same shapes and size rules. "same" pads with
zeros and divides by the number of *real* pixels in the window, not by PH*PW (TensorFlow's rule:
a 2x2 pool on a 3x3 image gives (1+2+4+5)/4, (3+6)/2, (7+8)/2, 9/1)::

    y[n, oh, ow, c] = sum_{i, j} x_pad[n, oh*SH + i, ow*SW + j, c] / count[oh, ow]
    dx_pad[n, oh*SH + i, ow*SW + j, c] += dy[n, oh, ow, c] / count[oh, ow]    (every i, j)

It reuses im2col (a window per row) and col2im (the adjoint: spread each row back onto its
window); ``count`` is the same window sum taken over an image of ones.

**GlobalAveragePooling2D / GlobalMaxPooling2D** -- one window covering the whole image:
(N, H, W, C) -> (N, C) (``keepdims=True``: (N, 1, 1, C)). The mean's gradient is ``dy / (H*W)``
at every pixel; the max's goes to the first maximum in row-major order, as MaxPooling2D.
"""
import numpy as np

from minicnn import ops
from minicnn.layers.base import Layer
from minicnn.shapes import explain_window, normalize_padding, normalize_tuple, padding_2d, \
    require_image, window_output_hw


class _Pooling2D(Layer):
    """What max and average pooling share: arguments, output size, padding. No parameters."""

    def __init__(self, pool_size=2, strides=None, padding="valid", name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.pool_size = normalize_tuple(pool_size, 2, "pool_size", self.layer_name)
        self.strides = (self.pool_size if strides is None          # Keras: strides = pool_size
                        else normalize_tuple(strides, 2, "strides", self.layer_name))
        self.padding = normalize_padding(padding, self.layer_name)

    def compute_output_shape(self, input_shape):
        require_image(self.layer_name, input_shape)
        oh, ow = window_output_hw(self.layer_name, "pool", input_shape[:2], self.pool_size,
                                  self.strides, self.padding)
        return (oh, ow, input_shape[2])

    def build(self, input_shape):
        self.pad_hw = padding_2d(input_shape[:2], self.pool_size, self.strides, self.padding)
        super().build(input_shape)

    def explain(self):
        lines = explain_window(self.input_shape[:2], self.pool_size, self.strides, self.pad_hw,
                               self.padding, what=", channels unchanged")
        return lines + ["params: 0 (pooling has no weights)"]

    def get_config(self):
        return {"name": self.layer_name, "pool_size": self.pool_size, "strides": self.strides,
                "padding": self.padding}


class MaxPooling2D(_Pooling2D):
    """``MaxPooling2D(pool_size=2, strides=None, padding="valid")``; alias ``MaxPool2D``."""

    def forward(self, x, training=False):
        x_padded = ops.pad_nhwc(x, self.pad_hw, value=-np.inf)
        self.x_padded_shape = x_padded.shape
        y, self.pool_argmax = ops.max_pool_forward(x_padded, self.pool_size, self.strides)
        return y

    def backward(self, dy):
        dx_padded = ops.max_pool_backward(dy, self.pool_argmax, self.x_padded_shape,
                                          self.pool_size, self.strides)
        return ops.unpad_nhwc(dx_padded, self.pad_hw)


MaxPool2D = MaxPooling2D


class AveragePooling2D(_Pooling2D):
    """``AveragePooling2D(pool_size=2, strides=None, padding="valid")``; alias ``AvgPool2D``."""

    def build(self, input_shape):
        super().build(input_shape)
        # count[oh, ow]: how many real (unpadded) pixels each window covers -- the window sums
        # of an image of ones padded with zeros. PH*PW everywhere under "valid".
        ones = ops.pad_nhwc(np.ones((1,) + tuple(input_shape[:2]) + (1,)), self.pad_hw)
        self.window_count = ops.im2col(ones, self.pool_size, self.strides).sum(axis=1) \
            .reshape(self.output_shape[:2])

    def forward(self, x, training=False):
        n = x.shape[0]
        oh, ow, c = self.output_shape
        ph, pw = self.pool_size
        x_padded = ops.pad_nhwc(x, self.pad_hw)
        self.x_padded_shape = x_padded.shape
        # windows[(n, oh, ow), k, c]: the k-th pixel (row-major) of each window, per channel
        windows = ops.im2col(x_padded, self.pool_size, self.strides).reshape(-1, ph * pw, c)
        sums = windows.sum(axis=1).reshape(n, oh, ow, c)
        return sums / self.window_count[:, :, None].astype(x.dtype)

    def backward(self, dy):
        n = dy.shape[0]
        oh, ow, c = self.output_shape
        ph, pw = self.pool_size
        share = dy / self.window_count[:, :, None].astype(dy.dtype)   # each pixel's share
        # every pixel of window (n, oh, ow) receives the same share: repeat it PH*PW times
        dx_cols = np.broadcast_to(share.reshape(-1, 1, c), (n * oh * ow, ph * pw, c))
        dx_padded = ops.col2im(dx_cols.reshape(-1, ph * pw * c), self.x_padded_shape,
                               self.pool_size, self.strides)
        return ops.unpad_nhwc(dx_padded, self.pad_hw)


class _GlobalPooling2D(Layer):
    """Shared shape logic: (H, W, C) -> (C,), or (1, 1, C) with ``keepdims=True``."""

    def __init__(self, keepdims=False, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.keepdims = bool(keepdims)

    def compute_output_shape(self, input_shape):
        require_image(self.layer_name, input_shape)
        return (1, 1, input_shape[2]) if self.keepdims else (input_shape[2],)

    def get_config(self):
        return {"name": self.layer_name, "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling2D):
    """``y[n, c] = mean_{h, w} x[n, h, w, c]``; alias ``GlobalAvgPool2D``."""

    def forward(self, x, training=False):
        return x.mean(axis=(1, 2), keepdims=self.keepdims)

    def backward(self, dy):
        h, w, c = self.input_shape
        share = dy.reshape(-1, 1, 1, c) / dy.dtype.type(h * w)     # every pixel gets dy / (H*W)
        return np.broadcast_to(share, (dy.shape[0], h, w, c)).copy()


class GlobalMaxPooling2D(_GlobalPooling2D):
    """``y[n, c] = max_{h, w} x[n, h, w, c]``; alias ``GlobalMaxPool2D``. The gradient goes to
    the first maximum in row-major (h, w) order."""

    def forward(self, x, training=False):
        n, c = x.shape[0], x.shape[3]
        flat = x.reshape(n, -1, c)                                  # (N, H*W, C)
        self.pool_argmax = np.argmax(flat, axis=1)                  # (N, C): h*W + w
        y = np.take_along_axis(flat, self.pool_argmax[:, None, :], axis=1)[:, 0, :]
        return y.reshape(n, 1, 1, c) if self.keepdims else y

    def backward(self, dy):
        n = dy.shape[0]
        h, w, c = self.input_shape
        dx = np.zeros((n, h * w, c), dtype=dy.dtype)
        np.put_along_axis(dx, self.pool_argmax[:, None, :], dy.reshape(n, 1, c), axis=1)
        return dx.reshape(n, h, w, c)


AvgPool2D = AveragePooling2D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool2D = GlobalMaxPooling2D
