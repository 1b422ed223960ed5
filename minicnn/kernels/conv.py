"""Numba im2col / col2im, Conv2D's products with their im2col / col2im in blocks of images, and
the one-channel convolution. Reference twin: ``minicnn.functional.conv`` (read that first).

    x_cols[(n, oh, ow), (i, j, c)] = x[n, oh*SH + i, ow*SW + j, c]
"""
import functools

import numpy as np
from numba import njit

from minicnn.backend import in_training
from minicnn.kernels.blocks import by_images


@njit(nogil=True, cache=True)
def _taps_inside(o_w, sw, left, kw, w):
    """(first_col, j_lo, j_hi) for output column o_w: the input column of the window's tap
    j = 0 (negative on the left padding), and the taps j_lo <= j < j_hi that fall inside the
    image's W columns; the others fall on the padding."""
    first_col = o_w * sw - left
    j_lo = min(kw, max(0, -first_col))
    j_hi = max(j_lo, min(kw, w - first_col))
    return first_col, j_lo, j_hi


@njit(nogil=True, cache=True)
def _im2col_kernel(x_rows, h, w, c, top, left, oh, ow, kh, kw, sh, sw, x_cols):
    """Fill x_cols (N*OH*OW, KH*KW*C) from x_rows, the input viewed as (N, H, W*C), padded by
    ``top`` rows and ``left`` columns of zeros (and as many at the bottom and right as OH, OW
    need) without a padded copy of the input.

    In NHWC one kernel row i of a window -- KW pixels x C channels -- is a contiguous span of
    KW*C values in the input row, and lands in a contiguous span of x_cols; so the inner loop
    copies spans instead of single values, and writes zeros where the span falls on the padding.
    Both arrays are read through flat views at unsigned offsets (``np.uint64``): Numba wraps
    negative indices, as Python does, and an index that cannot be negative needs no check, so
    the copy vectorises. (Taking each span as a 1-D slice does that too, but a slice costs more
    than copying the 96 values of a typical span: the flat offsets made this kernel about 2x
    faster on swedish_b's layers, docs/results/speed-history.md.)
    Each image writes only its own block of x_cols rows, so blocks of images can be filled at
    the same time (``by_images``).
    """
    x_flat, cols_flat = x_rows.reshape(-1), x_cols.reshape(-1)
    image_values, row_values = np.uint64(h * w * c), np.uint64(w * c)   # pitches in x_flat
    span = np.uint64(kw * c)                       # one kernel row of a window
    window = np.uint64(kh) * span                  # one row of x_cols
    for r in range(x_rows.shape[0] * oh):
        n, o_h = r // oh, r % oh
        for o_w in range(ow):
            row = np.uint64((n * oh + o_h) * ow + o_w)
            first_col, j_lo, j_hi = _taps_inside(o_w, sw, left, kw, w)
            for i in range(kh):
                dst = row * window + np.uint64(i) * span      # this span's start in cols_flat
                in_row = o_h * sh + i - top
                if 0 <= in_row < h:                           # taps j_lo <= j < j_hi inside
                    lo, hi = np.uint64(j_lo * c), np.uint64(j_hi * c)
                else:                                         # a row of the padding
                    lo, hi = span, span
                for t in range(lo):
                    cols_flat[dst + t] = 0
                if hi > lo:
                    src = (np.uint64(n) * image_values + np.uint64(in_row) * row_values
                           + np.uint64((first_col + j_lo) * c))
                    for t in range(hi - lo):
                        cols_flat[dst + lo + t] = x_flat[src + t]
                for t in range(hi, span):
                    cols_flat[dst + t] = 0


