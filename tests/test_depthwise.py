"""DepthwiseConv2D and SeparableConv2D: gradient checks over a grid, direct-sum and Conv2D oracles,
NumPy-vs-Numba agreement of the depthwise kernels, Keras shapes/initialisers, errors."""
import os
import subprocess
import sys

import numpy as np
import pytest

import minicnn
from minicnn import functional, kernels
from minicnn.gradcheck import check_layer
from minicnn.layers import Conv2D, DepthwiseConv2D, SeparableConv2D

# (input (H, W, C), kernel_size, strides, padding, depth_multiplier)
GRID = [
    ((5, 5, 1), 1, 1, "valid", 1),
    ((6, 7, 2), 2, 1, "valid", 2),
    ((7, 7, 3), 3, 1, "same", 1),
    ((8, 8, 2), 4, 1, "same", 1),             # even kernel: same padding (1, 2)
    ((8, 8, 2), 3, 2, "same", 3),             # stride 2: asymmetric (0, 1) padding
    ((9, 8, 1), 3, 3, "valid", 2),
    ((10, 9, 2), (2, 3), (2, 1), "same", 1),  # rectangular kernel and strides
    ((7, 9, 2), (3, 1), 1, "valid", 2),
    ((9, 9, 1), 5, 1, "same", 1),
    ((8, 8, 1), 8, 3, "valid", 1),            # convNN_7 in small: kernel = image -> 1x1 output
]


@pytest.mark.parametrize("input_shape, kernel_size, strides, padding, multiplier", GRID)
def test_depthwise_gradcheck(input_shape, kernel_size, strides, padding, multiplier, backend):
    layer = DepthwiseConv2D(kernel_size, strides, padding, depth_multiplier=multiplier)
    report = check_layer(layer, input_shape, batch_size=2)
    assert report.max_rel_error < 1e-6
    assert [t.name for t in report.tensors] == ["x", "depthwise_kernel", "bias"]


@pytest.mark.parametrize("input_shape, kernel_size, strides, padding, multiplier", GRID[1:8])
def test_separable_gradcheck(input_shape, kernel_size, strides, padding, multiplier, backend):
    layer = SeparableConv2D(3, kernel_size, strides, padding, depth_multiplier=multiplier)
    report = check_layer(layer, input_shape, batch_size=2)
    assert report.max_rel_error < 1e-6
    assert [t.name for t in report.tensors] == ["x", "depthwise_kernel", "pointwise_kernel", "bias"]


@pytest.mark.parametrize("cls, args", [(DepthwiseConv2D, (3,)), (SeparableConv2D, (2, 3))])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_with_activation_and_without_bias_gradcheck(cls, args, activation):
    check_layer(cls(*args, padding="same", activation=activation, depth_multiplier=2),
                (5, 6, 2), batch_size=3)
    layer = cls(*args, use_bias=False)
    check_layer(layer, (5, 5, 2))
    assert "bias" not in layer.params


def test_depthwise_matches_direct_sum(backend, rng):
    """The textbook definition: channel c*M + m sees only input channel c."""
    layer = DepthwiseConv2D((2, 3), strides=(2, 1), padding="same", depth_multiplier=2)
    layer.build((5, 6, 3))
    x = rng.standard_normal((2, 5, 6, 3)).astype(np.float32)
    y = layer.forward(x)
    k, b = layer.params["depthwise_kernel"], layer.params["bias"]
    xp = np.pad(x, ((0, 0), layer.pad_hw[0], layer.pad_hw[1], (0, 0)))
    expected = np.zeros(y.shape)
    for n in range(2):
        for oh in range(y.shape[1]):
            for ow in range(y.shape[2]):
                for c in range(3):
                    for m in range(2):
                        window = xp[n, oh * 2:oh * 2 + 2, ow:ow + 3, c]
                        expected[n, oh, ow, c * 2 + m] = np.sum(window * k[:, :, c, m]) + b[c * 2 + m]
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_separable_equals_conv2d_with_the_composed_kernel(backend, rng):
    """depthwise then pointwise == one Conv2D whose kernel[i, j, c, f] = sum_m D[i, j, c, m] P[c*M+m, f]."""
    sep = SeparableConv2D(4, 3, strides=2, padding="same", depth_multiplier=2)
    sep.build((7, 6, 3))
    conv = Conv2D(4, 3, strides=2, padding="same")
    conv.build((7, 6, 3))
    d = sep.params["depthwise_kernel"].astype(np.float64)              # (3, 3, 3, 2)
    p = sep.params["pointwise_kernel"].astype(np.float64)[0, 0].reshape(3, 2, 4)   # (c, m, f)
    sep.params = {k: v.astype(np.float64) for k, v in sep.params.items()}
    sep.params["bias"][...] = rng.standard_normal(4)
    conv.params = {"kernel": np.einsum("ijcm,cmf->ijcf", d, p), "bias": sep.params["bias"]}
    x = rng.standard_normal((2, 7, 6, 3))
    np.testing.assert_allclose(sep.forward(x), conv.forward(x), rtol=1e-12, atol=1e-12)


