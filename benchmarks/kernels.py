"""Each heavy kernel, NumPy reference vs Numba twin, on the layer shapes of the speed workloads.

    python benchmarks/kernels.py [--threads 1]

For every convolution and pooling layer of the four workloads of benchmarks/speed.py (at their
batch sizes) times ``minicnn.functional`` (the readable reference) and ``minicnn.kernels`` (the
Numba twin, on ``--threads`` threads): im2col, col2im (or, for a one-channel layer, the
tap-by-tap convolution and its kernel gradient), the ReLU's backward alone and with the bias
gradient (``relu_backward_sum_rows``: the reference adds BLAS's ``ones @ dz``, the Numba kernel
sums as it goes), max-pool forward and backward, and for every Dropout layer its
mask-and-multiply pass. Timed as inside ``fit``: NumPy's BLAS on one thread. Prints
milliseconds per call, best of several; the ratio says where the compiled kernel pays and where
it does not (docs/results/speed-history.md).
"""
import argparse

import numpy as np

import minicnn
from minicnn import functional, kernels, ops
from minicnn.bench.speed import WORKLOADS, _compiled, best_seconds
from minicnn.layers import Conv2D, Dropout, MaxPooling2D


def relu_backward_sum_rows(impl, dy, y):
    """The Numba kernel's one pass, or its reference: the NumPy ReLU backward, then the sum."""
    if impl is kernels:
        return kernels.relu_backward_sum_rows(dy, y)
    dz = np.empty_like(dy)
    functional.relu_backward(dy, y, dz)
    return dz, ops.sum_rows(dz.reshape(-1, dz.shape[-1]))


def layer_cases(name):
    """(label, kernel name, function of an implementation module) for one workload's layers."""
    batch = WORKLOADS[name][2]
    model = _compiled(name)
    rng = np.random.default_rng(0)
    for layer in model.layers:
        shape = (batch,) + tuple(layer.input_shape)
        if isinstance(layer, Conv2D):
            x = ops.pad_nhwc(rng.random(shape, dtype=np.float32), layer.pad_hw)
            k, s = layer.kernel_size, layer.strides
            label = f"{name} {layer.layer_name} {x.shape} k{k[0]}x{k[1]}"
            if layer.one_channel:                  # the layer's tap-by-tap path, no im2col
                kernel, bias = layer.params["kernel"], layer._bias_or_zeros()
                dz = rng.random((batch,) + tuple(layer.output_shape), dtype=np.float32)
                yield label, "conv2d_one_channel", \
                    lambda impl: impl.conv2d_one_channel(x, kernel, bias)
                yield label, "conv2d_one_channel_dkernel", \
                    lambda impl: impl.conv2d_one_channel_dkernel(x, dz, k)
            else:
                x_cols = functional.im2col(x, k, s)
                yield label, "im2col", lambda impl: impl.im2col(x, k, s)
                yield label, "col2im", lambda impl: impl.col2im(x_cols, x.shape, k, s)
            # backward through the ReLU alone, and with the bias gradient (the reference: BLAS's
            # ones @ dz after the ReLU's backward; Numba: one pass)
            dy = rng.standard_normal((batch,) + tuple(layer.output_shape), dtype=np.float32)
            y = np.maximum(rng.standard_normal(dy.shape, dtype=np.float32), 0)
            dz = np.empty_like(dy)
            yield label, "relu_backward", lambda impl: impl.relu_backward(dy, y, dz)
            yield label, "relu_backward_sum_rows", \
                lambda impl: relu_backward_sum_rows(impl, dy, y)
        elif isinstance(layer, MaxPooling2D):
            x = rng.random(shape, dtype=np.float32)
            p, s = layer.pool_size, layer.strides
            y, pool_argmax = functional.max_pool_forward(x, p, s)
            label = f"{name} {layer.layer_name} {x.shape}"
            yield label, "max_pool_forward", lambda impl: impl.max_pool_forward(x, p, s)
            yield label, "max_pool_backward", \
                lambda impl: impl.max_pool_backward(y, pool_argmax, x.shape, p, s)
        elif isinstance(layer, Dropout):
            x = rng.random(shape, dtype=np.float32)
            seed, rate = rng.integers(2**64, dtype=np.uint64), layer.rate
            yield f"{name} {layer.layer_name} {x.shape}", "dropout", \
                lambda impl: impl.dropout(x, seed, rate)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for the Numba kernels (default 1, as one core)")
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--seconds", type=float, default=0.3, help="timing per kernel and side")
    args = parser.parse_args(argv)
    minicnn.set_threads(args.threads)
    print(f"ms per call, best of repeats; Numba on {args.threads} thread(s)")
    print(f"{'layer':58s} {'kernel':27s} {'numpy':>8s} {'numba':>8s} {'numpy/numba':>12s}")
    with minicnn.backend.training_threads():           # as in fit: NumPy's BLAS on one thread
        for name in args.workloads:
            for label, kernel, call in layer_cases(name):
                reference = 1000 * best_seconds(lambda: call(functional), args.seconds)
                compiled = 1000 * best_seconds(lambda: call(kernels), args.seconds)
                print(f"{label:58s} {kernel:27s} {reference:8.2f} {compiled:8.2f} "
                      f"{reference / compiled:12.2f}")


if __name__ == "__main__":
    main()
