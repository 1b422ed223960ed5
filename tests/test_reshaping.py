"""Reshape and ZeroPadding2D: shapes (Keras's argument forms), gradient checks, clear errors."""
import numpy as np
import pytest

import minicnn
from minicnn.gradcheck import check_layer
from minicnn.layers import Conv2D, Dense, Flatten, Reshape, ZeroPadding2D


@pytest.mark.parametrize("input_shape, target, expected", [
    ((7, 7, 64), (49, 64), (49, 64)),
    ((7, 7, 64), (-1, 64), (49, 64)),
    ((12,), (3, 2, 2), (3, 2, 2)),
    ((2, 3, 4), (-1,), (24,)),
    ((6,), [2, -1], (2, 3)),
])
def test_reshape_shapes(input_shape, target, expected):
    layer = Reshape(target)
    layer.build(input_shape)
    assert layer.output_shape == expected and layer.count_params() == 0


def test_reshape_forward_backward_and_gradcheck(rng):
    layer = Reshape((4, 6))
    layer.build((2, 3, 4))
    x = rng.standard_normal((3, 2, 3, 4))
    np.testing.assert_array_equal(layer.forward(x), x.reshape(3, 4, 6))     # C order, like Keras
    np.testing.assert_array_equal(layer.backward(x.reshape(3, 4, 6)), x)
    check_layer(Reshape((-1, 3)), (2, 3, 2), batch_size=2)


@pytest.mark.parametrize("target, message", [
    ((5, 10), r"reshape: cannot reshape \(7, 7\) \(49 values\) into \(5, 10\) \(50 values\)"),
    ((-1, 5), r"reshape: cannot reshape \(7, 7\) \(49 values\) into \(-1, 5\): 49 is not a "
              r"multiple of 5"),
])
def test_reshape_size_mismatch_is_a_shape_error(target, message):
    with pytest.raises(minicnn.ShapeError, match=message):
        Reshape(target).build((7, 7))


@pytest.mark.parametrize("target", [(-1, -1), (0, 4), (2.5,), "49"])
def test_reshape_bad_target(target):
    with pytest.raises(ValueError, match="target_shape must be"):
        Reshape(target).build((7, 7))


@pytest.mark.parametrize("padding, expected_pads, expected_shape", [
    (1, ((1, 1), (1, 1)), (7, 8, 2)),
    ((2, 0), ((2, 2), (0, 0)), (9, 6, 2)),
    (((1, 0), (2, 3)), ((1, 0), (2, 3)), (6, 11, 2)),
    ([[0, 2], [1, 0]], ((0, 2), (1, 0)), (7, 7, 2)),       # JSON round trip gives lists
])
def test_zero_padding_forms_and_shapes(padding, expected_pads, expected_shape):
    layer = ZeroPadding2D(padding)
    layer.build((5, 6, 2))
    assert layer.padding == expected_pads and layer.output_shape == expected_shape


def test_zero_padding_forward_backward(backend, rng):
    layer = ZeroPadding2D(((1, 0), (2, 1)))
    layer.build((2, 3, 1))
    x = rng.standard_normal((2, 2, 3, 1))
    y = layer.forward(x)
    assert y.shape == (2, 3, 6, 1)
    np.testing.assert_array_equal(y[:, 1:, 2:5, :], x)
    assert np.count_nonzero(y) == x.size
    np.testing.assert_array_equal(layer.backward(y), x)
    report = check_layer(ZeroPadding2D((1, 2)), (3, 2, 2), batch_size=2)
    assert report.max_rel_error < 1e-6


def test_zero_padding_in_a_model_gives_keras_shapes():
    model = minicnn.Sequential([ZeroPadding2D(2), Conv2D(4, 5), Flatten(), Dense(3)],
                               input_shape=(28, 28, 1))
    assert [layer.output_shape for layer in model.layers] == [(32, 32, 1), (28, 28, 4), (3136,), (3,)]
    assert ZeroPadding2D(**model.layers[0].get_config()).padding == ((2, 2), (2, 2))


@pytest.mark.parametrize("padding", [-1, (1, 2, 3), ((1, 2), (3,)), "same", 1.5])
def test_zero_padding_bad_argument(padding):
    with pytest.raises(ValueError, match=r"zero_padding2d: padding must be an int, a tuple of 2 ints"):
        ZeroPadding2D(padding)


def test_zero_padding_needs_images():
    with pytest.raises(ValueError, match=r"zero_padding2d: expects images \(H, W, C\)"):
        ZeroPadding2D(1).build((28, 28))
