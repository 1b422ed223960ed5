"""Elementwise passes (NumPy reference): the ReLU's backward, Dropout's draws and forward.

The ReLU ``y = max(z, 0)`` passes the gradient where its output is positive (where its input
was) and blocks it elsewhere -- at z = 0 too, as Keras does::

    dz = dy where y > 0, else 0

A select, not the product ``dy * (y > 0)``: where the ReLU blocked, a NaN or infinite ``dy``
still gives 0 (as TensorFlow's ReluGrad does), instead of NaN.
"""
import numpy as np


def relu_backward(dy, y, out):
    """``out[...] = dy`` where ``y > 0``, else 0; all three arrays have the same shape."""
    out[...] = 0
    np.copyto(out, dy, where=y > 0)


# Dropout's uniform draws: the stream of SplitMix64 (Steele, Lea & Flood 2014, the generator
# of Java's SplittableRandom). Its i-th number (i = 0, 1, ...) is a fixed mixing function of
# ``seed + (i + 1) * GOLDEN_GAMMA``, so any stretch of the stream can be computed on its own:
# each thread makes the draws of its own images, the same on any number of threads, and nothing
# is stored but the seed. All arithmetic is on uint64, modulo 2**64.
GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
MIX_2 = np.uint64(0x94D049BB133111EB)
DRAW_BITS = 24                      # a draw is k / 2**24: exact in float32 and float64


def uniform_draws(seed, start, count):
    """Draws ``start .. start + count - 1`` of the uniform [0, 1) stream of the 64-bit ``seed``,
    as float64 multiples of 2**-24 (the top 24 bits of each SplitMix64 output)."""
    with np.errstate(over="ignore"):                  # the wrap-around modulo 2**64 is the point
        z = np.uint64(seed) + (np.arange(start, start + count, dtype=np.uint64) + np.uint64(1)) \
            * GOLDEN_GAMMA
        z = (z ^ (z >> np.uint64(30))) * MIX_1
        z = (z ^ (z >> np.uint64(27))) * MIX_2
        z ^= z >> np.uint64(31)
    return (z >> np.uint64(64 - DRAW_BITS)).astype(np.float64) * 2.0 ** -DRAW_BITS


def dropout(x, seed, rate):
    """Inverted dropout of ``x``: draw ``k`` of the uniform stream of ``seed`` belongs to
    ``x.reshape(-1)[k]``; a value is kept where its draw is >= rate, and scaled by 1 / (1 - rate)::

        mask = 1 / (1 - rate) where draws >= rate, else 0;    y = x * mask

    Returns ``(y, mask)``, both of ``x``'s dtype.
    """
    draws = uniform_draws(seed, 0, x.size).reshape(x.shape)
    scale = x.dtype.type(1.0) / x.dtype.type(1.0 - rate)
    mask = np.where(draws >= rate, scale, x.dtype.type(0.0))
    return x * mask, mask
