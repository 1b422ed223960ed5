"""Output-size and padding arithmetic -- the one place it is written down.

Layers, ``summary()`` and the kernels all call these functions, so they can never disagree.
The rules are TensorFlow/Keras's (one spatial axis; apply once for rows, once for columns):

``"valid"`` (no padding)::

    out = floor((in - k) / s) + 1          e.g. in=28, k=3, s=1 -> 26;  pool in=11, k=2, s=2 -> 5

``"same"`` (pad so that out = ceil(in / s))::

    out       = ceil(in / s)
    pad_total = max((out - 1) * s + k - in, 0)
    pad_before = pad_total // 2,  pad_after = pad_total - pad_before

so an odd ``pad_total`` puts the extra pixel at the bottom/right (in=28, k=3, s=2 -> pads (0, 1)).

Transposed convolution (``Conv2DTranspose``) runs a convolution backwards, so its output length
is the *input* length of the convolution it transposes (Keras's ``deconv_output_length``)::

    "valid":  out = in*s + max(k - s, 0)        (= (in - 1)*s + k when k >= s)
    "same":   out = in*s

and its padding is that convolution's padding, ``padding_2d(out, k, s, padding)``.
"""
import math

import numpy as np


class ShapeError(ValueError):
    """An input shape a layer cannot handle; the message names the layer and shows the arithmetic."""