@njit(nogil=True, cache=True)
def _col2im_kernel(x_cols, h, w, c, top, left, oh, ow, kh, kw, sh, sw, dx_rows):
    """Accumulate x_cols (N*OH*OW, KH*KW*C) into dx_rows, dx viewed as (N, H, W*C), which must
    start at zero; the parts of each window on the padding (``top`` rows, ``left`` columns, as
    in ``_im2col_kernel``) are dropped. Spans of values at unsigned flat offsets, as there.

    Overlapping windows of one image add into the same pixels, so an image is never split
    between threads; different images never share a pixel (``by_images`` splits by images).
    """
    cols_flat, dx_flat = x_cols.reshape(-1), dx_rows.reshape(-1)
    image_values, row_values = np.uint64(h * w * c), np.uint64(w * c)   # pitches in dx_flat
    span = np.uint64(kw * c)
    window = np.uint64(kh) * span
    for n in range(dx_rows.shape[0]):
        for o_h in range(oh):
            for o_w in range(ow):
                row = np.uint64((n * oh + o_h) * ow + o_w)
                first_col, j_lo, j_hi = _taps_inside(o_w, sw, left, kw, w)
                if j_hi == j_lo:                             # the whole window on the padding
                    continue
                for i in range(kh):
                    in_row = o_h * sh + i - top
                    if in_row < 0 or in_row >= h:            # a row of the padding
                        continue
                    src = row * window + np.uint64(i) * span + np.uint64(j_lo * c)
                    dst = (np.uint64(n) * image_values + np.uint64(in_row) * row_values
                           + np.uint64((first_col + j_lo) * c))
                    for t in range(np.uint64((j_hi - j_lo) * c)):
                        dx_flat[dst + t] += cols_flat[src + t]


NO_PADDING = ((0, 0), (0, 0))


def _window_grid(x_shape, kernel_hw, strides_hw, pad_hw):
    """(top, left, OH, OW): the padding before the image's first row and column, and how many
    windows fit down and across the padded image."""
    _, h, w, _ = x_shape
    (top, bottom), (left, right) = pad_hw
    oh = (top + h + bottom - kernel_hw[0]) // strides_hw[0] + 1
    ow = (left + w + right - kernel_hw[1]) // strides_hw[1] + 1
    return top, left, oh, ow


def _im2col(x, kernel_hw, strides_hw, pad_hw):
    """x_cols of ``x`` padded by ``pad_hw`` (no padded copy made), on blocks of images."""
    x = np.ascontiguousarray(x)                         # the kernel reads flat views
    n, h, w, c = x.shape
    (kh, kw), (sh, sw) = kernel_hw, strides_hw
    top, left, oh, ow = _window_grid(x.shape, kernel_hw, strides_hw, pad_hw)
    x_cols = np.empty((n * oh * ow, kh * kw * c), dtype=x.dtype)
    x_rows = x.reshape(n, h, w * c)
    rows = oh * ow                                      # x_cols rows per image
    by_images(n, lambda start, stop: _im2col_kernel(
        x_rows[start:stop], h, w, c, top, left, oh, ow, kh, kw, sh, sw,
        x_cols[start * rows:stop * rows]))
    return x_cols


def _col2im(x_cols, x_shape, kernel_hw, strides_hw, pad_hw):
    """dx (``x_shape``, the unpadded input) from x_cols of the input padded by ``pad_hw``."""
    x_cols = np.ascontiguousarray(x_cols)               # the kernel reads flat views
    n, h, w, c = x_shape
    (kh, kw), (sh, sw) = kernel_hw, strides_hw
    top, left, oh, ow = _window_grid(x_shape, kernel_hw, strides_hw, pad_hw)
    dx = np.zeros(x_shape, dtype=x_cols.dtype)
    dx_rows = dx.reshape(n, h, w * c)
    rows = oh * ow                                      # x_cols rows per image
    by_images(n, lambda start, stop: _col2im_kernel(
        x_cols[start * rows:stop * rows], h, w, c, top, left, oh, ow, kh, kw, sh, sw,
        dx_rows[start:stop]))
    return dx


def im2col(x, kernel_hw, strides_hw):
    """Numba twin of ``minicnn.functional.conv.im2col`` (same arguments and result)."""
    return _im2col(x, kernel_hw, strides_hw, NO_PADDING)


def col2im(x_cols, x_shape, kernel_hw, strides_hw):
    """Numba twin of ``minicnn.functional.conv.col2im`` (same arguments and result)."""
    return _col2im(x_cols, tuple(x_shape), kernel_hw, strides_hw, NO_PADDING)


