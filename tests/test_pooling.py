"""Pooling: gradient checks (overlapping windows, floors, same padding), ties, routing; average
pooling against direct loops and TensorFlow's 'same' divisor; global pooling."""
import numpy as np
import pytest

import minicnn
from minicnn.gradcheck import check_layer
from minicnn.layers import AveragePooling2D, AvgPool2D, GlobalAveragePooling2D, GlobalAvgPool2D, \
    GlobalMaxPool2D, GlobalMaxPooling2D, MaxPool2D, MaxPooling2D

# (input (H, W, C), pool_size, strides, padding)
GRID = [
    ((6, 6, 2), 2, None, "valid"),
    ((7, 7, 1), 2, None, "valid"),            # 7 -> 3: floors, last row/col unused
    ((7, 7, 2), 3, 2, "valid"),               # overlapping windows
    ((7, 8, 2), 3, 1, "same"),                # overlapping + same padding
    ((7, 7, 3), 2, None, "same"),             # odd input, same: -inf padding bottom/right
    ((9, 8, 1), (2, 3), (3, 2), "valid"),     # rectangular
    ((6, 6, 2), (3, 2), (1, 2), "same"),
]


@pytest.mark.parametrize("input_shape, pool_size, strides, padding", GRID)
def test_max_pool_gradcheck(input_shape, pool_size, strides, padding, backend):
    report = check_layer(MaxPooling2D(pool_size, strides, padding), input_shape, batch_size=2)
    assert report.max_rel_error < 1e-6 and [t.name for t in report.tensors] == ["x"]


def test_alias_and_defaults():
    assert MaxPool2D is MaxPooling2D
    layer = MaxPooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2) and layer.padding == "valid"
    layer.build((11, 11, 3))
    assert layer.output_shape == (5, 5, 3)
    same = MaxPooling2D(2, padding="same")
    same.build((7, 7, 64))
    assert same.output_shape == (4, 4, 64)      # 001's model_l2: 7 -> 4 with 'same'


def test_backward_routes_each_window_its_own_gradient(backend):
    """A distinct upstream gradient per window shows any misrouting."""
    layer = MaxPooling2D(2)
    layer.build((4, 4, 1))
    x = np.arange(16, dtype=np.float64).reshape(1, 4, 4, 1)[:, ::-1, :, :].copy()
    y = layer.forward(x)
    dy = np.array([10.0, 20.0, 30.0, 40.0]).reshape(1, 2, 2, 1)
    dx = layer.backward(dy)
    for oh in range(2):
        for ow in range(2):
            window = x[0, 2 * oh:2 * oh + 2, 2 * ow:2 * ow + 2, 0]
            i, j = np.unravel_index(np.argmax(window), (2, 2))
            assert dx[0, 2 * oh + i, 2 * ow + j, 0] == dy[0, oh, ow, 0]
            assert y[0, oh, ow, 0] == window.max()
    assert dx.sum() == dy.sum()


def test_ties_send_gradient_to_first_maximum(backend):
    layer = MaxPooling2D(2)
    layer.build((2, 4, 1))
    x = np.ones((1, 2, 4, 1))                 # every value ties
    layer.forward(x)
    dx = layer.backward(np.ones((1, 1, 2, 1)))
    expected = np.zeros((1, 2, 4, 1))
    expected[0, 0, 0, 0] = expected[0, 0, 2, 0] = 1.0
    np.testing.assert_array_equal(dx, expected)


def test_pool_larger_than_input_is_a_clear_error():
    model = minicnn.Sequential(input_shape=(3, 3, 1))
    with pytest.raises(minicnn.ShapeError, match=r"max_pooling2d: 'valid' 4x4 pool on a 3x3 input"):
        model.add(MaxPooling2D(4))


# -- AveragePooling2D ------------------------------------------------------------------------


@pytest.mark.parametrize("input_shape, pool_size, strides, padding", GRID + [
    ((5, 5, 2), 3, 1, "same"),                # border windows hold 4 or 6 real pixels, not 9
    ((8, 7, 1), 2, 3, "valid"),               # stride > pool: gaps between windows
    ((7, 5, 2), (3, 2), 2, "same"),
])
def test_average_pool_gradcheck(input_shape, pool_size, strides, padding, backend):
    report = check_layer(AveragePooling2D(pool_size, strides, padding), input_shape, batch_size=2)
    assert report.max_rel_error < 1e-6 and [t.name for t in report.tensors] == ["x"]


