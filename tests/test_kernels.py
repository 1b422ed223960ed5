"""The NumPy references (minicnn.functional) and Numba twins (minicnn.kernels) agree."""
import contextlib
import os
import subprocess
import sys

import numpy as np
import pytest

from minicnn import functional, kernels, ops
from minicnn.functional import pad_nhwc

# (N, H, W, C, kernel, stride): non-square kernels, stride 2 and 3, odd sizes, floors.
CONFIGS = [
    (2, 7, 8, 3, (3, 3), (1, 1)),
    (3, 9, 6, 2, (2, 3), (2, 1)),
    (1, 11, 11, 1, (2, 2), (2, 2)),      # 11 -> 5: the last row/column is dropped
    (2, 10, 7, 4, (4, 1), (3, 2)),
    (2, 5, 5, 3, (5, 5), (1, 1)),
    (4, 6, 9, 2, (1, 1), (1, 1)),
    (2, 8, 8, 5, (3, 2), (3, 3)),
    (2, 9, 7, 8, (2, 2), (2, 2)),        # tiling pools with a multiple of 8 channels (and not)
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, h, w, c, k, s", CONFIGS)
def test_im2col_col2im_numba_matches_numpy(n, h, w, c, k, s, dtype, rng):
    x = rng.standard_normal((n, h, w, c)).astype(dtype)
    ref = functional.im2col(x, k, s)
    fast = kernels.im2col(x, k, s)
    assert fast.dtype == dtype and fast.shape == ref.shape
    np.testing.assert_array_equal(fast, ref)           # a pure copy: bit-identical
    cols = rng.standard_normal(ref.shape).astype(dtype)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(kernels.col2im(cols, x.shape, k, s),
                               functional.col2im(cols, x.shape, k, s), rtol=tol, atol=tol)


@pytest.mark.parametrize("n, h, w, c, k, s", CONFIGS)
def test_col2im_is_the_adjoint_of_im2col(n, h, w, c, k, s, rng, backend):
    """<im2col(x), cols> == <x, col2im(cols)> for random x and cols."""
    x = rng.standard_normal((n, h, w, c))
    x_cols = ops.im2col(x, k, s)
    cols = rng.standard_normal(x_cols.shape)
    lhs = np.sum(x_cols * cols)
    rhs = np.sum(x * ops.col2im(cols, x.shape, k, s))
    assert abs(lhs - rhs) < 1e-10 * max(1.0, abs(lhs))


def test_im2col_row_and_column_order(backend):
    """Row (n, oh, ow), column (i, j, c): the layout that matches kernel.reshape(KH*KW*C, F)."""
    x = np.arange(2 * 4 * 5 * 3, dtype=np.float64).reshape(2, 4, 5, 3)
    cols = ops.im2col(x, (2, 3), (1, 2))          # OH = 3, OW = 2
    n, oh, ow, i, j, c = 1, 2, 1, 1, 2, 0
    row = (n * 3 + oh) * 2 + ow
    col = (i * 3 + j) * 3 + c
    assert cols[row, col] == x[n, oh * 1 + i, ow * 2 + j, c]


# ((top, bottom), (left, right)): none, "same" for 3x3, uneven, and wider than a 1x1 kernel
# (whole windows on the padding)
PADDINGS = [((0, 0), (0, 0)), ((1, 1), (1, 1)), ((0, 1), (2, 0)), ((2, 2), (1, 3))]


@pytest.mark.parametrize("pad_hw", PADDINGS)
@pytest.mark.parametrize("n_images, per_block", [(5, 1), (5, 2), (5, 5), (0, 1)])
@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, h, w, c, k, s", CONFIGS)
def test_im2col_matmul_and_its_backward_equal_the_calls_one_after_the_other(
        n, h, w, c, k, s, dtype, threads, n_images, per_block, pad_hw, rng, monkeypatch):
    """The Numba twins do im2col + product + bias (+ ReLU), and im2col + the kernel gradient's
    product + the input gradient's product + col2im, a few images at a time inside training,
    padding inside the kernels; their results equal the reference calls -- pad_nhwc, im2col, the
    product; the two products, col2im, unpad_nhwc -- for blocks of 1 image, of 2 (5 images on 1
    or 2 threads: a last block smaller than the others), of all, for an empty batch, on 1-3
    threads, with and without the input gradient, and outside training as well. Two gradient
    slots: each adds the shares of up to 3 blocks."""
    import minicnn
    from minicnn import backend
    from minicnn.kernels import conv as kernels_conv

    monkeypatch.setattr(kernels_conv, "GRADIENT_SLOTS", 2)

    x = rng.standard_normal((n_images, h, w, c)).astype(dtype)
    x_padded = pad_nhwc(x, pad_hw)
    rows = ((x_padded.shape[1] - k[0]) // s[0] + 1) * ((x_padded.shape[2] - k[1]) // s[1] + 1)
    block_bytes = per_block * rows * k[0] * k[1] * c * np.dtype(dtype).itemsize
    monkeypatch.setattr(kernels_conv, "BLOCK_BYTES", block_bytes)
    assert kernels_conv._images_per_block(rows, k[0] * k[1] * c, np.dtype(dtype).itemsize) \
        == per_block
    kernel2d = rng.standard_normal((k[0] * k[1] * c, 5)).astype(dtype)
    x_cols = functional.im2col(x_padded, k, s)
    dz2d = rng.standard_normal((x_cols.shape[0], 5)).astype(dtype)
    bias = rng.standard_normal(5).astype(dtype)
    z2d = x_cols @ kernel2d + bias
    dkernel2d = x_cols.T @ dz2d
    dx = ops.unpad_nhwc(functional.col2im(dz2d @ kernel2d.T, x_padded.shape, k, s), pad_hw)
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)
    minicnn.set_threads(threads)
    try:
        for training in (True, False):
            with backend.training_threads() if training else contextlib.nullcontext():
                got_z2d = kernels.im2col_matmul(x, kernel2d, k, s, bias, pad_hw=pad_hw)
                got_relu = kernels.im2col_matmul(x, kernel2d, k, s, bias, relu=True,
                                                 pad_hw=pad_hw)
                got_dkernel2d, got_dx = kernels.im2col_matmul_backward(x, dz2d, kernel2d, k, s,
                                                                       pad_hw)
                alone, no_dx = kernels.im2col_matmul_backward(x, dz2d, kernel2d, k, s, pad_hw,
                                                              input_gradient=False)
            assert got_dx.shape == x.shape and no_dx is None
            np.testing.assert_allclose(got_z2d, z2d, **tol)
            np.testing.assert_allclose(got_relu, np.maximum(z2d, 0), **tol)
            np.testing.assert_allclose(got_dkernel2d, dkernel2d, **tol)
            np.testing.assert_array_equal(alone, got_dkernel2d)
            np.testing.assert_allclose(got_dx, dx, **tol)
            assert got_z2d.dtype == got_dkernel2d.dtype == got_dx.dtype == dtype
    finally:
        minicnn.set_threads(None)


@pytest.mark.parametrize("slots", [8, 3])
def test_im2col_matmul_backward_gives_the_same_kernel_gradient_on_any_number_of_threads(
        slots, rng, monkeypatch):
    """Its blocks (here 2 images: 4 blocks, the last of 1 image) and their groups (one block
    per slot, or two) do not depend on the thread count, and their shares of the kernel
    gradient are added in block order: identical bits."""
    import minicnn
    from minicnn import backend
    from minicnn.kernels import conv as kernels_conv

    monkeypatch.setattr(kernels_conv, "BLOCK_BYTES", 2 * 36 * 27 * 4)   # 2 images of 36 rows
    monkeypatch.setattr(kernels_conv, "GRADIENT_SLOTS", slots)
    x = rng.standard_normal((7, 6, 6, 3)).astype(np.float32)
    kernel2d = rng.standard_normal((27, 8)).astype(np.float32)
    dz2d = rng.standard_normal((7 * 36, 8)).astype(np.float32)
    results = []
    for threads in (1, 2, 3):
        minicnn.set_threads(threads)
        try:
            with backend.training_threads():
                results.append(kernels.im2col_matmul_backward(x, dz2d, kernel2d, (3, 3), (1, 1),
                                                              ((1, 1), (1, 1))))
        finally:
            minicnn.set_threads(None)
    for dkernel2d, dx in results[1:]:
        np.testing.assert_array_equal(dkernel2d, results[0][0])
        np.testing.assert_array_equal(dx, results[0][1])


@pytest.mark.parametrize("x_dtype, other_dtype", [(np.float64, np.float32),
                                                   (np.float32, np.float64)])
def test_conv2d_products_give_the_reference_dtypes_for_mixed_inputs(x_dtype, other_dtype, rng):
    """As NumPy's products: dkernel2d has the dtype of x_cols^T @ dz2d, dx that of
    dz2d @ kernel2d^T, on both backends, inside training and outside."""
    from minicnn import backend

    x = rng.standard_normal((3, 5, 5, 2)).astype(x_dtype)
    kernel2d = rng.standard_normal((18, 4)).astype(other_dtype)
    dz2d = rng.standard_normal((75, 4)).astype(other_dtype)
    pad = ((1, 1), (1, 1))
    with backend.use_backend("numpy"):
        want_dkernel2d, want_dx = ops.im2col_matmul_backward(x, dz2d, kernel2d, (3, 3), (1, 1),
                                                             pad)
    assert want_dkernel2d.dtype == np.result_type(x_dtype, other_dtype)
    assert want_dx.dtype == other_dtype
    for training in (True, False):
        with backend.use_backend("numba"), \
                backend.training_threads() if training else contextlib.nullcontext():
            dkernel2d, dx = ops.im2col_matmul_backward(x, dz2d, kernel2d, (3, 3), (1, 1), pad)
        assert dkernel2d.dtype == want_dkernel2d.dtype and dx.dtype == want_dx.dtype
        np.testing.assert_allclose(dkernel2d, want_dkernel2d, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(dx, want_dx, rtol=1e-5, atol=1e-5)


def test_ops_send_conv2d_products_to_the_blocked_twins_only_on_the_numba_backend(rng,
                                                                                 monkeypatch):
    """ops.im2col_matmul / ops.im2col_matmul_backward: with the numpy backend exactly the
    reference calls; with numba the blocked twins (which the test above checks)."""
    from minicnn import backend

    calls = []
    for name in ("im2col_matmul", "im2col_matmul_backward"):
        original = getattr(kernels, name)
        monkeypatch.setattr(kernels, name, lambda *a, _n=name, _f=original: (calls.append(_n),
                                                                              _f(*a))[1])
    x = rng.standard_normal((2, 5, 5, 3))
    kernel2d = rng.standard_normal((27, 4))
    x_cols = functional.im2col(x, (3, 3), (1, 1))
    with backend.use_backend("numpy"):
        z2d = ops.im2col_matmul(x, kernel2d, (3, 3), (1, 1))
        dkernel2d, dx = ops.im2col_matmul_backward(x, z2d, kernel2d, (3, 3), (1, 1))
        z2d_biased = ops.im2col_matmul(x, kernel2d, (3, 3), (1, 1), bias=np.arange(4.0))
        y2d = ops.im2col_matmul(x, kernel2d, (3, 3), (1, 1), bias=np.arange(4.0), relu=True)
    assert calls == []
    np.testing.assert_array_equal(y2d, np.maximum(x_cols @ kernel2d + np.arange(4.0), 0))
    np.testing.assert_array_equal(z2d, x_cols @ kernel2d)
    np.testing.assert_array_equal(z2d_biased, x_cols @ kernel2d + np.arange(4.0))
    np.testing.assert_array_equal(dkernel2d, x_cols.T @ z2d)
    np.testing.assert_array_equal(dx, functional.col2im(z2d @ kernel2d.T, x.shape, (3, 3), (1, 1)))
    with backend.use_backend("numba"), backend.training_threads():
        ops.im2col_matmul(x, kernel2d, (3, 3), (1, 1))
        ops.im2col_matmul_backward(x, z2d, kernel2d, (3, 3), (1, 1))
    assert calls == ["im2col_matmul", "im2col_matmul_backward"]


@pytest.mark.parametrize("pad_hw", PADDINGS[1:])
def test_ops_conv2d_products_pad_the_same_way_on_both_backends(pad_hw, rng):
    """ops.im2col_matmul(..., pad_hw) multiplies im2col of the padded input;
    ops.im2col_matmul_backward(..., pad_hw) gives the gradient of the unpadded input -- on the
    numpy backend by pad_nhwc and unpad_nhwc around the reference calls, on numba inside the
    kernels."""
    from minicnn import backend

    x = rng.standard_normal((3, 6, 5, 2))
    kernel2d = rng.standard_normal((3 * 2 * 2, 4))
    results = {}
    for name in ("numpy", "numba"):
        with backend.use_backend(name), backend.training_threads():
            z2d = ops.im2col_matmul(x, kernel2d, (3, 2), (1, 2), pad_hw=pad_hw)
            dkernel2d, dx = ops.im2col_matmul_backward(x, z2d, kernel2d, (3, 2), (1, 2), pad_hw)
        results[name] = z2d, dkernel2d, dx
    x_padded = pad_nhwc(x, pad_hw)
    expected_cols = functional.im2col(x_padded, (3, 2), (1, 2))
    expected_z2d = expected_cols @ kernel2d
    expected_dx = ops.unpad_nhwc(functional.col2im(
        expected_z2d @ kernel2d.T, x_padded.shape, (3, 2), (1, 2)), pad_hw)
    for z2d, dkernel2d, dx in results.values():
        np.testing.assert_allclose(z2d, expected_z2d, rtol=1e-12)
        np.testing.assert_allclose(dkernel2d, expected_cols.T @ expected_z2d, rtol=1e-12)
        assert dx.shape == x.shape
        np.testing.assert_allclose(dx, expected_dx, rtol=1e-12, atol=1e-12)


def test_conv2d_products_refuse_shapes_that_do_not_fit():
    """Their loop kernels do not check bounds, so the wrappers do."""
    from minicnn import backend

    for training in (True, False):                  # outside training: the same check
        with backend.training_threads() if training else contextlib.nullcontext():
            with pytest.raises(ValueError, match=r"im2col_matmul_backward: dz2d \(17, 4\) .*"
                                                 r"expected \(18, F\) and \(27, F\)"):
                kernels.im2col_matmul_backward(np.zeros((2, 5, 5, 3)), np.zeros((17, 4)),
                                               np.zeros((27, 4)), (3, 3), (1, 1))
            with pytest.raises(ValueError, match=r"im2col_matmul: kernel2d \(26, 4\) do not "
                                                 r"fit x_shape \(2, 5, 5, 3\)"):
                kernels.im2col_matmul(np.zeros((2, 5, 5, 3)), np.zeros((26, 4)), (3, 3), (1, 1))
    with pytest.raises(ValueError, match=r"padding \(\(1, 1\), \(1, 1\)\): expected \(50, F\)"):
        kernels.im2col_matmul_backward(np.zeros((2, 5, 5, 3)), np.zeros((18, 4)),
                                       np.zeros((27, 4)), (3, 3), (1, 1), ((1, 1), (1, 1)))
    with pytest.raises(ValueError, match=r"dz2d \(18, 5\) and kernel2d \(27, 4\)"):
        kernels.im2col_matmul_backward(np.zeros((2, 5, 5, 3)), np.zeros((18, 5)),
                                       np.zeros((27, 4)), (3, 3), (1, 1))


# One-channel, stride-1 convolutions (N, H, W, kernel, F): kernel as large as the input, 1x1,
# rectangular, one filter, LeNet-5's first layer on a 2-image batch.
ONE_CHANNEL = [
    (2, 7, 8, (3, 3), 4),
    (3, 9, 6, (2, 3), 1),
    (1, 5, 5, (5, 5), 3),
    (2, 6, 9, (1, 1), 2),
    (2, 32, 32, (5, 5), 6),
]


@pytest.mark.parametrize("images_per_block", [1, None])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, h, w, k, f", ONE_CHANNEL)
def test_conv2d_one_channel_numba_matches_numpy_and_the_im2col_product(
        n, h, w, k, f, dtype, images_per_block, rng, monkeypatch):
    """z = im2col(x) @ kernel2d + bias, computed tap by tap, and dkernel = im2col(x)^T @ dz2d,
    computed in one product outside training and, inside, in blocks of one image or of as many
    as fit DKERNEL_BLOCK_BYTES (here: all)."""
    from minicnn import backend
    from minicnn.kernels import conv as kernels_conv

    if images_per_block is not None:
        rows = (h - k[0] + 1) * (w - k[1] + 1)
        monkeypatch.setattr(kernels_conv, "DKERNEL_BLOCK_BYTES",
                            images_per_block * rows * (k[0] * k[1] + f) * np.dtype(dtype).itemsize)
    x = rng.standard_normal((n, h, w, 1)).astype(dtype)
    kernel = rng.standard_normal(k + (1, f)).astype(dtype)
    bias = rng.standard_normal(f).astype(dtype)
    x_cols = functional.im2col(x, k, (1, 1))
    z_expected = (x_cols @ kernel.reshape(-1, f) + bias).reshape(n, h - k[0] + 1, w - k[1] + 1, f)
    dz = rng.standard_normal(z_expected.shape).astype(dtype)
    dkernel_expected = (x_cols.T @ dz.reshape(-1, f)).reshape(kernel.shape)
    tol = 1e-12 if dtype == np.float64 else 2e-5
    for impl, training in ((functional, False), (kernels, False), (kernels, True)):
        z = impl.conv2d_one_channel(x, kernel, bias)
        with backend.training_threads() if training else contextlib.nullcontext():
            dkernel = impl.conv2d_one_channel_dkernel(x, dz, k)
        assert z.dtype == dtype and dkernel.dtype == dtype
        np.testing.assert_allclose(z, z_expected, rtol=tol, atol=tol)
        np.testing.assert_allclose(dkernel, dkernel_expected, rtol=tol, atol=tol * np.sqrt(x.size))
        y = impl.conv2d_one_channel(x, kernel, bias, relu=True)    # Conv2D's fused ReLU
        np.testing.assert_allclose(y, np.maximum(z_expected, 0), rtol=tol, atol=tol)


def test_conv2d_one_channel_kernels_give_the_same_result_on_any_number_of_threads(
        rng, monkeypatch):
    """Each image is computed on its own, and the kernel gradient's blocks in training (here 2
    images: 4 blocks, the last of 1 image) do not depend on the thread count and are added in
    block order: 1 or 3 threads give identical bits."""
    import minicnn
    from minicnn import backend
    from minicnn.kernels import conv as kernels_conv

    monkeypatch.setattr(kernels_conv, "DKERNEL_BLOCK_BYTES", 2 * 8 * 8 * (5 * 3 + 6) * 4)
    x = rng.standard_normal((7, 12, 10, 1)).astype(np.float32)
    kernel = rng.standard_normal((5, 3, 1, 6)).astype(np.float32)
    bias = rng.standard_normal(6).astype(np.float32)
    dz = rng.standard_normal((7, 8, 8, 6)).astype(np.float32)
    results = []
    for threads in (1, 3):
        minicnn.set_threads(threads)
        try:
            with backend.training_threads():
                results.append((kernels.conv2d_one_channel(x, kernel, bias),
                                kernels.conv2d_one_channel_dkernel(x, dz, (5, 3))))
        finally:
            minicnn.set_threads(None)
    for one, three in zip(*results):
        np.testing.assert_array_equal(one, three)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, h, w, c, k, s", CONFIGS)
def test_max_pool_numba_matches_numpy(n, h, w, c, k, s, dtype, rng):
    x = rng.standard_normal((n, h, w, c)).astype(dtype)
    y_ref, arg_ref = functional.max_pool_forward(x, k, s)
    y_fast, arg_fast = kernels.max_pool_forward(x, k, s)
    np.testing.assert_array_equal(y_fast, y_ref)
    np.testing.assert_array_equal(arg_fast, arg_ref)
    dy = rng.standard_normal(y_ref.shape).astype(dtype)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(kernels.max_pool_backward(dy, arg_fast, x.shape, k, s),
                               functional.max_pool_backward(dy, arg_ref, x.shape, k, s),
                               rtol=tol, atol=tol)


def test_max_pool_ties_pick_first_in_row_major_order(backend):
    x = np.zeros((1, 2, 2, 1))
    x[0, 0, 1, 0] = x[0, 1, 0, 0] = 5.0            # tie between window positions 1 and 2
    y, pool_argmax = ops.max_pool_forward(x, (2, 2), (2, 2))
    assert y[0, 0, 0, 0] == 5.0 and pool_argmax[0, 0, 0, 0] == 1
    dx = ops.max_pool_backward(np.ones_like(y), pool_argmax, x.shape, (2, 2), (2, 2))
    assert dx[0, 0, 1, 0] == 1.0 and dx.sum() == 1.0


def test_max_pool_with_minus_inf_padding_never_picks_padding(backend, rng):
    x = -np.abs(rng.standard_normal((2, 5, 5, 2))) - 1.0      # all values negative
    padded = pad_nhwc(x, ((0, 1), (0, 1)), value=-np.inf)
    y, _ = ops.max_pool_forward(padded, (2, 2), (2, 2))
    assert np.all(np.isfinite(y)) and y.max() < 0


def test_ops_accept_non_contiguous_inputs(backend, rng):
    base = rng.standard_normal((2, 12, 14, 6))
    x = base[:, ::2, 1::2, ::2]                         # a strided view
    assert not x.flags.c_contiguous
    np.testing.assert_array_equal(ops.im2col(x, (3, 3), (1, 1)),
                                  functional.im2col(np.ascontiguousarray(x), (3, 3), (1, 1)))
    y, _ = ops.max_pool_forward(x.transpose(0, 2, 1, 3), (2, 2), (2, 2))
    y_ref, _ = functional.max_pool_forward(np.ascontiguousarray(x.transpose(0, 2, 1, 3)),
                                           (2, 2), (2, 2))
    np.testing.assert_array_equal(y, y_ref)
    x_one = base[:, ::2, 1::2, 1:2]                     # one channel, strided
    kernel = rng.standard_normal((3, 3, 1, 4))[::-1]    # a reversed view, as Conv2DTranspose's
    bias = rng.standard_normal(8)[::2]
    z = ops.conv2d_one_channel(x_one, kernel, bias)
    z_ref = functional.conv2d_one_channel(np.ascontiguousarray(x_one), np.ascontiguousarray(kernel),
                                          np.ascontiguousarray(bias))
    np.testing.assert_allclose(z, z_ref, rtol=1e-12, atol=1e-12)
    dz = rng.standard_normal((2,) + z.shape[1:] + (2,))[..., 0]      # (2, 4, 5, 4), strided
    np.testing.assert_allclose(ops.conv2d_one_channel_dkernel(x_one, dz, (3, 3)),
                               functional.conv2d_one_channel_dkernel(
                                   np.ascontiguousarray(x_one), np.ascontiguousarray(dz), (3, 3)),
                               rtol=1e-12, atol=1e-12)


def test_conv2d_one_channel_twins_agree_on_mixed_dtypes(rng):
    """float64 images with a float32 kernel (or dz): both twins compute and return float64."""
    x = rng.standard_normal((2, 6, 5, 1))
    kernel = rng.standard_normal((2, 2, 1, 3)).astype(np.float32)
    bias = np.zeros(3, dtype=np.float32)
    dz = rng.standard_normal((2, 5, 4, 3)).astype(np.float32)
    for impl in (functional, kernels):
        assert impl.conv2d_one_channel(x, kernel, bias).dtype == np.float64
        assert impl.conv2d_one_channel_dkernel(x, dz, (2, 2)).dtype == np.float64
    np.testing.assert_allclose(kernels.conv2d_one_channel(x, kernel, bias),
                               functional.conv2d_one_channel(x, kernel, bias), rtol=1e-12)
    np.testing.assert_allclose(kernels.conv2d_one_channel_dkernel(x, dz, (2, 2)),
                               functional.conv2d_one_channel_dkernel(x, dz, (2, 2)), rtol=1e-12)


@pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT") == "1", reason="already the no-JIT run")
def test_kernels_as_plain_python_with_jit_disabled():
    """NUMBA_DISABLE_JIT=1 turns the kernels into steppable Python; they must still agree, and
    not warn (Dropout's uint64 arithmetic wraps around on purpose)."""
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    tests = os.path.abspath(__file__)
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-W", "error::RuntimeWarning", tests, "-k",
                          "(numba_matches_numpy and float64 and (7 or 9)) or "
                          "(dropout_numba_matches and float64) or "
                          "(relu_backward_sum_rows and (shape2 or shape4 or cropped)) or "
                          "(its_backward_equal and float64 and pad_hw2)"],
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert " passed" in out.stdout


@pytest.mark.parametrize("pad_hw, value", [(((1, 1), (1, 1)), 0.0), (((0, 1), (2, 0)), 0.0),
                                            (((0, 1), (0, 1)), -np.inf)])
def test_pad_nhwc_is_np_pad_on_the_spatial_axes(pad_hw, value, rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    expected = np.pad(x, ((0, 0),) + pad_hw + ((0, 0),), constant_values=value)
    padded = pad_nhwc(x, pad_hw, value=value)
    assert padded.dtype == x.dtype
    np.testing.assert_array_equal(padded, expected)
    assert pad_nhwc(x, ((0, 0), (0, 0))) is x           # nothing to pad: no copy


# -- ops.matmul: a @ b, split across threads inside training ----------------------------------
@pytest.mark.parametrize("a_shape, b_shape, transposed_a", [
    ((3000, 40), (40, 30), False),       # tall: a convolution's x_cols @ kernel2d, split by rows
    ((40, 3000), (3000, 30), True),      # long inner dimension: x_cols^T @ dz2d, split by K
    ((1, 3000), (3000, 2000), False),    # a single row: split by columns of b
    ((64, 300), (300, 250), False),      # a Dense layer's product
    ((4, 5), (5, 3), False),             # too small to split: plain a @ b
])
@pytest.mark.parametrize("parts", [1, 2, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matmul_split_equals_the_plain_product(a_shape, b_shape, transposed_a, parts, dtype, rng,
                                               monkeypatch):
    import minicnn

    # These shapes are below the FLOPs at which training splits a product (cheaper whole on
    # minicnn's machine); a lower bar makes all but the 4x5x3 one take the split paths here.
    monkeypatch.setattr(ops, "MIN_SPLIT_FLOPS", 100_000)

    a = rng.standard_normal(a_shape[::-1] if transposed_a else a_shape).astype(dtype)
    a = a.T if transposed_a else a                     # x_cols.T is a transposed view
    b = rng.standard_normal(b_shape).astype(dtype)
    minicnn.set_threads(parts)
    try:
        with minicnn.backend.training_threads():
            product = ops.matmul(a, b)
    finally:
        minicnn.set_threads(None)
    tol = 1e-12 if dtype == np.float64 else 1e-4     # a sum of K terms in another order
    assert product.dtype == dtype and product.shape == (a_shape[0], b_shape[1])
    np.testing.assert_allclose(product, a.astype(np.float64) @ b, rtol=tol, atol=tol * 10)


def test_matmul_splits_a_long_inner_dimension_only_for_a_large_result(rng, monkeypatch):
    """A first layer's kernel gradient (9 x K x 32: memory-bound) runs in one piece; a deeper
    layer's (288 x K x 32) is split by K."""
    import minicnn

    splits = []
    real_for_blocks = ops.for_blocks
    monkeypatch.setattr(ops, "for_blocks", lambda length, block, parts=None: splits.append(
        length) or real_for_blocks(length, block, parts))
    dz2d = rng.standard_normal((20000, 32)).astype(np.float32)
    minicnn.set_threads(2)
    try:
        with minicnn.backend.training_threads():
            for taps in (9, 288):
                x_cols = rng.standard_normal((20000, taps)).astype(np.float32)
                np.testing.assert_allclose(ops.matmul(x_cols.T, dz2d), x_cols.T @ dz2d,
                                           rtol=1e-4, atol=1e-2)
    finally:
        minicnn.set_threads(None)
    assert splits == [20000]                          # only the 288-tap product, by K


def test_matmul_keeps_leading_axes_like_the_operator(rng):
    x = rng.standard_normal((2, 3, 7)).astype(np.float32)
    kernel = rng.standard_normal((7, 4)).astype(np.float32)
    np.testing.assert_allclose(ops.matmul(x, kernel), x @ kernel, rtol=1e-6)
    assert ops.matmul(x, kernel).shape == (2, 3, 4)


# -- the elementwise passes: bias and ReLU, split by batch blocks inside training ---------------
@pytest.mark.parametrize("shape", [(64, 26, 26, 32), (300, 7), (3, 4)])   # split / not split
@pytest.mark.parametrize("parts", [1, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bias_and_relu_passes_equal_the_plain_expressions(shape, parts, dtype, rng, backend):
    import minicnn

    z = rng.standard_normal(shape).astype(dtype)
    bias = rng.standard_normal(shape[-1]).astype(dtype)
    z[(0,) * (z.ndim - 1)] = -bias                     # z + bias = 0 there: relu'(0) = 0, as Keras
    dy_padded = rng.standard_normal((shape[0] + 2,) + shape[1:]).astype(dtype)
    dy = dy_padded[1:-1]                               # a view into a larger array...
    if len(shape) == 4:
        dy = dy_padded[1:-1, ::-1]                     # ...and not C-contiguous (rows reversed)
    minicnn.set_threads(parts)
    try:
        with minicnn.backend.training_threads():
            biased = ops.add_bias(z.copy(), bias)
            y = ops.relu(biased)
            overwritten = biased.copy()
            same = ops.relu(overwritten, out=overwritten)
            dz = ops.relu_backward(dy, y)
    finally:
        minicnn.set_threads(None)
    expected_z = z + bias
    assert (expected_z == 0).any()
    np.testing.assert_array_equal(biased, expected_z)
    np.testing.assert_array_equal(y, np.maximum(expected_z, 0))
    assert same is overwritten
    np.testing.assert_array_equal(overwritten, y)
    np.testing.assert_array_equal(dz, dy * (expected_z > 0))
    assert y.dtype == dz.dtype == dtype


def test_relu_passes_accept_a_scalar_array():
    assert ops.relu(np.array(-1.5)) == 0.0
    assert ops.relu_backward(np.array(2.0), np.array(0.5)) == 2.0


@pytest.mark.parametrize("shape, dtype", [((64, 14, 14, 64), np.float32), ((3, 5), np.float64),
                                          ((0, 4), np.float32), ((1,), np.float32)])
@pytest.mark.parametrize("parts", [1, 3])
def test_dropout_numba_matches_numpy_and_the_definition(shape, dtype, parts, rng):
    """mask = 1/(1 - rate) where draws >= rate, else 0; y = x * mask -- bit for bit, on any
    number of threads (each thread makes the draws of its own images)."""
    import minicnn

    x = rng.standard_normal(shape).astype(dtype)
    seed = np.uint64(2**64 - 5)                        # near the top: sums wrap modulo 2**64
    draws = functional.uniform_draws(seed, 0, x.size).reshape(shape)
    expected_mask = (draws >= 0.25).astype(dtype) / dtype(0.75)
    minicnn.set_threads(parts)
    try:
        results = [impl.dropout(x, seed, 0.25) for impl in (functional, kernels)]
    finally:
        minicnn.set_threads(None)
    for y, mask in results:
        assert y.dtype == mask.dtype == dtype
        np.testing.assert_array_equal(mask, expected_mask)
        np.testing.assert_array_equal(y, x * expected_mask)


def test_a_draw_equal_to_the_rate_is_kept():
    draw = functional.uniform_draws(7, 0, 1)[0]       # a multiple of 2**-24: exact as a rate
    x = np.ones(1, dtype=np.float32)
    for impl in (functional, kernels):
        assert impl.dropout(x, 7, draw)[1][0] == np.float32(1 / (1 - draw))
        assert impl.dropout(x, 7, np.nextafter(draw, 1.0))[1][0] == 0


def test_uniform_draws_are_splitmix64_and_any_stretch_can_be_made_alone():
    # SplitMix64 seeded with 0: first outputs 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4 (the
    # published test vector); a draw keeps the top 24 bits of each.
    np.testing.assert_array_equal(functional.uniform_draws(0, 0, 2) * 2**24,
                                  [0xE220A8, 0x6E789E])
    whole = functional.uniform_draws(12345, 0, 1000)
    np.testing.assert_array_equal(functional.uniform_draws(12345, 600, 400), whole[600:])


def test_uniform_draws_look_uniform_and_independent():
    """Bins of a million draws within 5 standard deviations of equal; neighbours (the values a
    Dropout mask puts side by side) and two consecutive seeds uncorrelated."""
    draws = functional.uniform_draws(2**40 + 3, 0, 1_000_000)
    counts = np.bincount((draws * 64).astype(int), minlength=64)
    assert draws.min() >= 0.0 and draws.max() < 1.0
    assert np.abs(counts - 1_000_000 / 64).max() < 5 * np.sqrt(1_000_000 / 64)
    assert abs(np.corrcoef(draws[:-1], draws[1:])[0, 1]) < 5e-3
    other = functional.uniform_draws(2**40 + 4, 0, 1_000_000)
    assert abs(np.corrcoef(draws, other)[0, 1]) < 5e-3


def test_relu_backward_blocks_nan_and_inf_where_the_relu_blocked(backend):
    """A select, as TensorFlow's ReluGrad: 0 where y <= 0 whatever dy is; dy where y > 0."""
    dy = np.array([np.nan, np.inf, -np.inf, 2.0, np.nan])
    y = np.array([0.0, -1.0, 0.0, 3.0, 1.0])
    dz = ops.relu_backward(dy, y)
    np.testing.assert_array_equal(dz, [0.0, 0.0, 0.0, 2.0, np.nan])


# -- the ReLU's backward with a bias gradient, in one pass ------------------------------------
@pytest.mark.parametrize("shape", [(128, 7, 7, 128), (64, 28, 28, 6), (2, 3, 3, 4), (0, 5, 5, 2),
                                   (6, 10)])
@pytest.mark.parametrize("parts", [1, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_backward_sum_rows_is_relu_backward_then_sum_rows(shape, parts, dtype, rng, backend,
                                                               monkeypatch):
    """One pass on the Numba path, the two calls on the numpy path: the same dz bit for bit,
    and the bias gradient of that dz -- on the Numba path its float64 sum rounded once, on the
    numpy path BLAS's ``ones @ dz`` (in the array's dtype): equal up to rounding."""
    import minicnn
    from minicnn.kernels import blocks

    monkeypatch.setattr(blocks, "MIN_SPLIT_VALUES", 0)
    dy = rng.standard_normal(shape).astype(dtype)
    y = np.maximum(rng.standard_normal(shape), 0).astype(dtype)
    dy[..., 0] = np.nan                                # blocked where y <= 0: must give 0, not NaN
    y[..., 0] = 0
    minicnn.set_threads(parts)
    try:
        with minicnn.backend.training_threads():
            dz, dbias = ops.relu_backward_sum_rows(dy, y)
            expected_dz = ops.relu_backward(dy, y)
            expected_dbias = ops.sum_rows(expected_dz.reshape(-1, shape[-1]))
    finally:
        minicnn.set_threads(None)
    assert dz.dtype == dbias.dtype == dtype and dbias.shape == (shape[-1],)
    np.testing.assert_array_equal(dz, np.where(y > 0, dy, 0))
    np.testing.assert_array_equal(dz, expected_dz)
    exact = dz.astype(np.float64).reshape(-1, shape[-1]).sum(axis=0)
    if backend == "numba" and dtype == np.float32:
        np.testing.assert_array_equal(dbias, exact.astype(np.float32))
    tol = 1e-12 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(dbias, expected_dbias, rtol=tol, atol=tol)
    np.testing.assert_allclose(dbias, exact, rtol=tol, atol=tol)
    assert not np.isnan(dbias).any()


@pytest.mark.parametrize("y_dtype", [np.float32, np.float64])
def test_relu_backward_sum_rows_takes_a_cropped_view_as_conv2d_gets_it(y_dtype, rng, backend):
    """The next layer's backward may hand Conv2D a cropped view (``ops.unpad_nhwc``), and y may
    be of another dtype than dy: dz keeps dy's dtype and equals the plain select."""
    dy_padded = rng.standard_normal((4, 9, 9, 5)).astype(np.float32)
    dy = dy_padded[:, 1:-1, 1:-1]                      # (4, 7, 7, 5), not C-contiguous
    y = np.maximum(rng.standard_normal(dy.shape), 0).astype(y_dtype)
    dz, dbias = ops.relu_backward_sum_rows(dy, y)
    expected = np.where(y > 0, dy, np.float32(0))
    assert dz.dtype == dbias.dtype == np.float32 and dz.flags.c_contiguous
    np.testing.assert_array_equal(dz, expected)
    np.testing.assert_allclose(dbias, expected.astype(np.float64).sum(axis=(0, 1, 2)),
                               rtol=1e-5, atol=1e-5)


def test_relu_backward_sum_rows_kernel_fills_dz_for_any_memory_order(rng):
    """Called directly, not through ops: a transposed dy must still give a filled dz."""
    dy = rng.standard_normal((3, 6, 4, 5)).transpose(0, 2, 1, 3)        # (3, 4, 6, 5), strided
    y = np.maximum(rng.standard_normal(dy.shape), 0)
    dz, dbias = kernels.relu_backward_sum_rows(dy, y)
    np.testing.assert_array_equal(dz, np.where(y > 0, dy, 0.0))
    np.testing.assert_allclose(dbias, dz.sum(axis=(0, 1, 2)), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n, h, w, c, k, s", CONFIGS)
def test_numba_kernels_give_the_same_result_on_any_number_of_threads(n, h, w, c, k, s, rng,
                                                                     monkeypatch):
    """The kernels run on blocks of images at once (minicnn.kernels.blocks): no block writes
    into another image's output, so 1 or 3 threads give identical results; only the depthwise
    kernel gradient, a sum of per-block partial sums, may differ in the last bits. (Pooling
    splits only large inputs; here every input is split.)"""
    import minicnn
    from minicnn.kernels import blocks

    monkeypatch.setattr(blocks, "MIN_SPLIT_VALUES", 0)

    x = rng.standard_normal((n, h, w, c))
    kernel = rng.standard_normal(k + (c, 2))
    results = {}
    for threads in (1, 3):
        minicnn.set_threads(threads)
        try:
            x_cols = kernels.im2col(x, k, s)
            y, pool_argmax = kernels.max_pool_forward(x, k, s)
            depthwise = kernels.depthwise_conv2d(x, kernel, s)
            results[threads] = [
                x_cols, kernels.col2im(x_cols, x.shape, k, s), y, pool_argmax,
                kernels.max_pool_backward(y, pool_argmax, x.shape, k, s),
                kernels.max_pool_backward(y, pool_argmax, x.shape, k, k) if k == s else y,
                depthwise, *kernels.depthwise_conv2d_backward(depthwise, x, kernel, s)]
        finally:
            minicnn.set_threads(None)
    *exact_1, dkernel_1 = results[1]
    *exact_3, dkernel_3 = results[3]
    for one, three in zip(exact_1, exact_3):
        np.testing.assert_array_equal(one, three)
    np.testing.assert_allclose(dkernel_1, dkernel_3, rtol=1e-12)


def _benchmark(name):
    """benchmarks/<name>.py as a module (the directory is not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{name}_benchmark", path)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    return benchmark


def test_kernel_benchmark_covers_every_conv_and_pool_layer_of_a_workload(capsys):
    """benchmarks/kernels.py on one workload, timing almost nothing (no time is asserted)."""
    _benchmark("kernels").main(["--workloads", "main004", "--seconds", "0.001"])
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    relu_and_bias = ["relu_backward", "relu_backward_sum_rows"]
    assert [(row[1], row[-4]) for row in rows] == [
        ("conv2d", "conv2d_one_channel"), ("conv2d", "conv2d_one_channel_dkernel")] + [
        ("conv2d", kernel) for kernel in relu_and_bias] + [
        ("max_pooling2d", "max_pool_forward"), ("max_pooling2d", "max_pool_backward"),
        ("conv2d_1", "im2col"), ("conv2d_1", "col2im")] + [
        ("conv2d_1", kernel) for kernel in relu_and_bias] + [
        ("max_pooling2d_1", "max_pool_forward"), ("max_pooling2d_1", "max_pool_backward")]


def test_kernel_benchmark_times_every_dropout_layer(capsys):
    """On swedish_b: its four Dropout layers' mask passes are in the table."""
    _benchmark("kernels").main(["--workloads", "swedish_b", "--seconds", "0.001"])
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    assert [row[1] for row in rows if row[-4] == "dropout"] == \
        ["dropout", "dropout_1", "dropout_2", "dropout_3"]


def test_matmul_benchmark_times_the_three_products_of_every_conv_layer(capsys):
    """benchmarks/matmul.py on one workload, timing almost nothing (no time is asserted)."""
    import minicnn

    _benchmark("matmul").main(["--workloads", "main004", "--seconds", "0.001"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("square 1024x1024 on one BLAS thread:")
    rows = [line.split() for line in lines[2:]]
    # the one-channel first layer has no products; shapes are M x K x N of each product
    assert [(row[1], row[2], row[3]) for row in rows] == [
        ("conv2d_1", "forward", "3872x288x32"), ("conv2d_1", "dkernel", "288x3872x32"),
        ("conv2d_1", "dx", "3872x32x288")]
    assert minicnn.backend.threads() == minicnn.backend._usable_cpus    # set_threads undone


def test_first_layer_benchmark_times_both_paths_of_the_first_layer(capsys):
    """benchmarks/first_layer.py on one workload, two steps per timing (no time is asserted)."""
    _benchmark("first_layer").main(["--workloads", "lenet5", "--steps", "2", "--repeats", "1"])
    lines = capsys.readouterr().out.splitlines()
    row = lines[2].split()
    assert row[0] == "lenet5" and " ".join(row[1:6]) == "5x5, 6 filters, batch 64"
    tap_by_tap, im2col, ratio = map(float, row[6:])
    assert ratio == pytest.approx(tap_by_tap / im2col, rel=1e-2)   # from values printed .2f


def test_winograd_bound_benchmark_pairs_each_3x3_products_with_its_winograd_stacks(capsys):
    """benchmarks/winograd_bound.py on one workload, timing almost nothing (no time is
    asserted): the layers it covers and the shapes of the products it compares."""
    import minicnn

    winograd_bound = _benchmark("winograd_bound")
    winograd_bound.main(["--workloads", "main004", "--seconds", "0.001", "--threads", "1"])
    lines = capsys.readouterr().out.splitlines()
    # main004's first layer has one channel (no products); its second is 13x13x32 -> 32
    layer_row, total_row = (line.split() for line in lines[2:])
    assert layer_row[:3] == ["main004", "conv2d_1", "13x13x32->32"]
    assert total_row[:2] == ["main004", "total"]
    direct_s, winograd_s, saved_s = float(total_row[2]), float(total_row[4]), float(total_row[6])
    assert saved_s == pytest.approx(direct_s - winograd_s, abs=0.11)    # printed with .1f
    assert minicnn.backend.threads() == minicnn.backend._usable_cpus    # set_threads undone

    (layer, batch, is_first), = winograd_bound.winograd_convolutions("main004")
    direct, winograd = winograd_bound.products(layer, batch, np.random.default_rng(0))
    rows = 32 * 11 * 11                       # batch 32, 'valid': 11x11 outputs per image
    tiles = 32 * 6 * 6                        # ceil(11 / 2) ** 2 output tiles per image
    assert (batch, is_first) == (32, False)
    assert {k: (a.shape, b.shape) for k, (a, b) in direct.items()} == {
        "forward": ((rows, 288), (288, 32)), "dkernel": ((288, rows), (rows, 32)),
        "dx": ((rows, 32), (32, 288))}
    assert {k: (a.shape, b.shape) for k, (a, b) in winograd.items()} == {
        "forward": ((16, tiles, 32), (16, 32, 32)), "dkernel": ((16, 32, tiles), (16, tiles, 32)),
        "dx": ((16, tiles, 32), (16, 32, 32))}


def test_conv_blocks_benchmark_times_each_im2col_layer_whole_and_in_blocks(capsys):
    """benchmarks/conv_blocks.py on one workload, one timing each (no time is asserted); it
    checks itself that the blocks give the whole computation's result."""
    import minicnn

    _benchmark("conv_blocks").main(["--workloads", "main004", "--images", "1", "3",
                                    "--repeats", "1", "--threads", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["layer", "x_cols", "MB", "whole", "default", "1", "img", "3", "img"]
    row = lines[2].split()       # main004's second convolution: 32 x 11 x 11 rows of 288 values
    assert row[:3] == ["main004", "conv2d_1", f"{32 * 121 * 288 * 4 / 1e6:.1f}"] and len(row) == 7
    assert minicnn.backend.threads() == minicnn.backend._usable_cpus    # set_threads undone


def test_recompute_bound_benchmark_compares_both_designs_per_workload(capsys):
    """benchmarks/recompute_bound.py with one timing round (no time is asserted); it checks
    itself that both designs give the same products."""
    import minicnn

    _benchmark("recompute_bound").main(["--workloads", "lenet5", "chollet", "--rounds", "1",
                                        "--threads", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["workload", "layers", "kept", "made", "again", "ratio", "s/epoch",
                                "saved"]
    assert [line.split()[:2] for line in lines[2:]] == [["lenet5", "1"], ["chollet", "2"]]
    assert minicnn.backend.threads() == minicnn.backend._usable_cpus    # set_threads undone


def test_freed_memory_benchmark_times_both_malloc_settings_in_fresh_processes(capsys):
    """benchmarks/freed_memory.py with one short epoch per setting (no time is asserted)."""
    _benchmark("freed_memory").main(["--workloads", "lenet5", "--rounds", "1",
                                     "--samples", "256"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["workload", "kept", "s", "glibc", "s", "ratio", "kept", "faults",
                                "glibc", "faults"]
    assert lines[2].split()[0] == "lenet5" and len(lines) == 3


def test_memory_bound_kernels_split_only_large_inputs(rng):
    """A hand-over to another thread costs more than a small memory-bound pass saves: pooling
    and Dropout run in one block under MIN_SPLIT_VALUES values, in one block per thread above."""
    import minicnn
    from minicnn import backend
    from minicnn.kernels import blocks

    blocks_run = []
    real_for_blocks = blocks.for_blocks

    def counting(length, block, parts=None):
        blocks_run.append(min(backend.threads() if parts is None else parts, length))
        return real_for_blocks(length, block, parts)

    small = rng.standard_normal((4, 8, 8, 16)).astype(np.float32)             # 4,096 values
    large = rng.standard_normal((8, 64, 64, 32)).astype(np.float32)           # 1,048,576
    assert small.size < backend.MIN_SPLIT_VALUES <= large.size
    minicnn.set_threads(2)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(blocks, "for_blocks", counting)
            for x in (small, large):
                kernels.max_pool_forward(x, (2, 2), (2, 2))
                kernels.dropout(x, np.uint64(99), 0.5)
    finally:
        minicnn.set_threads(None)
    assert blocks_run == [1, 1, 2, 2]


def test_handover_benchmark_prints_the_floor_and_the_relu_pass_both_ways(capsys):
    """benchmarks/handover.py with few calls (no time is asserted): a lock ping-pong, empty
    for_blocks calls, then a ReLU pass over each size on 1 and 2 threads."""
    import minicnn

    _benchmark("handover").main(["--calls", "20"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("lock ping-pong between two threads:")
    assert lines[1].startswith("for_blocks, empty blocks: 2 threads")
    assert lines[2].startswith("after an idle gap of 50 us:")
    sizes = [int(line.split()[0].replace(",", "")) for line in lines[4:]]
    assert sizes == [1 << 15, 1 << 17, 1 << 18, 1 << 19, 1 << 20, 1 << 21]
    assert minicnn.backend.threads() == minicnn.backend._usable_cpus    # set_threads undone


def test_handover_benchmark_times_training_under_both_split_policies(capsys):
    """benchmarks/handover.py --training on a small slice, one round: one line per workload
    with each policy's median relative to the old one; the current thresholds are restored."""
    from minicnn import ops
    from minicnn.kernels import blocks

    before = (ops.MIN_SPLIT_FLOPS, ops.MIN_SPLIT_VALUES, blocks.MIN_SPLIT_VALUES)
    _benchmark("handover").main(["--training", "--workloads", "lenet5", "--rounds", "1",
                                 "--samples", "128"])
    line, = capsys.readouterr().out.splitlines()
    assert line.startswith("lenet5") and "old (before 2026-12-02): 1.000" in line
    assert "current:" in line
    assert (ops.MIN_SPLIT_FLOPS, ops.MIN_SPLIT_VALUES, blocks.MIN_SPLIT_VALUES) == before


def test_handover_benchmark_times_training_sleeping_and_spinning(capsys):
    """benchmarks/handover.py --spin on a small slice, one round: the pool's spin budget is
    restored afterwards."""
    from minicnn import pool

    before = pool.SPIN_TURNS
    _benchmark("handover").main(["--spin", "--workloads", "lenet5", "--rounds", "1",
                                 "--samples", "128"])
    line, = capsys.readouterr().out.splitlines()
    assert line.startswith("lenet5") and "sleep only: 1.000" in line and "current:" in line
    assert pool.SPIN_TURNS == before > 0


@pytest.mark.parametrize("training", [False, True])
def test_fused_relu_of_the_im2col_convolution_keeps_nan(backend, training):
    from minicnn.backend import training_threads

    x = np.ones((2, 3, 3, 2), dtype=np.float32)
    x[0, 0, 0, 1] = np.nan
    kernel2d = np.ones((8, 2), dtype=np.float32)
    kernel2d[:, 1] = -1                                   # filter 1 all negative: ReLU gives 0
    with training_threads() if training else contextlib.nullcontext():
        y2d = ops.im2col_matmul(x, kernel2d, (2, 2), (1, 1), relu=True)
    assert np.isnan(y2d[0]).all()                         # the window that sees the NaN
    np.testing.assert_array_equal(y2d[4:], [[8.0, 0.0]] * 4)   # the second image's windows


def test_fused_relu_of_the_one_channel_convolution_keeps_nan(backend):
    """max(z, 0) inside the kernel, as np.maximum: a NaN input stays NaN (it is not turned into
    0 and hidden from the model's non-finite checks)."""
    x = np.ones((1, 3, 3, 1), dtype=np.float32)
    x[0, 0, 0, 0] = np.nan
    kernel = np.ones((2, 2, 1, 2), dtype=np.float32)
    kernel[..., 1] = -1                                   # filter 1 all negative: ReLU gives 0
    y = ops.conv2d_one_channel(x, kernel, np.zeros(2, np.float32), relu=True)
    assert np.isnan(y[0, 0, 0]).all()                     # the window that sees the NaN
    np.testing.assert_array_equal(y[0, 1, 1], [4.0, 0.0])