# -- Conv2D's products, in blocks of images that stay in cache ----------------------------------
# Inside training, Conv2D's forward product needs x_cols right after its im2col, and its
# backward products need it again (the kernel gradient) and make another matrix of its shape
# (dx_cols, for col2im). Made for the whole batch, x_cols would go to memory and come back:
# swedish_b's first 3x3 layer after the input has 29 MB of it per step, more than the caches
# hold. So each thread makes the columns of a few images at a time, in a buffer of ~1 MB,
# and uses them while they are in cache: the forward pass multiplies them by kernel2d (bias and
# ReLU applied to the block); the backward pass makes them again from x -- the input is 9x
# smaller than its columns for a 3x3 kernel -- multiplies their transpose by the block's rows of
# dz2d (the block's share of the kernel gradient), then overwrites them with dz_block @
# kernel2d^T and adds those into dx (col2im). The same arithmetic plus one more im2col, and no
# x_cols kept between the passes: 5-8% less time for the products of swedish_b, chollet and
# main004's im2col layers (benchmarks/recompute_bound.py, docs/results/speed-history.md).
# A "same" padding is done inside the kernels (zeros written into x_cols, the padding's
# gradient never added into dx), without a padded copy of the input or of dx. Outside training
# BLAS runs its own threads, and one whole im2col + product is the better shape.
BLOCK_BYTES = 1 << 20          # columns per block: about 1 MB (a choice; 2-8 images measured alike)


