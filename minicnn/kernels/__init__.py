"""Numba twins of ``minicnn.functional``: same signatures, same results, compiled.

Each public function here allocates its output and calls an ``@njit`` loop kernel that fills
it, once per block of images, the blocks at the same time on minicnn's threads
(``minicnn.kernels.blocks``) -- except ``relu_backward``, which fills the ``out`` it is given
(``minicnn.ops`` splits that pass into blocks). The loop kernels are plain nopython loops,
so ``NUMBA_DISABLE_JIT=1`` turns them into ordinary (slow) Python that a debugger can step
through. Inputs must be C-contiguous float32
or float64 arrays; ``minicnn.ops`` guarantees that at the boundary.

Three have no single twin in ``minicnn.functional``: ``im2col_matmul`` does an im2col and a
product, ``im2col_matmul_backward`` an im2col, the kernel gradient's product, the input
gradient's product and a col2im, both in blocks of images that stay in cache, with any padding
inside the loop kernels; ``relu_backward_sum_rows`` does a ReLU's backward and a bias gradient in
one pass. Their reference is the operations one after the other -- pad, im2col, product; pad,
im2col, two products, col2im, crop; ReLU backward, sum (``minicnn.ops``).
"""
from minicnn.kernels.conv import col2im, conv2d_one_channel, conv2d_one_channel_dkernel, im2col, \
    im2col_matmul, im2col_matmul_backward
from minicnn.kernels.depthwise import depthwise_conv2d, depthwise_conv2d_backward
from minicnn.kernels.elementwise import dropout, relu_backward, relu_backward_sum_rows
from minicnn.kernels.pooling import max_pool_backward, max_pool_forward

__all__ = ["im2col", "col2im", "im2col_matmul", "im2col_matmul_backward", "conv2d_one_channel",
           "conv2d_one_channel_dkernel",
           "max_pool_forward", "max_pool_backward", "depthwise_conv2d",
           "depthwise_conv2d_backward", "relu_backward", "relu_backward_sum_rows", "dropout"]
