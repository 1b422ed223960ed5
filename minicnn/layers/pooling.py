"""MaxPooling2D: the largest value of each window, per channel.

Shapes: x (N, H, W, C) -> y (N, OH, OW, C); ``strides`` defaults to ``pool_size`` (Keras).
"valid" floors (an 11-pixel row with pool 2 gives 5 outputs, the last pixel is dropped);
"same" pads with -inf so padding never wins a window. No parameters.

    y[n, oh, ow, c] = max_{i, j} x_pad[n, oh*SH + i, ow*SW + j, c]

Backward: the gradient of a max is 1 for the winning input and 0 for the others, so each
``dy[n, oh, ow, c]`` goes to the one input recorded in ``pool_argmax`` (ties: the first maximum
in row-major window order). See ``minicnn.functional.pooling`` for the reference code.
"""
import numpy as np

from minicnn import ops
from minicnn.layers.base import Layer
from minicnn.shapes import normalize_padding, normalize_tuple, padding_2d, window_output_hw


class MaxPooling2D(Layer):
    """``MaxPooling2D(pool_size=2, strides=None, padding="valid")``; alias ``MaxPool2D``."""

    def __init__(self, pool_size=2, strides=None, padding="valid", name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.pool_size = normalize_tuple(pool_size, 2, "pool_size", self.layer_name)
        self.strides = (self.pool_size if strides is None
                        else normalize_tuple(strides, 2, "strides", self.layer_name))
        self.padding = normalize_padding(padding, self.layer_name)

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self.layer_name}: expects images (H, W, C) per sample, got input "
                             f"shape {tuple(input_shape)}")
        oh, ow = window_output_hw(self.layer_name, "pool", input_shape[:2], self.pool_size,
                                  self.strides, self.padding)
        return (oh, ow, input_shape[2])

    def build(self, input_shape):
        self.pad_hw = padding_2d(input_shape[:2], self.pool_size, self.strides, self.padding)
        super().build(input_shape)

    def forward(self, x, training=False):
        x_padded = ops.pad_nhwc(x, self.pad_hw, value=-np.inf)
        self.x_padded_shape = x_padded.shape
        y, self.pool_argmax = ops.max_pool_forward(x_padded, self.pool_size, self.strides)
        return y

    def backward(self, dy):
        dx_padded = ops.max_pool_backward(dy, self.pool_argmax, self.x_padded_shape,
                                          self.pool_size, self.strides)
        return ops.unpad_nhwc(dx_padded, self.pad_hw)

    def get_config(self):
        return {"name": self.layer_name, "pool_size": self.pool_size, "strides": self.strides,
                "padding": self.padding}


MaxPool2D = MaxPooling2D
