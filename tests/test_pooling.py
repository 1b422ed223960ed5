"""MaxPooling2D: gradient checks (overlapping windows, floors, same padding), ties, routing."""
import numpy as np
import pytest

import minicnn
from minicnn.gradcheck import check_layer
from minicnn.layers import MaxPool2D, MaxPooling2D

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
