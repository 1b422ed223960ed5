import re

import numpy as np
import pytest

from minicnn.shapes import (ShapeError, conv_output_length, normalize_tuple, padding_2d,
                            per_sample_shape,
                            same_padding, window_output_hw)


@pytest.mark.parametrize("n, k, s, padding, expected", [
    (28, 3, 1, "valid", 26), (28, 5, 1, "same", 28), (11, 2, 2, "valid", 5),
    (28, 3, 2, "same", 14), (7, 2, 2, "same", 4), (28, 28, 3, "valid", 1), (5, 4, 3, "valid", 1),
])
def test_output_length_matches_keras(n, k, s, padding, expected):
    assert conv_output_length(n, k, s, padding) == expected


@pytest.mark.parametrize("n, k, s, expected", [
    (28, 3, 1, (1, 1)), (28, 3, 2, (0, 1)), (28, 4, 1, (1, 2)), (28, 2, 2, (0, 0)),
    (7, 2, 2, (0, 1)), (5, 5, 1, (2, 2)), (6, 4, 3, (0, 1)),
])
def test_same_padding_puts_odd_pixel_bottom_right(n, k, s, expected):
    assert same_padding(n, k, s) == expected


def test_padding_2d_valid_is_zero():
    assert padding_2d((28, 28), (3, 3), (1, 1), "valid") == ((0, 0), (0, 0))
    assert padding_2d((28, 27), (3, 4), (2, 1), "same") == ((0, 1), (1, 2))


def test_impossible_window_error_shows_arithmetic():
    with pytest.raises(ShapeError, match=r"conv2d_2: 'valid' 3x3 kernel on a 2x2 input gives "
                                         r"\(2 - 3\)//1 \+ 1 = 0 rows"):
        window_output_hw("conv2d_2", "kernel", (2, 2), (3, 3), (1, 1), "valid")


@pytest.mark.parametrize("bad", [0, -1, (3,), (3, 0), "3", 2.5, True])
def test_normalize_tuple_rejects_bad_values(bad):
    with pytest.raises(ValueError, match=r"kernel_size must be a positive int .*, got "
                                         + re.escape(repr(bad))):    # the value as given
        normalize_tuple(bad, 2, "kernel_size", "conv2d")


def test_numpy_integers_are_ints():
    assert normalize_tuple(np.int64(3), 2, "kernel_size") == (3, 3)
    assert type(normalize_tuple((np.int32(2), 5), 2, "strides")[0]) is int


@pytest.mark.parametrize("shape, message", [
    ((28.0, 28, 1), r"input_shape must be positive ints, one per axis of one sample .* "
                    r"got \(28.0, 28, 1\)"),
    ((8, 8, 0), r"got \(8, 8, 0\)"),
    (784, r"input_shape must be a tuple of positive ints, e.g. \(28, 28, 1\) or \(784,\), "
          r"got 784"),
    ((), r"got \(\)"),
])
def test_per_sample_shape_is_checked(shape, message):
    with pytest.raises(ValueError, match=r"where: .*" + message):
        per_sample_shape(shape, "where")
    assert per_sample_shape((None, 28, 28, 1), "where") == (28, 28, 1)     # Keras's batch form
