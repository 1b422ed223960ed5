"""Running a loop kernel on blocks of images at the same time.

The loop kernels are compiled single-threaded with ``nogil=True``; each public function calls
its kernel once per block of images through ``by_images``, which runs the blocks on minicnn's
own threads (``minicnn.backend.for_blocks``). Splitting by images is always safe: no kernel
writes into another image's part of its output.
"""
from numba import config

from minicnn.backend import MIN_SPLIT_VALUES, for_blocks


def by_images(n_images, block, values=None):
    """``block(start, stop)`` for blocks of images, at once on ``minicnn.backend.threads()``
    threads; the results in order. A memory-bound kernel passes the ``values`` it reads: under
    ``MIN_SPLIT_VALUES`` it runs in one block, as the hand-over would cost more than it saves.
    With Numba's JIT disabled (``NUMBA_DISABLE_JIT=1``) one block, so that a debugger stepping
    into a kernel stays on the caller's thread."""
    small = values is not None and values < MIN_SPLIT_VALUES
    return for_blocks(n_images, block, parts=1 if config.DISABLE_JIT or small else None)