def test_keras_shapes_counts_and_initialisers():
    layer = DepthwiseConv2D(3, depth_multiplier=2)
    layer.build((10, 10, 4))
    assert layer.output_shape == (8, 8, 8)
    assert layer.params["depthwise_kernel"].shape == (3, 3, 4, 2)
    assert layer.params["bias"].shape == (8,) and np.all(layer.params["bias"] == 0)
    assert layer.count_params() == 3 * 3 * 4 * 2 + 8
    limit = np.sqrt(6 / (3 * 3 * 4 + 3 * 3 * 2))     # glorot on (3, 3, 4, 2): fan_in 36, fan_out 18
    kernel = layer.params["depthwise_kernel"]
    assert kernel.dtype == np.float32 and limit * 0.7 < np.abs(kernel).max() <= limit
    sep = SeparableConv2D(32, (3, 3), depth_multiplier=2)
    sep.build((28, 28, 3))
    assert sep.output_shape == (26, 26, 32)
    assert [(k, v.shape) for k, v in sep.params.items()] == [
        ("depthwise_kernel", (3, 3, 3, 2)), ("pointwise_kernel", (1, 1, 6, 32)), ("bias", (32,))]
    assert sep.count_params() == 54 + 192 + 32
    seven = DepthwiseConv2D(28, (3, 3))               # 002's convNN_7: kernel 28, strides 3
    seven.build((28, 28, 1))
    assert seven.output_shape == (1, 1, 1) and seven.count_params() == 785
    assert DepthwiseConv2D(3, 2, "same").compute_output_shape((9, 9, 5)) == (5, 5, 5)


def test_config_round_trip():
    layer = SeparableConv2D(8, (3, 2), strides=2, padding="same", depth_multiplier=3,
                            activation="relu", pointwise_regularizer="l2")
    config = layer.get_config()
    assert config["pointwise_regularizer"] == {"class_name": "L2", "config": {"l2": 0.01}}
    assert SeparableConv2D(**config).get_config() == config
    depthwise = DepthwiseConv2D(5, depth_multiplier=2, depthwise_regularizer="l1")
    assert DepthwiseConv2D(**depthwise.get_config()).get_config() == depthwise.get_config()


def test_kernel_larger_than_input_names_layer_and_arithmetic():
    with pytest.raises(minicnn.ShapeError, match=r"depthwise_conv2d: 'valid' 5x5 kernel on a 4x4 "
                                                 r"input gives \(4 - 5\)//1 \+ 1 = 0 rows"):
        DepthwiseConv2D(5).build((4, 4, 2))
    with pytest.raises(minicnn.ShapeError, match=r"separable_conv2d: 'valid' 3x3 kernel on a 2x9"):
        SeparableConv2D(4, 3).build((2, 9, 1))