def is_int(value):
    """An int (a NumPy integer too), not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def normalize_tuple(value, n, name, layer_name="layer"):
    """``3 -> (3, 3)``, ``(3, 5) -> (3, 5)``; positive ints only (Keras's kernel_size / strides rule)."""
    given = value
    if is_int(value):
        value = (value,) * n
    try:
        value = tuple(value)
    except TypeError:
        value = None
    if value is None or len(value) != n or not all(is_int(v) and v > 0 for v in value):
        raise ValueError(f"{layer_name}: {name} must be a positive int or a tuple of {n} "
                         f"positive ints, got {given!r}")
    return tuple(int(v) for v in value)


def positive_int(value, name, layer_name="layer"):
    """``value`` if it is a positive int (not a bool), else a ValueError naming the argument."""
    if not is_int(value) or value <= 0:
        raise ValueError(f"{layer_name}: {name} must be a positive int, got {value!r}")
    return int(value)


def per_sample_shape(shape, where):
    """Keras's ``input_shape``: a tuple of positive ints, one per axis of *one sample* (no batch
    axis; Keras's batch form ``(None, 28, 28, 1)`` is accepted and the None dropped)."""
    try:
        shape = tuple(shape)
    except TypeError:
        raise ValueError(f"{where}: input_shape must be a tuple of positive ints, e.g. "
                         f"(28, 28, 1) or (784,), got {shape!r}") from None
    if shape and shape[0] is None:
        shape = shape[1:]
    if not shape or not all(is_int(v) and v > 0 for v in shape):
        raise ValueError(f"{where}: input_shape must be positive ints, one per axis of one "
                         f"sample (no batch axis), e.g. (28, 28, 1); got {shape!r}")
    return tuple(int(v) for v in shape)


def require_image(layer_name, input_shape):
    """Check a per-sample shape is an image (H, W, C); the usual mistake is a missing C."""
    if len(input_shape) != 3:
        hint = ("it looks like it includes the batch axis: use x.shape[1:]"
                if len(input_shape) == 4 else "add a channel axis, e.g. x[..., None]")
        raise ValueError(f"{layer_name}: expects images (H, W, C) per sample, got input shape "
                         f"{tuple(input_shape)}; {hint}")


def normalize_padding(padding, layer_name="layer"):
    """Accept ``"valid"`` / ``"same"`` (any case) and return it lower-cased."""
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(f"{layer_name}: padding must be 'valid' or 'same', got {padding!r}")
    return padding.lower()


def conv_output_length(input_length, kernel, stride, padding):
    """Length of one spatial output axis (may be <= 0 for impossible 'valid' configurations)."""
    if padding == "same":
        return -(-input_length // stride)            # ceil(in / s)
    return (input_length - kernel) // stride + 1      # floor((in - k) / s) + 1


def same_padding(input_length, kernel, stride):
    """``(pad_before, pad_after)`` of TensorFlow's "same" padding along one axis."""
    out = -(-input_length // stride)
    pad_total = max((out - 1) * stride + kernel - input_length, 0)
    return pad_total // 2, pad_total - pad_total // 2


def padding_2d(input_hw, kernel_hw, strides_hw, padding):
    """``((top, bottom), (left, right))`` for an NHWC input; zeros for ``"valid"``."""
    if padding == "valid":
        return (0, 0), (0, 0)
    return (same_padding(input_hw[0], kernel_hw[0], strides_hw[0]),
            same_padding(input_hw[1], kernel_hw[1], strides_hw[1]))


def window_output_hw(layer_name, what, input_hw, kernel_hw, strides_hw, padding):
    """Output (height, width) of a sliding window (convolution or pooling).

    Raises ShapeError with the arithmetic written out when an axis would be empty, e.g.
    ``conv2d_2: 'valid' 3x3 kernel on a 2x2 input gives (2 - 3)//1 + 1 = 0 rows``.
    """
    out = []
    for axis, (n, k, s) in zip(("rows", "columns"), zip(input_hw, kernel_hw, strides_hw)):
        length = conv_output_length(n, k, s, padding)
        if length <= 0:
            raise ShapeError(
                f"{layer_name}: '{padding}' {kernel_hw[0]}x{kernel_hw[1]} {what} on a "
                f"{input_hw[0]}x{input_hw[1]} input gives ({n} - {k})//{s} + 1 = {length} "
                f"{axis}; use padding='same', a smaller {what} or a larger input")
        out.append(length)
    return tuple(out)


def transposed_conv_output_length(input_length, kernel, stride, padding):
    """Length of one output axis of a transposed convolution (Keras's rule, see above)."""
    if padding == "same":
        return input_length * stride
    return input_length * stride + max(kernel - stride, 0)


def transposed_conv_output_hw(input_hw, kernel_hw, strides_hw, padding):
    """Output (height, width) of ``Conv2DTranspose``: 28x28, k=3, s=1, 'valid' -> (30, 30)."""
    return tuple(transposed_conv_output_length(n, k, s, padding)
                 for n, k, s in zip(input_hw, kernel_hw, strides_hw))


def normalize_padding_2d(padding, layer_name="layer"):
    """ZeroPadding2D's argument -> ``((top, bottom), (left, right))``.

    ``1 -> ((1, 1), (1, 1))``; ``(1, 2) -> ((1, 1), (2, 2))`` (rows, columns, symmetric);
    ``((1, 0), (2, 3))`` as given. Non-negative ints only.
    """
    def is_count(v):
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    if is_count(padding):
        return (padding, padding), (padding, padding)
    try:
        pair = tuple(padding)
        if len(pair) == 2 and all(is_count(v) for v in pair):
            return (pair[0], pair[0]), (pair[1], pair[1])
        pairs = tuple(tuple(p) for p in pair)
        if len(pairs) == 2 and all(len(p) == 2 and all(is_count(v) for v in p) for p in pairs):
            return pairs
    except TypeError:
        pass
    raise ValueError(f"{layer_name}: padding must be an int, a tuple of 2 ints (rows, columns) or "
                     f"a tuple of 2 pairs ((top, bottom), (left, right)) of ints >= 0, got "
                     f"{padding!r}")


def reshape_output_shape(layer_name, input_shape, target_shape):
    """Keras's Reshape rule: ``target_shape`` may hold one -1, inferred from the element count.

    ``(7, 7, 64)`` into ``(-1, 64)`` -> ``(49, 64)``; a count that does not divide raises a
    ShapeError showing both element counts.
    """
    target = tuple(target_shape)
    valid = all(isinstance(d, int) and not isinstance(d, bool) and (d > 0 or d == -1)
                for d in target)
    if not valid or target.count(-1) > 1:
        raise ValueError(f"{layer_name}: target_shape must be positive ints with at most one -1, "
                         f"got {target_shape!r}")
    size = count(input_shape)
    known = count(d for d in target if d != -1)
    if -1 in target:
        if size % known:
            raise ShapeError(f"{layer_name}: cannot reshape {tuple(input_shape)} ({size:,} values) "
                             f"into {target}: {size:,} is not a multiple of {known:,}")
        return tuple(size // known if d == -1 else d for d in target)
    if known != size:
        raise ShapeError(f"{layer_name}: cannot reshape {tuple(input_shape)} ({size:,} values) "
                         f"into {target} ({known:,} values)")
    return target


def explain_window(input_hw, kernel_hw, strides_hw, pad_hw, padding, what=""):
    """Lines of output-size arithmetic with the numbers, for ``summary(explain=True)``::

        output: rows (28 + 0 + 1 - 3)//2 + 1 = 14, cols (28 + 0 + 1 - 3)//2 + 1 = 14, 32 filters
        padding: 'same' adds 0 top, 1 bottom, 0 left, 1 right (so that out = ceil(in / s))

    One formula covers both paddings: out = (in + pad_before + pad_after - k)//s + 1, the
    textbook (W - K + 2P)/S + 1 with TensorFlow's possibly unequal "same" padding. ``what``
    ends the first line (", 32 filters")."""
    parts = [f"{axis} ({n} + {p0} + {p1} - {k})//{s} + 1 = {(n + p0 + p1 - k) // s + 1}"
             for axis, n, k, s, (p0, p1) in zip(("rows", "cols"), input_hw, kernel_hw,
                                                 strides_hw, pad_hw)]
    lines = ["output: " + ", ".join(parts) + what]
    if padding == "same":
        (top, bottom), (left, right) = pad_hw
        lines.append(f"padding: 'same' adds {top} top, {bottom} bottom, {left} left, {right} "
                     f"right (so that out = ceil(in / s))")
    return lines


def format_shape(shape):
    """Keras's way of printing a shape with its batch axis: ``(None, 26, 26, 32)``."""
    return "(" + ", ".join(["None"] + [str(d) for d in shape]) + ")"


def count(shape):
    """Number of elements in a shape tuple (1 for ``()``)."""
    return math.prod(shape)
