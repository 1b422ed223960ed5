"""Dense, Flatten, Dropout: gradient checks, shapes, Keras semantics."""
import numpy as np
import pytest

from minicnn.gradcheck import check_layer
from minicnn.layers import Dense, Dropout, Flatten


@pytest.mark.parametrize("d_in, units, activation", [
    (5, 3, None), (8, 4, "relu"), (6, 6, "leaky_relu"), (4, 7, "sigmoid"), (3, 2, "tanh"),
    (6, 5, "softmax"),
])
def test_dense_gradcheck(d_in, units, activation):
    check_layer(Dense(units, activation=activation), (d_in,), batch_size=4)


def test_dense_on_rank3_input_uses_last_axis():
    layer = Dense(3)
    check_layer(layer, (4, 5), batch_size=2)
    assert layer.output_shape == (4, 3)


def test_dense_shapes_and_counts():
    layer = Dense(128)
    layer.build((800,))
    assert layer.params["kernel"].shape == (800, 128) and layer.params["bias"].shape == (128,)
    assert layer.count_params() == 102_528          # 004's main model, first Dense
    assert "Dense('dense', units=128" in repr(layer) and "params=102,528" in repr(layer)


def test_flatten_is_c_order_reshape_and_gradcheck():
    layer = Flatten()
    layer.build((3, 3, 128))
    assert layer.output_shape == (1152,)
    x = np.arange(2 * 2 * 3 * 4, dtype=float).reshape(2, 2, 3, 4)
    layer.build((2, 3, 4))
    np.testing.assert_array_equal(layer.forward(x), x.reshape(2, -1))
    check_layer(Flatten(), (2, 3, 4))


@pytest.mark.parametrize("rate", [0.1, 0.25, 0.5])
def test_dropout_gradcheck_with_frozen_mask(rate):
    check_layer(Dropout(rate, seed=3), (4, 4, 3), batch_size=3)


def test_dropout_is_inverted_and_identity_at_inference():
    layer = Dropout(0.25, seed=0)
    layer.build((1000,))
    x = np.ones((50, 1000), dtype=np.float32)
    np.testing.assert_array_equal(layer.forward(x, training=False), x)
    y = layer.forward(x, training=True)
    dropped = np.mean(y == 0)
    assert abs(dropped - 0.25) < 0.01                    # rate = probability of dropping
    assert np.allclose(y[y != 0], 1 / 0.75)               # kept values scaled by 1/(1 - rate)
    assert abs(y.mean() - 1.0) < 0.02 and y.dtype == np.float32
    dx = layer.backward(np.full_like(x, 2.0))
    np.testing.assert_allclose(dx, 2.0 * y)               # same mask, same scaling


def test_dropout_on_a_large_input_keeps_its_rate_and_seed():
    x = np.ones((64, 14, 14, 32), dtype=np.float32)
    masks = []
    for _ in range(2):
        layer = Dropout(0.25, seed=11)
        layer.build(x.shape[1:])
        masks.append(layer.forward(x, training=True))
    np.testing.assert_array_equal(masks[0], masks[1])
    assert abs(np.mean(masks[0] == 0) - 0.25) < 0.005


def test_dropout_seed_repeats_masks_and_rejects_bad_rate():
    a, b = Dropout(0.5, seed=7), Dropout(0.5, seed=7)
    for layer in (a, b):
        layer.build((20,))
    x = np.ones((4, 20))
    np.testing.assert_array_equal(a.forward(x, training=True), b.forward(x, training=True))
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\)"):
        Dropout(1.0)
