"""Conv2DTranspose: gradient checks over a grid, Keras's output sizes, the adjoint-of-Conv2D
oracle, a one-pixel example, backend agreement, errors."""
import numpy as np
import pytest

import minicnn
from minicnn.gradcheck import check_layer
from minicnn.layers import Conv2D, Conv2DTranspose

# (input (H, W, C), filters, kernel_size, strides, padding)
GRID = [
    ((4, 4, 1), 2, 1, 1, "valid"),
    ((4, 5, 2), 3, 2, 1, "valid"),
    ((4, 4, 3), 2, 3, 1, "same"),
    ((3, 4, 2), 2, 4, 1, "same"),             # even kernel: the cropped rows are (1, 2)
    ((3, 3, 2), 3, 3, 2, "same"),             # stride 2 'same': crop (0, 1), output 6x6
    ((3, 4, 2), 2, 3, 2, "valid"),            # output (3-1)*2 + 3 = 7
    ((3, 3, 1), 2, 3, 3, "valid"),            # k == s: patches tile the output
    ((3, 2, 2), 2, 2, 3, "valid"),            # k < s: a zero row/column after each patch
    ((2, 3, 2), 2, 2, 3, "same"),             # k < s 'same': 6 = 2*3 rows, zeros at the end
    ((4, 3, 1), 2, (2, 3), (2, 1), "same"),   # rectangular kernel and strides
    ((3, 4, 2), 2, (3, 1), (1, 3), "valid"),
    ((3, 3, 1), 2, 5, 1, "same"),
]


@pytest.mark.parametrize("input_shape, filters, kernel_size, strides, padding", GRID)
def test_conv2d_transpose_gradcheck(input_shape, filters, kernel_size, strides, padding, backend):
    layer = Conv2DTranspose(filters, kernel_size, strides, padding)
    report = check_layer(layer, input_shape, batch_size=2)
    assert report.max_rel_error < 1e-6
    assert [t.name for t in report.tensors] == ["x", "kernel", "bias"]


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_with_activation_and_without_bias_gradcheck(activation):
    check_layer(Conv2DTranspose(3, 3, strides=2, padding="same", activation=activation),
                (3, 4, 2), batch_size=3)
    layer = Conv2DTranspose(2, 2, use_bias=False)
    check_layer(layer, (3, 3, 2))
    assert list(layer.params) == ["kernel"]


@pytest.mark.parametrize("size, kernel, stride, padding, expected", [
    (28, 3, 1, "valid", 30),      # 002's convNN_8: (28 - 1)*1 + 3
    (28, 3, 2, "valid", 57),      # (28 - 1)*2 + 3
    (28, 3, 2, "same", 56),       # 28*2
    (7, 4, 2, "same", 14),
    (5, 2, 3, "valid", 15),       # k < s: 5*3 + max(2 - 3, 0), not (5 - 1)*3 + 2 = 14
    (5, 5, 1, "same", 5),
])
def test_output_size_follows_keras(size, kernel, stride, padding, expected):
    layer = Conv2DTranspose(4, kernel, stride, padding)
    layer.build((size, size, 2))
    assert layer.output_shape == (expected, expected, 4)


@pytest.mark.parametrize("input_shape, filters, kernel_size, strides, padding", GRID)
def test_forward_is_the_adjoint_of_conv2d(input_shape, filters, kernel_size, strides, padding,
                                          backend, rng):
    """Conv2DTranspose(K) is Conv2D(K)'s transpose: <conv2d(u), x> == <u, conv2d_transpose(x)>
    for every u of the transposed output's shape and x of its input's shape (no bias)."""
    transpose = Conv2DTranspose(filters, kernel_size, strides, padding, use_bias=False)
    transpose.build(input_shape)
    conv = Conv2D(input_shape[-1], kernel_size, strides, padding, use_bias=False)
    conv.build(transpose.output_shape)
    assert conv.output_shape == tuple(input_shape)          # the two shapes correspond exactly
    kernel = rng.standard_normal(transpose.params["kernel"].shape)
    transpose.params["kernel"] = conv.params["kernel"] = kernel   # (KH, KW, filters, C)
    x = rng.standard_normal((2,) + tuple(input_shape))
    u = rng.standard_normal((2,) + transpose.output_shape)
    lhs, rhs = np.sum(conv.forward(u) * x), np.sum(u * transpose.forward(x))
    assert abs(lhs - rhs) < 1e-10 * max(1.0, abs(lhs))


