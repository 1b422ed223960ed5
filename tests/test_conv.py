"""Conv2D: gradient checks over a grid of configurations, shapes, parameter counts, errors."""
import numpy as np
import pytest

import minicnn
from minicnn.gradcheck import check_layer
from minicnn.layers import Conv2D, Conv2DTranspose

# (input (H, W, C), filters, kernel_size, strides, padding)
GRID = [
    ((6, 6, 1), 2, 1, 1, "valid"),
    ((6, 7, 2), 3, 2, 1, "valid"),
    ((7, 7, 3), 2, 3, 1, "same"),
    ((8, 8, 2), 2, 4, 1, "same"),             # even kernel: same padding (1, 2)
    ((9, 9, 1), 2, 5, 1, "same"),
    ((8, 8, 2), 3, 3, 2, "same"),             # stride 2: asymmetric (0, 1) padding
    ((9, 8, 2), 2, 3, 3, "valid"),
    ((10, 9, 1), 2, (2, 3), (2, 1), "same"),  # rectangular kernel and strides
    ((7, 9, 3), 2, (3, 1), 1, "valid"),
    ((8, 7, 2), 2, (1, 4), (3, 2), "same"),
    ((5, 5, 2), 2, 5, 1, "valid"),            # kernel as large as the input -> 1x1 output
]


@pytest.mark.parametrize("input_shape, filters, kernel_size, strides, padding", GRID)
def test_conv2d_gradcheck(input_shape, filters, kernel_size, strides, padding, backend):
    layer = Conv2D(filters, kernel_size, strides=strides, padding=padding)
    report = check_layer(layer, input_shape, batch_size=2)
    assert report.max_rel_error < 1e-6
    assert [t.name for t in report.tensors] == ["x", "kernel", "bias"]


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "sigmoid", "tanh", "linear"])
def test_conv2d_with_activation_gradcheck(activation, backend):
    check_layer(Conv2D(3, 3, padding="same", activation=activation), (5, 6, 2), batch_size=3)


def test_conv2d_one_channel_with_its_fused_relu_gradcheck(backend):
    """One channel: the ReLU is taken inside the convolution's kernel (ops.conv2d_one_channel
    with relu=True); backward through it still matches finite differences."""
    layer = Conv2D(3, 3, padding="same", activation="relu")
    check_layer(layer, (5, 6, 1), batch_size=3)
    assert layer.one_channel


def test_conv2d_without_bias_gradcheck(backend):
    layer = Conv2D(2, 3, use_bias=False)
    check_layer(layer, (6, 6, 2))
    assert list(layer.params) == ["kernel"]


def test_conv2d_matches_direct_sum(backend, rng):
    """The im2col GEMM equals the textbook 6-loop definition of the convolution."""
    layer = Conv2D(3, (2, 3), strides=(2, 1), padding="same")
    layer.build((5, 6, 2))
    x = rng.standard_normal((2, 5, 6, 2)).astype(np.float32)
    y = layer.forward(x)
    k, b = layer.params["kernel"], layer.params["bias"]
    (top, _), (left, _) = layer.pad_hw
    xp = np.pad(x, ((0, 0), layer.pad_hw[0], layer.pad_hw[1], (0, 0)))
    assert (top, left) == (0, 0) or xp.shape != x.shape
    expected = np.zeros(y.shape)
    for n in range(2):
        for oh in range(y.shape[1]):
            for ow in range(y.shape[2]):
                for f in range(3):
                    window = xp[n, oh * 2:oh * 2 + 2, ow:ow + 3, :]
                    expected[n, oh, ow, f] = np.sum(window * k[:, :, :, f]) + b[f]
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_conv2d_shapes_params_and_init():
    layer = Conv2D(32, (3, 3))
    layer.build((28, 28, 1))
    assert layer.output_shape == (26, 26, 32)
    assert layer.params["kernel"].shape == (3, 3, 1, 32) and layer.params["kernel"].dtype == np.float32
    assert layer.count_params() == (3 * 3 * 1 + 1) * 32 == 320
    assert np.all(layer.params["bias"] == 0)
    limit = np.sqrt(6 / (9 * 1 + 9 * 32))        # glorot_uniform: fan_in 9, fan_out 288
    assert np.abs(layer.params["kernel"]).max() <= limit
    assert np.abs(layer.params["kernel"]).max() > 0.8 * limit
    same = Conv2D(6, 5, padding="same")
    same.build((28, 28, 1))
    assert same.output_shape == (28, 28, 6) and same.pad_hw == ((2, 2), (2, 2))
    strided = Conv2D(4, 3, strides=2, padding="same")
    strided.build((28, 28, 1))
    assert strided.output_shape == (14, 14, 4) and strided.pad_hw == ((0, 1), (0, 1))


