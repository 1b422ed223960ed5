"""Weight initialisers with Keras's names and formulas.

For a Dense kernel ``(in, out)``: ``fan_in = in``, ``fan_out = out``. For a convolution kernel
``(KH, KW, C_in, C_out)``: ``fan_in = KH*KW*C_in``, ``fan_out = KH*KW*C_out``.

==================  ==============================================================
glorot_uniform      U(-l, l), l = sqrt(6 / (fan_in + fan_out))        (Keras default)
glorot_normal       truncated N(0, s), s = sqrt(2 / (fan_in + fan_out)) / 0.8796...
he_uniform          U(-l, l), l = sqrt(6 / fan_in)
he_normal           truncated N(0, s), s = sqrt(2 / fan_in) / 0.8796...
lecun_uniform       U(-l, l), l = sqrt(3 / fan_in)
lecun_normal        truncated N(0, s), s = sqrt(1 / fan_in) / 0.8796...
zeros / ones        constants                                          (zeros: bias default)
random_normal       N(0, 0.05)
random_uniform      U(-0.05, 0.05)
==================  ==============================================================

"Truncated" means values beyond two standard deviations are redrawn; 0.87962566103423978 is
the standard deviation of a unit normal truncated at +-2, so dividing by it restores the
intended variance (Keras's VarianceScaling does the same).
"""
import numpy as np

from minicnn.rng import get_generator

TRUNCATED_NORMAL_STD = 0.87962566103423978


def compute_fans(shape):
    """(fan_in, fan_out) of a kernel shape, as Keras computes them."""
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = int(np.prod(shape[:-2]))
    return receptive_field * shape[-2], receptive_field * shape[-1]


def _truncated_normal(shape, std, rng):
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2.0
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2.0
    return values * std


def _variance_scaling(shape, rng, scale, fan, distribution):
    fan_in, fan_out = compute_fans(shape)
    n = {"fan_in": fan_in, "fan_avg": (fan_in + fan_out) / 2.0}[fan]
    variance = scale / max(1.0, n)
    if distribution == "uniform":
        limit = np.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, shape)
    return _truncated_normal(shape, np.sqrt(variance) / TRUNCATED_NORMAL_STD, rng)


INITIALIZERS = {
    "glorot_uniform": lambda s, r: _variance_scaling(s, r, 1.0, "fan_avg", "uniform"),
    "glorot_normal": lambda s, r: _variance_scaling(s, r, 1.0, "fan_avg", "normal"),
    "he_uniform": lambda s, r: _variance_scaling(s, r, 2.0, "fan_in", "uniform"),
    "he_normal": lambda s, r: _variance_scaling(s, r, 2.0, "fan_in", "normal"),
    "lecun_uniform": lambda s, r: _variance_scaling(s, r, 1.0, "fan_in", "uniform"),
    "lecun_normal": lambda s, r: _variance_scaling(s, r, 1.0, "fan_in", "normal"),
    "zeros": lambda s, r: np.zeros(s),
    "ones": lambda s, r: np.ones(s),
    "random_normal": lambda s, r: r.normal(0.0, 0.05, s),
    "random_uniform": lambda s, r: r.uniform(-0.05, 0.05, s),
}


def get(identifier, argument="kernel_initializer", layer_name="layer"):
    """Resolve an initialiser name (or a callable ``f(shape, rng) -> array``)."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in INITIALIZERS:
        return INITIALIZERS[identifier.lower()]
    raise ValueError(f"{layer_name}: unknown {argument} {identifier!r}; valid names: "
                     + ", ".join(sorted(INITIALIZERS)))


def initialize(identifier, shape, dtype, rng=None):
    """Draw an array of ``shape`` and ``dtype`` from the named initialiser."""
    rng = get_generator() if rng is None else rng
    return np.asarray(get(identifier)(tuple(shape), rng), dtype=dtype)
