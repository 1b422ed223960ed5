"""Reshaping layers: Reshape and ZeroPadding2D. No parameters; their backward undoes the forward.

**Reshape(target_shape)** -- rearrange each sample's values (C order, like Flatten), e.g.
(7, 7, 64) -> (49, 64); ``target_shape`` excludes the batch axis and may hold one -1 (inferred).
Backward reshapes ``dy`` back to the input's shape.

**ZeroPadding2D(padding=1)** -- add rows/columns of zeros around each image:
(N, H, W, C) -> (N, top + H + bottom, left + W + right, C). ``padding`` is an int (all sides),
``(rows, columns)`` (symmetric) or ``((top, bottom), (left, right))``. Backward crops the
padding off ``dy`` (the zeros do not depend on x).
"""
from minicnn import ops
from minicnn.layers.base import Layer
from minicnn.shapes import normalize_padding_2d, require_image, reshape_output_shape


class Reshape(Layer):
    """``Reshape(target_shape)``: ``Reshape((-1, 64))`` turns (7, 7, 64) into (49, 64)."""

    def __init__(self, target_shape, name=None, **kwargs):
        super().__init__(name, **kwargs)
        try:
            self.target_shape = tuple(target_shape)
        except TypeError:
            raise ValueError(f"{self.layer_name}: target_shape must be a tuple of ints such as "
                             f"(49, 64), got {target_shape!r}") from None

    def compute_output_shape(self, input_shape):
        return reshape_output_shape(self.layer_name, input_shape, self.target_shape)

    def forward(self, x, training=False):
        return x.reshape((x.shape[0],) + self.output_shape)

    def backward(self, dy):
        return dy.reshape((dy.shape[0],) + self.input_shape)

    def get_config(self):
        return {"name": self.layer_name, "target_shape": self.target_shape}


class ZeroPadding2D(Layer):
    """``ZeroPadding2D(padding=1)``: an int, ``(rows, columns)`` or
    ``((top, bottom), (left, right))``."""

    def __init__(self, padding=1, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.padding = normalize_padding_2d(padding, self.layer_name)

    def compute_output_shape(self, input_shape):
        require_image(self.layer_name, input_shape)
        (top, bottom), (left, right) = self.padding
        h, w, c = input_shape
        return (top + h + bottom, left + w + right, c)

    def forward(self, x, training=False):
        return ops.pad_nhwc(x, self.padding)

    def backward(self, dy):
        return ops.unpad_nhwc(dy, self.padding)

    def get_config(self):
        return {"name": self.layer_name, "padding": self.padding}