def test_conv2d_backends_agree_in_float64(rng):
    layer = Conv2D(4, (3, 2), strides=(2, 2), padding="same", activation="relu")
    layer.build((9, 8, 3))
    layer.params = {k: v.astype(np.float64) for k, v in layer.params.items()}
    x = rng.standard_normal((3, 9, 8, 3))
    dy = rng.standard_normal((3,) + layer.output_shape)
    results = {}
    for name in ("numpy", "numba"):
        with minicnn.use_backend(name):
            y = layer.forward(x)
            dx = layer.backward(dy)
            results[name] = (y, dx, layer.grads["kernel"].copy())
    for a, b in zip(results["numpy"], results["numba"]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("padding, use_bias", [("same", True), ("valid", False)])
def test_conv2d_one_channel_shortcut_equals_the_im2col_path(padding, use_bias, backend,
                                                             one_channel_paths_agree):
    """One input channel with stride 1 is summed tap by tap (no x_cols); forcing the im2col
    path gives the same output and gradients."""
    layer = Conv2D(4, (3, 2), padding=padding, use_bias=use_bias, activation="relu")
    assert one_channel_paths_agree(layer, (7, 6, 1), batch_size=3) == {True: False, False: True}
    strided = Conv2D(2, 3, strides=2)
    strided.build((7, 7, 1))
    assert not strided.one_channel                     # the shortcut assumes stride 1


@pytest.mark.parametrize("channels, strides", [(1, 1), (1, 2), (3, 1)])
def test_conv2d_x_cols_is_made_on_request_from_the_kept_input(channels, strides, rng):
    """``layer.x_cols`` -- what a learner prints in backward -- is im2col of the padded input of
    the last forward pass, on the one-channel path too; before any forward it says so."""
    from minicnn import functional

    layer = Conv2D(4, 3, strides=strides, padding="same")
    layer.build((6, 5, channels))
    with pytest.raises(AttributeError, match="conv2d.*has not run forward yet"):
        layer.x_cols
    x = rng.standard_normal((2, 6, 5, channels)).astype(np.float32)
    layer.forward(x)
    expected = functional.im2col(functional.pad_nhwc(x, layer.pad_hw), (3, 3), (strides,) * 2)
    np.testing.assert_array_equal(layer.x_cols, expected)


def test_conv2d_transpose_says_it_has_no_x_cols(rng):
    layer = Conv2DTranspose(2, 3)
    layer.build((4, 4, 1))
    layer.forward(rng.standard_normal((1, 4, 4, 1)).astype(np.float32))
    with pytest.raises(AttributeError, match="Conv2DTranspose has no x_cols"):
        layer.x_cols


def test_conv2d_kernel_larger_than_input_names_layer_and_arithmetic():
    model = minicnn.Sequential(input_shape=(4, 4, 1))
    model.add(Conv2D(2, 3))
    with pytest.raises(minicnn.ShapeError,
                       match=r"conv2d_1: 'valid' 3x3 kernel on a 2x2 input gives "
                             r"\(2 - 3\)//1 \+ 1 = 0 rows"):
        model.add(Conv2D(2, 3))


@pytest.mark.parametrize("kwargs, message", [
    ({"filters": 0, "kernel_size": 3}, "filters must be a positive int"),
    ({"filters": 4, "kernel_size": (3, 3, 3)}, "kernel_size must be a positive int or a tuple of 2"),
    ({"filters": 4, "kernel_size": 3, "padding": "full"}, "padding must be 'valid' or 'same'"),
    ({"filters": 4, "kernel_size": 3, "activation": "swishy"},
     "unknown activation 'swishy'; valid names: linear, relu"),
    ({"filters": 4, "kernel_size": 3, "kernel_initializer": "xavier"},
     "unknown kernel_initializer 'xavier'; valid names:"),
])
def test_conv2d_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2D(**kwargs)


def test_conv2d_needs_a_channel_axis():
    with pytest.raises(ValueError, match=r"expects images \(H, W, C\).*x\[\.\.\., None\]"):
        Conv2D(2, 3).build((28, 28))
