"""Stateless NumPy reference implementations of the heavy operations.

This is the code to read and to step through in a debugger: plain, vectorised NumPy, one file
per operation. Each function has a Numba twin with the same signature in ``minicnn.kernels``;
``minicnn.ops`` chooses between them, and the tests prove the two agree.
"""
from minicnn.functional.conv import col2im, conv2d_one_channel, conv2d_one_channel_dkernel, \
    im2col, pad_nhwc
from minicnn.functional.depthwise import depthwise_conv2d, depthwise_conv2d_backward
from minicnn.functional.elementwise import dropout, relu_backward, uniform_draws
from minicnn.functional.pooling import max_pool_backward, max_pool_forward

__all__ = ["im2col", "col2im", "conv2d_one_channel", "conv2d_one_channel_dkernel", "pad_nhwc",
           "max_pool_forward", "max_pool_backward", "depthwise_conv2d",
           "depthwise_conv2d_backward", "relu_backward", "dropout", "uniform_draws"]