def _images_per_block(rows_per_image, row_values, itemsize):
    return max(1, BLOCK_BYTES // max(1, rows_per_image * row_values * itemsize))


def _check_fits(name, dz2d, kernel2d, x_shape, kernel_hw, strides_hw, pad_hw):
    """The loop kernels do not check bounds: refuse shapes that do not fit x_shape."""
    n, _, _, c = x_shape
    kh, kw = kernel_hw
    _, _, oh, ow = _window_grid(x_shape, kernel_hw, strides_hw, pad_hw)
    if ((dz2d is not None and dz2d.shape[0] != n * oh * ow) or kernel2d.shape[0] != kh * kw * c
            or (dz2d is not None and dz2d.shape[1] != kernel2d.shape[1])):
        got = f"dz2d {dz2d.shape} and " if dz2d is not None else ""
        raise ValueError(f"{name}: {got}kernel2d {kernel2d.shape} do not fit x_shape {x_shape} "
                         f"with kernel {kernel_hw}, strides {strides_hw}, padding {pad_hw}: "
                         f"expected ({n * oh * ow}, F) and ({kh * kw * c}, F)")


def im2col_matmul(x, kernel2d, kernel_hw, strides_hw, bias=None, relu=False, pad_hw=NO_PADDING):
    """``z2d = im2col(pad(x)) @ kernel2d (+ bias)``, ``max(z2d, 0)`` if ``relu``: the Numba
    path's twin of ``minicnn.ops.pad_nhwc``, ``minicnn.ops.im2col`` and ``minicnn.ops.matmul``
    (the reference), computed in blocks of images inside training, each block's columns made
    in a reused buffer and its bias and ReLU applied while the block is in cache."""
    _check_fits("im2col_matmul", None, kernel2d, x.shape, kernel_hw, strides_hw, pad_hw)

    def finish(z):                                            # bias, ReLU: in place
        if bias is not None:
            z += bias
        if relu:
            np.maximum(z, 0, out=z)                           # a NaN stays NaN
    if not in_training():
        z2d = _im2col(x, kernel_hw, strides_hw, pad_hw) @ kernel2d
        finish(z2d)
        return z2d
    n, h, w, c = x.shape
    (kh, kw), (sh, sw) = kernel_hw, strides_hw
    top, left, oh, ow = _window_grid(x.shape, kernel_hw, strides_hw, pad_hw)
    rows = oh * ow                                            # x_cols rows per image
    z2d = np.empty((n * rows, kernel2d.shape[1]), dtype=np.result_type(x, kernel2d))
    x_rows = x.reshape(n, h, w * c)
    per_block = _images_per_block(rows, kh * kw * c, x.itemsize)

    def images(start, stop):                                  # one thread's images
        cols = np.empty((min(per_block, stop - start) * rows, kh * kw * c), dtype=x.dtype)
        for first in range(start, stop, per_block):
            last = min(first + per_block, stop)
            block = slice(first * rows, last * rows)
            block_cols = cols[:(last - first) * rows]
            _im2col_kernel(x_rows[first:last], h, w, c, top, left, oh, ow, kh, kw, sh, sw,
                           block_cols)
            np.matmul(block_cols, kernel2d, out=z2d[block])   # while the block is in cache
            finish(z2d[block])
    by_images(n, images)
    return z2d


# A kernel gradient computed block by block is the sum of the blocks' shares. They are added
# in this many slots, each the sum of a fixed group of consecutive blocks in block order: the
# groups depend on the batch only, never on the thread count, so neither does the result; and
# the slots take little memory however many blocks a large batch has. (At least as many slots
# as threads, or some thread would have none.)
GRADIENT_SLOTS = 8


def _sum_of_block_shares(n_blocks, shape, dtype, block_share):
    """``sum over b of block_share(b, out)``, where ``block_share`` writes block b's share
    (``shape``) into ``out``; the groups of blocks (``GRADIENT_SLOTS``) run on minicnn's
    threads."""
    group = max(1, -(-n_blocks // GRADIENT_SLOTS))            # blocks per slot
    slots = np.empty((-(-n_blocks // group),) + shape, dtype=dtype)

    def run(start, stop):                                     # one thread's slots
        share = np.empty(shape, dtype=dtype)
        for slot in range(start, stop):
            for b in range(slot * group, min(n_blocks, (slot + 1) * group)):
                if b == slot * group:                         # the group's first block
                    block_share(b, slots[slot])
                else:
                    block_share(b, share)
                    slots[slot] += share
    by_images(len(slots), run)                                # threads take ranges of slots
    return slots.sum(axis=0)


def im2col_matmul_backward(x, dz2d, kernel2d, kernel_hw, strides_hw, pad_hw=NO_PADDING,
                           input_gradient=True):
    """``(dkernel2d, dx)`` of ``z2d = im2col_matmul(x, kernel2d, ...)``: ``dkernel2d = x_cols^T
    @ dz2d`` and ``dx = crop(col2im(dz2d @ kernel2d^T))`` (N, H, W, C), None unless
    ``input_gradient``, with ``x_cols = im2col(pad(x))``: the Numba path's twin of those calls
    of ``minicnn.ops`` (the reference). Inside training the columns are made again, a few images
    at a time, and used for both products while in cache (the comment above); the blocks'
    shares of dkernel2d are added in ``GRADIENT_SLOTS`` fixed groups, so the result does not
    depend on the thread count."""
    _check_fits("im2col_matmul_backward", dz2d, kernel2d, x.shape, kernel_hw, strides_hw, pad_hw)
    if not in_training():
        x_cols = _im2col(x, kernel_hw, strides_hw, pad_hw)
        dx = (_col2im(dz2d @ kernel2d.T, x.shape, kernel_hw, strides_hw, pad_hw)
              if input_gradient else None)
        return x_cols.T @ dz2d, dx
    n, h, w, c = x.shape
    (kh, kw), (sh, sw) = kernel_hw, strides_hw
    top, left, oh, ow = _window_grid(x.shape, kernel_hw, strides_hw, pad_hw)
    rows, taps, f = oh * ow, kh * kw * c, kernel2d.shape[1]   # x_cols rows per image, columns
    cols_dtype = np.result_type(x, dz2d)                      # x_cols, and dkernel2d
    dx_dtype = np.result_type(dz2d, kernel2d)                 # dx_cols, and dx
    per_block = _images_per_block(rows, taps, max(cols_dtype.itemsize, dx_dtype.itemsize))
    dx = np.zeros(x.shape, dtype=dx_dtype) if input_gradient else None
    x_rows = x.reshape(n, h, w * c)
    dx_rows = dx.reshape(n, h, w * c) if input_gradient else None
    kernel2d_t = kernel2d.T                                   # (F, KH*KW*C): BLAS reads it as is

    def block_share(b, dkernel2d_share):                      # images of block b
        first, last = b * per_block, min(n, (b + 1) * per_block)
        block_cols = np.empty(((last - first) * rows, taps), dtype=cols_dtype)
        dz_block = dz2d[first * rows:last * rows]
        _im2col_kernel(x_rows[first:last], h, w, c, top, left, oh, ow, kh, kw, sh, sw,
                       block_cols)
        # np.dot, not np.matmul: matmul keeps the GIL for a result of under ~500 values, and
        # the threads would take turns (docs/results/speed-history.md)
        np.dot(block_cols.T, dz_block, out=dkernel2d_share)
        if input_gradient:                  # dx_cols over the columns, once they are used
            block_dx_cols = block_cols if dx_dtype == cols_dtype else None
            block_dx_cols = np.matmul(dz_block, kernel2d_t, out=block_dx_cols)
            _col2im_kernel(block_dx_cols, h, w, c, top, left, oh, ow, kh, kw, sh, sw,
                           dx_rows[first:last])
    dkernel2d = _sum_of_block_shares(-(-n // per_block), (taps, f), cols_dtype, block_share)
    return dkernel2d, dx


# -- one input channel, stride 1 ----------------------------------------------------------------
# The forward kernel sees an image as one flat row of H*W pixels (row pitch W). Output position
# (oh, ow) is given the flat index t = oh*W + ow; tap (i, j) then reads input pixel
# t + i*W + j, for every t -- so the loop over t runs along a contiguous run of
# RUN = (OH-1)*W + OW values, long enough to vectorise (LeNet-5: 892 values, against OW = 28 for
# a row at a time), and sums all taps of a position t at once. The W - OW positions at the end
# of each output row (t % W >= OW) fall on windows that wrap into the next row: they are
# computed and thrown away (4 of every 32 values for LeNet-5). The kernel gradient is
# im2col(x)^T @ dz2d after all, in blocks of images that stay in cache (below): there a
# product by BLAS was 1.5-3.3x faster than dot products over the runs (benchmarks/kernels.py,
# docs/results/speed-history.md).

@functools.lru_cache(maxsize=None)
def _conv2d_one_channel_kernel(kh, kw):
    """The forward kernel for a KH x KW kernel, compiled with KH and KW as constants (Numba
    freezes a closure's variables): the compiler then unrolls the taps, and each output value is
    summed in a register and stored once -- not loaded, updated and stored again at every tap.
    Its indices are unsigned, so that no index can be negative: Numba then adds no wrap-around
    check, which would stop the loop over t from vectorising (the im2col and col2im kernels
    index flat views at unsigned offsets for the same reason). 1.3-1.5x faster than one
    pass over the run per tap on the workloads' first layers (benchmarks/kernels.py,
    docs/results/speed-history.md)."""

    @njit(nogil=True, cache=True)
    def conv2d_one_channel_kernel(x_flat, width, kernel, bias, relu, z):
        """z (N, OH, OW, F) from x_flat (N, H*W) -- ``width`` = W, the row pitch -- and kernel
        (KH, KW, F), bias (F,) included; max(z, 0) if ``relu``."""
        n_images, oh, ow, f = z.shape
        run = (oh - 1) * width + ow
        pitch = np.uint64(width)
        z_runs = np.empty((f, run), dtype=z.dtype)     # each filter's outputs, flat (pitch W)
        weights = np.empty(kh * kw, dtype=z.dtype)      # one filter's taps, row-major
        zero = np.zeros(1, dtype=z.dtype)[0]            # a 0 of z's dtype
        for n in range(n_images):
            x_img = x_flat[n]
            for ff in range(f):
                for i in range(kh):
                    for j in range(kw):
                        weights[i * kw + j] = kernel[i, j, ff]
                z_run = z_runs[ff]
                for t in range(np.uint64(run)):
                    total = bias[ff]
                    for i in range(np.uint64(kh)):       # tap (i, j) reads pixel t + i*W + j
                        for j in range(np.uint64(kw)):
                            total += weights[i * np.uint64(kw) + j] * x_img[t + i * pitch + j]
                    if relu and total < zero:       # a NaN stays NaN, as with np.maximum
                        total = zero
                    z_run[t] = total
            # Keep t % W < OW, in NHWC order: each filter's run is read in order and written
            # every F values. (Pixel by pixel, reading F runs at once, this copy took more time
            # than the sums above; this order is faster on three of the four workloads' first
            # layers, a little slower on swedish_b's: docs/results/speed-history.md.)
            for o_h in range(oh):
                for ff in range(f):
                    z_run = z_runs[ff, o_h * width:o_h * width + ow]
                    for o_w in range(ow):
                        z[n, o_h, o_w, ff] = z_run[o_w]

    return conv2d_one_channel_kernel


@njit(nogil=True, cache=True)
def _one_channel_cols_t_kernel(x_images, kh, kw, oh, ow, cols_t):
    """cols_t (KH*KW, N*OH*OW) = im2col(x)^T for one input channel, stride 1: row i*KW + j is
    tap (i, j) of every window, ``cols_t[i*KW + j, (n, o_h, o_w)] = x_images[n, o_h + i, o_w + j]``
    (x_images (N, H, W)). Transposed, a window row's OW values are one contiguous copy of an
    input row; not transposed, each copy would be KW values long (2-3x slower in the kernel
    gradient below, scratch timing in docs/results/speed-history.md). Unsigned flat offsets, as
    in ``_im2col_kernel``."""
    n_images, h, w = x_images.shape
    x_flat, cols_flat = x_images.reshape(-1), cols_t.reshape(-1)
    m = np.uint64(n_images * oh * ow)                      # one row of cols_t
    for i in range(kh):
        for j in range(kw):
            tap_row = np.uint64(i * kw + j) * m
            for r in range(n_images * oh):                 # r = (n, o_h)
                n, o_h = r // oh, r % oh
                src = np.uint64((n * h + o_h + i) * w + j)
                dst = tap_row + np.uint64(r * ow)
                for t in range(np.uint64(ow)):
                    cols_flat[dst + t] = x_flat[src + t]


def conv2d_one_channel(x, kernel, bias, relu=False):
    """Numba twin of ``minicnn.functional.conv.conv2d_one_channel`` (same arguments and result)."""
    dtype = np.result_type(x, kernel, bias)             # as NumPy's x * kernel + bias
    x, kernel, bias = (a.astype(dtype, copy=False) for a in (x, kernel, bias))
    n, h, width, _ = x.shape
    kh, kw, _, f = kernel.shape
    z = np.empty((n, h - kh + 1, width - kw + 1, f), dtype=dtype)
    x_flat = x.reshape(n, h * width)
    kernel3d = kernel.reshape(kh, kw, f)
    conv_kernel = _conv2d_one_channel_kernel(kh, kw)
    by_images(n, lambda start, stop: conv_kernel(
        x_flat[start:stop], width, kernel3d, bias, relu, z[start:stop]))
    return z


# The kernel gradient im2col(x)^T @ dz2d, in blocks of images whose two operands fit in the
# per-core cache together: a block's transposed columns are made by the kernel above and
# multiplied by BLAS while still in cache. About 512 KB: for a first layer of 32 filters on
# 28x28 images that is 4 images; 8 images (1 MB) were about 2x slower, 1 image 1.3-1.5x slower
# (scratch timing, docs/results/speed-history.md).
DKERNEL_BLOCK_BYTES = 1 << 19


def conv2d_one_channel_dkernel(x, dz, kernel_hw):
    """Numba twin of ``minicnn.functional.conv.conv2d_one_channel_dkernel``: the product
    im2col(x)^T @ dz2d, computed in blocks of images (``DKERNEL_BLOCK_BYTES``) inside training.
    The blocks' shares are added as in ``im2col_matmul_backward`` (``_sum_of_block_shares``), so
    the result does not depend on the thread count."""
    dtype = np.result_type(x, dz)
    x = np.ascontiguousarray(x, dtype=dtype)             # the kernel reads flat views
    dz = np.ascontiguousarray(dz, dtype=dtype)
    n, h, width, _ = x.shape
    kh, kw = kernel_hw
    _, oh, ow, f = dz.shape
    if dz.shape[0] != n or (oh, ow) != (h - kh + 1, width - kw + 1):
        # the loop kernel does not check bounds: refuse a dz that does not fit x
        raise ValueError(f"conv2d_one_channel_dkernel: dz {dz.shape} does not fit x {x.shape} "
                         f"with a {kh}x{kw} kernel: expected ({n}, {h - kh + 1}, "
                         f"{width - kw + 1}, F)")
    rows = oh * ow                                      # dz2d rows per image
    x_images, dz2d = x.reshape(n, h, width), dz.reshape(n * rows, f)
    if not in_training():                               # BLAS's own threads, one product
        cols_t = np.empty((kh * kw, n * rows), dtype=dtype)
        _one_channel_cols_t_kernel(x_images, kh, kw, oh, ow, cols_t)
        return (cols_t @ dz2d).reshape(kh, kw, 1, f)
    per_block = max(1, DKERNEL_BLOCK_BYTES // (rows * (kh * kw + f) * dz.itemsize))

    def block_share(b, dkernel_share):                  # images of block b
        first, last = b * per_block, min(n, (b + 1) * per_block)
        cols_t = np.empty((kh * kw, (last - first) * rows), dtype=dtype)
        _one_channel_cols_t_kernel(x_images[first:last], kh, kw, oh, ow, cols_t)
        # np.dot, not np.matmul: matmul keeps the GIL for a result this small (KH*KW x F), and
        # the threads would take turns (scratch timing, docs/results/speed-history.md)
        np.dot(cols_t, dz2d[first * rows:last * rows], out=dkernel_share)
    dkernel = _sum_of_block_shares(-(-n // per_block), (kh * kw, f), dtype, block_share)
    return dkernel.reshape(kh, kw, 1, f)