@pytest.mark.parametrize("cls, kwargs, message", [
    (DepthwiseConv2D, {"kernel_size": 3, "depth_multiplier": 0}, "depth_multiplier must be a positive int"),
    (DepthwiseConv2D, {"kernel_size": (3, 0)}, "kernel_size must be a positive int or a tuple of 2"),
    (DepthwiseConv2D, {"kernel_size": 3, "depthwise_initializer": "xavier"},
     "unknown depthwise_initializer 'xavier'"),
    (SeparableConv2D, {"filters": 0, "kernel_size": 3}, "filters must be a positive int"),
    (SeparableConv2D, {"filters": 2, "kernel_size": 3, "padding": "full"},
     "padding must be 'valid' or 'same'"),
    (SeparableConv2D, {"filters": 2, "kernel_size": 3, "pointwise_regularizer": "l3"},
     "unknown pointwise_regularizer 'l3'; valid names: l1, l2, l1_l2"),
])
def test_bad_arguments(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


def test_needs_a_channel_axis():
    with pytest.raises(ValueError, match=r"expects images \(H, W, C\).*x\[\.\.\., None\]"):
        DepthwiseConv2D(3).build((28, 28))


# -- the depthwise kernels: NumPy reference vs Numba twin ---------------------------------------
# (N, H, W, C, M, kernel, stride) on already padded inputs: non-square, strides 2 and 3, floors.
KERNEL_CONFIGS = [
    (2, 7, 8, 3, 1, (3, 3), (1, 1)),
    (3, 9, 6, 2, 2, (2, 3), (2, 1)),
    (1, 11, 11, 1, 3, (2, 2), (2, 2)),        # 11 -> 5: the last row/column is dropped
    (2, 10, 7, 4, 2, (4, 1), (3, 2)),
    (2, 5, 5, 3, 1, (5, 5), (1, 1)),
    (2, 8, 8, 5, 2, (3, 2), (3, 3)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, h, w, c, m, k, s", KERNEL_CONFIGS)
def test_depthwise_numba_matches_numpy(n, h, w, c, m, k, s, dtype, rng):
    x = rng.standard_normal((n, h, w, c)).astype(dtype)
    kernel = rng.standard_normal(k + (c, m)).astype(dtype)
    ref = functional.depthwise_conv2d(x, kernel, s)
    fast = kernels.depthwise_conv2d(x, kernel, s)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert fast.dtype == dtype and fast.shape == ref.shape
    np.testing.assert_allclose(fast, ref, rtol=tol, atol=tol)
    dy = rng.standard_normal(ref.shape).astype(dtype)
    for got, want in zip(kernels.depthwise_conv2d_backward(dy, x, kernel, s),
                         functional.depthwise_conv2d_backward(dy, x, kernel, s)):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@pytest.mark.parametrize("n, h, w, c, m, k, s", KERNEL_CONFIGS[:3])
def test_depthwise_backward_is_the_adjoint_of_forward(n, h, w, c, m, k, s, backend, rng):
    """<depthwise(x, K), dy> is linear in x and in K, so dx and dK satisfy
    <dy, depthwise(x, K)> == <x, dx> == <K, dK>."""
    x = rng.standard_normal((n, h, w, c))
    kernel = rng.standard_normal(k + (c, m))
    y = minicnn.ops.depthwise_conv2d(x, kernel, s)
    dy = rng.standard_normal(y.shape)
    dx, dkernel = minicnn.ops.depthwise_conv2d_backward(dy, x, kernel, s)
    lhs = np.sum(dy * y)
    assert abs(lhs - np.sum(x * dx)) < 1e-10 * max(1.0, abs(lhs))
    assert abs(lhs - np.sum(kernel * dkernel)) < 1e-10 * max(1.0, abs(lhs))


def test_depthwise_ops_accept_non_contiguous_inputs(backend, rng):
    base = rng.standard_normal((2, 12, 14, 6))
    x = base[:, ::2, 1::2, ::2]
    kernel = rng.standard_normal((4, 3, 3, 2)).transpose(1, 0, 2, 3)   # (3, 4, 3, 2), a view
    assert not x.flags.c_contiguous and not kernel.flags.c_contiguous
    np.testing.assert_allclose(minicnn.ops.depthwise_conv2d(x, kernel, (1, 2)),
                               functional.depthwise_conv2d(np.ascontiguousarray(x),
                                                           np.ascontiguousarray(kernel), (1, 2)),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT") == "1", reason="already the no-JIT run")
def test_depthwise_kernels_as_plain_python_with_jit_disabled():
    """NUMBA_DISABLE_JIT=1 turns the kernels into steppable Python; they must still agree."""
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          os.path.abspath(__file__), "-k", "numba_matches_numpy and float64"],
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert " passed" in out.stdout
