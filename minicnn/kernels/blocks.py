"""Running a loop kernel on blocks of images at the same time.

The loop kernels are compiled single-threaded with ``nogil=True``; each public function calls
its kernel once per block of images through ``by_images``, which runs the blocks on minicnn's
own threads (``minicnn.backend.for_blocks``). Splitting by images is always safe: no kernel
writes into another image's part of its output.
"""
from numba import config

from minicnn.backend import for_blocks


def by_images(n_images, block):
    """``block(start, stop)`` for blocks of images, at once on ``minicnn.backend.threads()``
    threads; the results in order. With Numba's JIT disabled (``NUMBA_DISABLE_JIT=1``) one
    block, so that a debugger stepping into a kernel stays on the caller's thread."""
    return for_blocks(n_images, block, parts=1 if config.DISABLE_JIT else None)
