"""minicnn's own random number generator (never the global ``np.random``).

Weight initialisation draws from the generator returned by ``get_generator()``. Seed it with
``minicnn.set_seed(seed)`` before building a model to get the same initial weights every time.
``Sequential.fit(..., seed=s)`` additionally seeds the shuffling, dropout masks and
augmentation of that fit.
"""
import numpy as np

from minicnn.backend import block_bounds, for_blocks

_generator = np.random.default_rng()


def set_seed(seed):
    """Reset minicnn's global generator (like ``keras.utils.set_random_seed``)."""
    global _generator
    _generator = np.random.default_rng(seed)


def get_generator():
    """The global ``np.random.Generator`` used for weight initialisation and default seeding."""
    return _generator


def child_generator(seed=None):
    """A new independent generator: from ``seed`` if given, else drawn from the global one."""
    if seed is None:
        seed = int(_generator.integers(2**63))
    return np.random.default_rng(seed)


# A large array of uniform numbers (a dropout mask) is drawn in RANDOM_BLOCKS blocks at once on
# minicnn's threads -- NumPy's generators release the GIL while they fill -- because drawing is
# most of a dropout layer's time and one core does it slowly. The block count is fixed, not the
# thread count, so the numbers are the same on any number of threads.
RANDOM_BLOCKS = 8
MIN_BLOCKED_VALUES = 1 << 16


def uniform(generator, shape, dtype=np.float32):
    """Uniform numbers on [0, 1) of ``shape``, advancing ``generator``: a small array straight
    from it, a large one in RANDOM_BLOCKS blocks, block b from a generator seeded by the b-th of
    RANDOM_BLOCKS seeds drawn from ``generator``."""
    size = int(np.prod(shape))
    if size < MIN_BLOCKED_VALUES:
        return generator.random(shape, dtype=dtype)
    seeds = generator.integers(2**63, size=RANDOM_BLOCKS)
    values = np.empty(size, dtype=dtype)
    bounds = block_bounds(size, RANDOM_BLOCKS)

    def fill(first_block, last_block):
        for b in range(first_block, last_block):
            block_generator = np.random.default_rng(int(seeds[b]))
            block_generator.random(dtype=dtype, out=values[bounds[b]:bounds[b + 1]])
    for_blocks(RANDOM_BLOCKS, fill)
    return values.reshape(shape)
