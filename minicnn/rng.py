"""minicnn's own random number generator (never the global ``np.random``).

Weight initialisation draws from the generator returned by ``get_generator()``. Seed it with
``minicnn.set_seed(seed)`` before building a model to get the same initial weights every time.
``Sequential.fit(..., seed=s)`` additionally seeds the shuffling, dropout masks and
augmentation of that fit.
"""
import numpy as np

from minicnn.shapes import is_int

_generator = np.random.default_rng()


def check_seed(seed, where):
    """``seed`` as given if it is None or an int >= 0 (what NumPy's generators take); else a
    ValueError naming ``where``."""
    if seed is None or (is_int(seed) and seed >= 0):
        return seed
    raise ValueError(f"{where}: seed must be an int >= 0 (or None), got {seed!r}")


def set_seed(seed):
    """Reset minicnn's global generator (like ``keras.utils.set_random_seed``)."""
    global _generator
    _generator = np.random.default_rng(check_seed(seed, "set_seed"))


def get_generator():
    """The global ``np.random.Generator`` used for weight initialisation and default seeding."""
    return _generator


def child_generator(seed=None):
    """A new independent generator: from ``seed`` if given, else drawn from the global one."""
    if seed is None:
        seed = int(_generator.integers(2**63))
    return np.random.default_rng(check_seed(seed, "seed"))