def test_one_pixel_stamps_the_kernel(backend):
    """A single 1 at input (h, w) writes kernel[:, :, f, 0] at output (h*S, w*S), minus padding."""
    layer = Conv2DTranspose(2, (2, 3), strides=2, use_bias=False)
    layer.build((3, 3, 1))
    assert layer.output_shape == (6, 7, 2)
    kernel = np.arange(12, dtype=np.float32).reshape(2, 3, 2, 1)
    layer.params["kernel"] = kernel
    x = np.zeros((1, 3, 3, 1), dtype=np.float32)
    x[0, 1, 2, 0] = 1.0
    y = layer.forward(x)
    expected = np.zeros((1, 6, 7, 2), dtype=np.float32)
    expected[0, 2:4, 4:7, :] = kernel[:, :, :, 0]
    np.testing.assert_array_equal(y, expected)


def test_backends_agree_in_float64(rng):
    layer = Conv2DTranspose(3, (3, 2), strides=(2, 3), padding="same", activation="relu")
    layer.build((4, 3, 2))
    layer.params = {k: v.astype(np.float64) for k, v in layer.params.items()}
    x = rng.standard_normal((3, 4, 3, 2))
    dy = rng.standard_normal((3,) + layer.output_shape)
    results = {}
    for name in ("numpy", "numba"):
        with minicnn.use_backend(name):
            results[name] = (layer.forward(x), layer.backward(dy), layer.grads["kernel"].copy())
    for a, b in zip(results["numpy"], results["numba"]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_parameters_and_config():
    layer = Conv2DTranspose(32, (3, 3), activation="relu", kernel_regularizer="l2")
    layer.build((28, 28, 1))
    assert layer.params["kernel"].shape == (3, 3, 32, 1)      # Keras: (KH, KW, filters, C_in)
    assert layer.params["bias"].shape == (32,) and layer.count_params() == 320
    limit = np.sqrt(6 / (3 * 3 * 32 + 3 * 3 * 1))              # glorot on the kernel's own shape
    assert np.abs(layer.params["kernel"]).max() <= limit
    config = layer.get_config()
    assert Conv2DTranspose(**config).get_config() == config
    assert config["kernel_regularizer"] == {"class_name": "L2", "config": {"l2": 0.01}}


@pytest.mark.parametrize("kwargs, message", [
    ({"filters": 0, "kernel_size": 3}, "filters must be a positive int"),
    ({"filters": 2, "kernel_size": (3, 3, 3)}, "kernel_size must be a positive int or a tuple of 2"),
    ({"filters": 2, "kernel_size": 3, "strides": 0}, "strides must be a positive int"),
    ({"filters": 2, "kernel_size": 3, "padding": "causal"}, "padding must be 'valid' or 'same'"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2DTranspose(**kwargs)


def test_needs_a_channel_axis():
    with pytest.raises(ValueError, match=r"conv2d_transpose: expects images \(H, W, C\)"):
        Conv2DTranspose(2, 3).build((28, 28))


@pytest.mark.parametrize("padding, use_bias", [("valid", True), ("same", False)])
def test_one_channel_shortcut_equals_the_col2im_path(padding, use_bias, backend,
                                                     one_channel_paths_agree):
    """One input channel with stride 1 runs as Conv2D's one-channel convolution of the fully
    padded input with the flipped kernel; forcing the GEMM + col2im path gives the same output
    and gradients."""
    layer = Conv2DTranspose(3, (3, 2), padding=padding, use_bias=use_bias, activation="relu")
    one_channel_paths_agree(layer, (5, 4, 1))
    strided = Conv2DTranspose(2, 3, strides=2)
    strided.build((4, 4, 1))
    assert not strided.one_channel
