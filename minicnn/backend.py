"""Which implementation runs the heavy kernels: ``"numba"`` (default) or ``"numpy"``.

Every heavy operation (im2col/col2im, the one-channel convolution, max-pooling, the ReLU's
backward, Dropout's mask) exists twice:

* ``minicnn.functional`` -- the readable NumPy reference, the one to step through in pdb;
* ``minicnn.kernels``    -- the Numba twin with the same signature, compiled, and run on
  blocks of images on several threads (see the threads section below).

``minicnn.ops`` picks one of the two on every call according to the setting here. Layers only
ever call ``minicnn.ops``, so switching the backend never changes a layer's code path.

Select the backend with ``minicnn.set_backend("numpy")`` or, before Python starts, with the
environment variable ``MINICNN_BACKEND=numpy``.
"""
import functools
import os
import threading

BACKENDS = ("numba", "numpy")

_backend = None


def _validate(name, source):
    if name not in BACKENDS:
        raise ValueError(
            f"unknown minicnn backend {name!r} (from {source}); valid backends: "
            + ", ".join(repr(b) for b in BACKENDS))
    return name


def set_backend(name):
    """Use ``"numba"`` (compiled kernels) or ``"numpy"`` (reference kernels) from now on."""
    global _backend
    _backend = _validate(name, "set_backend")


def get_backend():
    """The current backend name; defaults to ``$MINICNN_BACKEND`` or ``"numba"``."""
    global _backend
    if _backend is None:
        _backend = _validate(os.environ.get("MINICNN_BACKEND", "numba").strip().lower(),
                             "the MINICNN_BACKEND environment variable")
    return _backend


class use_backend:
    """Context manager: ``with use_backend("numpy"): ...`` runs the block on that backend."""

    def __init__(self, name):
        self.name = _validate(name, "use_backend")

    def __enter__(self):
        self.previous = get_backend()
        set_backend(self.name)
        return self

    def __exit__(self, *exc):
        set_backend(self.previous)
        return False


# -- threads -------------------------------------------------------------------------------
# minicnn runs its parallel work on its own threads (``minicnn.pool``), which wait by spinning
# briefly, yielding the CPU at every turn, and then sleep:
#
# * the Numba kernels (im2col, col2im, one-channel convolution, pooling, depthwise, ReLU
#   backward, Dropout) are compiled single-threaded and releasing the GIL; ``for_blocks`` runs one
#   call per block of images on ``threads()`` threads at once;
# * inside fit/evaluate/predict NumPy's BLAS is made single-threaded, and
#   ``minicnn.ops.matmul`` cuts each large product into blocks the same way.
#
# Why not OpenBLAS's and Numba's own threads: they synchronise by spinning, many times per
# product and without bound, so as soon as another program wants a core -- a browser, another
# terminal, a second training -- a two-thread product keeps waiting for a partner that is not
# running. Measured on
# this project's 2-core machine with one other busy process: a training step of report 000's
# CNN took 2.9 s with OpenBLAS's threads, 0.2 s with these (docs/results/speed-history.md).
_threads = None                 # set_threads(); None: every CPU this process may use
_training_depth = 0             # > 0 inside training_threads: ops.matmul splits products
_pool = None                    # the worker threads, created on first use
_pool_size = 0
_pool_lock = threading.Lock()
_blas_controller = None
WORKER_PREFIX = "minicnn-worker"


def _forget_pool_after_fork():
    """A forked child (GridSearch's worker processes) inherits the pool object but none of its
    threads: work submitted to it would wait forever. The child starts a pool of its own."""
    global _pool, _pool_size, _pool_lock
    _pool, _pool_size, _pool_lock = None, 0, threading.Lock()


if hasattr(os, "register_at_fork"):                 # POSIX; Windows has no fork
    os.register_at_fork(after_in_child=_forget_pool_after_fork)


def set_threads(n):
    """How many threads minicnn's kernels and (during fit/evaluate/predict) its matrix products
    use: a positive int, or None for every CPU (the default). 1 runs everything on one core,
    the best choice when other programs keep the other cores busy."""
    global _threads
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
        raise ValueError(f"set_threads: expected a positive int or None, got {n!r}")
    _threads = n


def threads():
    """The thread count from ``set_threads`` (None resolved to the usable CPUs)."""
    return _threads if _threads is not None else _usable_cpus


# Read once: threads() is called for every product and kernel call of every training step.
_usable_cpus = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                else os.cpu_count() or 1)


def in_training():
    """True inside ``training_threads`` (fit/evaluate/predict), where BLAS is single-threaded."""
    return _training_depth > 0


# Handing a block to a pool thread, and getting its result back, costs 50-100 us on this
# project's vms even with the threads spinning first (``python benchmarks/handover.py``;
# ``minicnn.pool``). A memory-bound pass over
# fewer values than this -- ~0.1 ms on one core -- runs in one piece (ops' elementwise passes,
# pooling, Dropout): split, such passes were measured slower than whole
# (docs/results/speed-history.md, "Fewer hand-overs").
MIN_SPLIT_VALUES = 1 << 19


