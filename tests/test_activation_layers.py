"""Activation layers and functions: gradient checks and Keras semantics."""
import numpy as np
import pytest

from minicnn import activations
from minicnn.gradcheck import check_layer
from minicnn.layers import Activation, Dense, LeakyReLU, ReLU, Softmax


@pytest.mark.parametrize("layer", [
    ReLU(), LeakyReLU(), LeakyReLU(negative_slope=0.1), Softmax(), Activation("sigmoid"),
    Activation("tanh"), Activation("linear"), Activation("relu"), Activation("softmax"),
], ids=lambda layer: repr(layer))
def test_activation_gradcheck(layer):
    check_layer(layer, (3, 4, 5), batch_size=2)


def test_leaky_relu_default_slope_is_keras_0_3():
    layer = LeakyReLU()
    layer.build((2,))
    np.testing.assert_allclose(layer.forward(np.array([[-1.0, 2.0]])), [[-0.3, 2.0]])
    assert LeakyReLU(alpha=0.2).activation.negative_slope == 0.2   # Keras 2 argument name


def test_softmax_is_stable_for_huge_logits():
    p = activations.softmax(np.array([[1000.0, 0.0, -1000.0], [-1e4, -1e4, -1e4]]))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], 1 / 3)


def test_sigmoid_does_not_overflow():
    y = activations.Sigmoid().forward(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(y, [0.0, 0.5, 1.0])


def test_relu_backward_does_not_modify_upstream_gradient():
    relu = activations.ReLU()
    relu.forward(np.array([-1.0, 2.0]))
    dy = np.array([5.0, 6.0])
    dz = relu.backward(dy)
    np.testing.assert_array_equal(dy, [5.0, 6.0])
    np.testing.assert_array_equal(dz, [0.0, 6.0])


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="unknown activation 'gelu'; valid names: linear, relu, "
                                         "leaky_relu, sigmoid, tanh, softmax"):
        Activation("gelu")


def test_activation_object_without_inplace_is_a_clear_error():
    class Square:                                      # forward(z) lacks the inplace argument
        def forward(self, z):
            return z * z

        def backward(self, dy):
            return dy

    with pytest.raises(ValueError, match=r"dense: activation object .* needs "
                                         r"forward\(z, inplace=False\)"):
        Dense(3, activation=Square(), name="dense")

    class SquareAnyKeywords(Square):                   # forward(z, **options) takes inplace
        def forward(self, z, **options):
            return z * z

    Dense(3, activation=SquareAnyKeywords(), name="dense")


def test_relu_in_place_overwrites_only_when_asked():
    z = np.array([[-1.0, 2.0], [0.0, -3.0]])
    kept = z.copy()
    relu = activations.ReLU()
    y = relu.forward(z)
    np.testing.assert_array_equal(z, kept)             # default: the input is left alone
    assert relu.forward(z, inplace=True) is z
    np.testing.assert_array_equal(z, y)
    np.testing.assert_array_equal(relu.backward(np.ones_like(z)), [[0.0, 1.0], [0.0, 0.0]])