def _average_pool_direct(x, pool, stride, padding):
    """Textbook loops: the mean of the real (unpadded) pixels of each window."""
    n, h, w, c = x.shape
    (ph, pw), (sh, sw) = pool, stride
    if padding == "same":
        oh, ow = -(-h // sh), -(-w // sw)
        top = max((oh - 1) * sh + ph - h, 0) // 2
        left = max((ow - 1) * sw + pw - w, 0) // 2
    else:
        oh, ow, top, left = (h - ph) // sh + 1, (w - pw) // sw + 1, 0, 0
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * sh - top, j * sw - left
            window = x[:, max(r0, 0):min(r0 + ph, h), max(c0, 0):min(c0 + pw, w), :]
            y[:, i, j, :] = window.mean(axis=(1, 2))
    return y


@pytest.mark.parametrize("input_shape, pool_size, strides, padding", [
    ((7, 7, 2), (2, 2), (2, 2), "same"), ((6, 5, 1), (3, 3), (1, 1), "same"),
    ((7, 8, 3), (3, 2), (2, 3), "same"), ((9, 8, 2), (3, 3), (2, 2), "valid"),
])
def test_average_pool_matches_direct_loops(input_shape, pool_size, strides, padding, backend, rng):
    layer = AveragePooling2D(pool_size, strides, padding)
    layer.build(input_shape)
    x = rng.standard_normal((2,) + input_shape)
    np.testing.assert_allclose(layer.forward(x), _average_pool_direct(x, pool_size, strides, padding),
                               rtol=1e-12, atol=1e-12)


def test_average_pool_same_divides_by_real_pixels_like_tensorflow(backend):
    """TensorFlow issue 60509: a 2x2/2 'same' average pool on [[1,2,3],[4,5,6],[7,8,9]]
    gives (1+2+4+5)/4, (3+6)/2, (7+8)/2, 9/1 -- padding is not counted."""
    layer = AveragePooling2D(2, padding="same")
    layer.build((3, 3, 1))
    x = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    np.testing.assert_allclose(layer.forward(x)[0, :, :, 0], [[3.0, 4.5], [7.5, 9.0]])
    # backward: each window spreads its gradient equally over its real pixels
    dx = layer.backward(np.ones((1, 2, 2, 1)))[0, :, :, 0]
    np.testing.assert_allclose(dx, [[0.25, 0.25, 0.5], [0.25, 0.25, 0.5], [0.5, 0.5, 1.0]])


def test_average_pool_defaults_alias_and_shapes():
    assert AvgPool2D is AveragePooling2D
    layer = AveragePooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2) and layer.padding == "valid"
    layer.build((11, 11, 3))
    assert layer.output_shape == (5, 5, 3) and layer.count_params() == 0
    assert AveragePooling2D(3, 2, "same").compute_output_shape((7, 7, 4)) == (4, 4, 4)
    with pytest.raises(minicnn.ShapeError, match=r"average_pooling2d: 'valid' 4x4 pool on a 3x3 input"):
        AveragePooling2D(4).build((3, 3, 1))


# -- global pooling ------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [GlobalAveragePooling2D, GlobalMaxPooling2D])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("input_shape", [(4, 5, 3), (1, 1, 2), (3, 2, 1)])
def test_global_pool_gradcheck(cls, keepdims, input_shape):
    report = check_layer(cls(keepdims=keepdims), input_shape, batch_size=3)
    assert report.max_rel_error < 1e-6


def test_global_pool_values_and_shapes(rng):
    x = rng.standard_normal((2, 3, 4, 5))
    avg, mx = GlobalAveragePooling2D(), GlobalMaxPooling2D(keepdims=True)
    avg.build((3, 4, 5))
    mx.build((3, 4, 5))
    assert avg.output_shape == (5,) and mx.output_shape == (1, 1, 5)
    np.testing.assert_allclose(avg.forward(x), x.mean(axis=(1, 2)))
    np.testing.assert_array_equal(mx.forward(x), x.max(axis=(1, 2), keepdims=True))
    dx = avg.backward(np.ones((2, 5)))
    np.testing.assert_allclose(dx, np.full(x.shape, 1 / 12))
    assert GlobalAvgPool2D is GlobalAveragePooling2D and GlobalMaxPool2D is GlobalMaxPooling2D


def test_global_max_pool_routes_to_the_first_maximum():
    layer = GlobalMaxPooling2D()
    layer.build((2, 2, 2))
    x = np.zeros((1, 2, 2, 2))
    x[0, 0, 1, 0] = x[0, 1, 0, 0] = 3.0            # channel 0: a tie, first in row-major order wins
    x[0, 1, 1, 1] = 7.0
    layer.forward(x)
    dx = layer.backward(np.array([[10.0, 20.0]]))
    expected = np.zeros_like(x)
    expected[0, 0, 1, 0], expected[0, 1, 1, 1] = 10.0, 20.0
    np.testing.assert_array_equal(dx, expected)


def test_global_pool_needs_images():
    with pytest.raises(ValueError, match=r"global_average_pooling2d: expects images \(H, W, C\)"):
        GlobalAveragePooling2D().build((10,))