def block_bounds(length, parts):
    """``parts + 1`` cut points splitting ``range(length)`` into near-equal blocks."""
    return [length * i // parts for i in range(parts + 1)]


def for_blocks(length, block, parts=None):
    """Call ``block(start, stop)`` for near-equal ranges covering ``range(length)``, at the
    same time on ``parts`` threads (default ``threads()``, at most ``length``): the caller runs
    the first range itself, pool threads the others (``minicnn.pool``); returns the results in
    range order. The first exception is re-raised here, once every block has ended. Called from
    a pool thread, it runs the ranges one by one."""
    global _pool, _pool_size
    parts = max(1, min(threads() if parts is None else parts, length))
    cuts = block_bounds(length, parts)
    if parts == 1 or threading.current_thread().name.startswith(WORKER_PREFIX):
        return [block(cuts[i], cuts[i + 1]) for i in range(parts)]
    with _pool_lock:                            # two threads may grow it at once
        if _pool_size < parts - 1:
            from minicnn.pool import WorkerPool

            if _pool is not None:
                _pool.close()
            _pool = WorkerPool(parts - 1, WORKER_PREFIX)
            _pool_size = parts - 1
        pool = _pool
    return pool.run([functools.partial(block, cuts[i], cuts[i + 1]) for i in range(parts)])


def _limit_blas_to_one_thread():
    """threadpoolctl's context that sets NumPy's BLAS to 1 thread and restores it on exit."""
    global _blas_controller
    if _blas_controller is None:
        from threadpoolctl import ThreadpoolController

        _blas_controller = ThreadpoolController()
    return _blas_controller.limit(limits=1, user_api="blas")


# -- memory during training --------------------------------------------------------------------
# Every training step allocates the same large arrays again: layer outputs, gradients, Dropout
# masks (swedish_b: ~13 MB for its first layer's output alone). glibc's malloc gives an array
# above its mmap threshold fresh pages from the kernel and returns them when it is freed (or
# trims them off its heap), so each step page-faults its arrays in again and the kernel zeroes
# every page first. From the first fit/evaluate/predict/train_on_batch on, minicnn asks malloc
# (``mallopt``) to serve arrays of up to 32 MB -- the largest static threshold glibc accepts on
# 64-bit -- from its heap and to keep up to 1 GB of freed memory there, so that the next step
# reuses the same pages: what glibc's MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_
# environment variables do, for the rest of the process (undoing it at the end of each fit would
# make a loop of train_on_batch calls fault its arrays in at every step again). The price: the
# process keeps the memory of its largest step for later allocations instead of returning it.
# ``python benchmarks/freed_memory.py`` compares epochs with and without it
# (docs/results/speed-history.md). Set ``minicnn.backend.KEEP_FREED_MEMORY = False`` before
# training to leave malloc alone; nothing is done either where the environment already tunes it
# (those variables, or GLIBC_TUNABLES with glibc.malloc.*) or where the C library is not glibc
# (macOS, musl, Windows).
KEEP_FREED_MEMORY = True
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3          # mallopt's parameter numbers (malloc.h)
_KEEP_ARRAYS_UP_TO = 32 * 1024 * 1024
_KEEP_FREED_UP_TO = 1 << 30
_malloc_asked = False                                   # mallopt called (once per process)


def _glibc_mallopt():
    """glibc's ``mallopt``, or None where the C library is not glibc."""
    import ctypes

    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return None
        mallopt = ctypes.CDLL(None).mallopt            # the process's own C library
    except (AttributeError, OSError, ValueError):      # no confstr name, no mallopt
        return None
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt


def _malloc_set_by_user():
    """Whether the environment already tunes glibc's malloc; then minicnn leaves it alone."""
    return ("MALLOC_MMAP_THRESHOLD_" in os.environ or "MALLOC_TRIM_THRESHOLD_" in os.environ
            or "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", ""))


def _keep_freed_memory():
    """Ask glibc's malloc, once per process, to keep large arrays' memory for reuse (the
    comment above). Returns whether malloc took both settings."""
    global _malloc_asked
    if _malloc_asked or not KEEP_FREED_MEMORY or _malloc_set_by_user():
        return False
    _malloc_asked = True
    mallopt = _glibc_mallopt()
    return bool(mallopt is not None and mallopt(_M_MMAP_THRESHOLD, _KEEP_ARRAYS_UP_TO)
                and mallopt(_M_TRIM_THRESHOLD, _KEEP_FREED_UP_TO))


class training_threads:
    """Context manager around fit/evaluate/predict: NumPy's BLAS single-threaded, large
    products split by ``ops.matmul`` over ``threads()`` threads; the first one also makes
    malloc keep freed memory for the next step (the comment above). Nests."""

    def __enter__(self):
        global _training_depth
        self.blas_limit = _limit_blas_to_one_thread()
        _keep_freed_memory()
        _training_depth += 1
        return self

    def __exit__(self, *exc):
        global _training_depth
        _training_depth -= 1
        self.blas_limit.restore_original_limits()
        return False
