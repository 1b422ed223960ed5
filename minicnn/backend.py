"""Which implementation runs the heavy kernels: ``"numba"`` (default) or ``"numpy"``.

Every heavy operation (im2col/col2im, max-pooling) exists twice:

* ``minicnn.functional`` -- the readable NumPy reference, the one to step through in pdb;
* ``minicnn.kernels``    -- the Numba twin with the same signature, compiled and parallel.

``minicnn.ops`` picks one of the two on every call according to the setting here. Layers only
ever call ``minicnn.ops``, so switching the backend never changes a layer's code path.

Select the backend with ``minicnn.set_backend("numpy")`` or, before Python starts, with the
environment variable ``MINICNN_BACKEND=numpy``.
"""
import os

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
# Inside fit/evaluate/predict minicnn decides the threading itself, because NumPy's OpenBLAS
# copes badly with a busy machine: its threads synchronise by spinning (sched_yield) many times
# per product, so as soon as another program wants a core -- a browser, another terminal, a
# second training -- a two-thread product waits for a descheduled partner again and again. Seen
# here: a training step 13x slower than with one thread (a job started from another terminal is
# in another scheduler group, which makes it worse). So in training and inference:
#
# * BLAS runs single-threaded, and ``minicnn.ops.matmul`` cuts each large product into
#   ``matmul_threads`` blocks computed on that many threads (one BLAS call each; idle threads
#   sleep instead of spinning, and the caller joins them once per product);
# * the Numba kernels run on ``kernel_threads`` threads (default 1): their OpenMP threads spin
#   as well, and on 2 cores a second kernel thread gained nothing. See docs/results/speed.md.
#
# Outside these blocks (a layer's forward called by hand, gradcheck) nothing is changed.
_kernel_threads = 1
_matmul_threads = None          # None: as many as Numba has (NUMBA_NUM_THREADS, the CPU count)
_active_matmul_threads = 1      # what ops.matmul uses now: > 1 only inside training_threads
_blas_controller = None


def set_kernel_threads(n):
    """Threads for the Numba kernels inside fit/evaluate/predict (default 1; None: all)."""
    global _kernel_threads
    if n is not None and (not isinstance(n, int) or n < 1):
        raise ValueError(f"set_kernel_threads: expected a positive int or None, got {n!r}")
    _kernel_threads = n


def set_matmul_threads(n):
    """Threads for the large matrix products inside fit/evaluate/predict (default None: all
    CPUs). 1 runs everything on one core -- the fastest choice when other programs keep the
    other cores busy."""
    global _matmul_threads
    if n is not None and (not isinstance(n, int) or n < 1):
        raise ValueError(f"set_matmul_threads: expected a positive int or None, got {n!r}")
    _matmul_threads = n


def matmul_threads():
    """How many blocks ``minicnn.ops.matmul`` splits a large product into right now."""
    return _active_matmul_threads


def _limit_blas_to_one_thread():
    """threadpoolctl's context that sets NumPy's BLAS to 1 thread and restores it on exit."""
    global _blas_controller
    if _blas_controller is None:
        from threadpoolctl import ThreadpoolController

        _blas_controller = ThreadpoolController()
    return _blas_controller.limit(limits=1, user_api="blas")


class training_threads:
    """Context manager around fit/evaluate/predict: single-threaded BLAS, products split by
    ``ops.matmul`` on ``matmul_threads`` threads, Numba kernels on ``kernel_threads`` threads."""

    def __enter__(self):
        import numba

        global _active_matmul_threads
        cpus = numba.config.NUMBA_NUM_THREADS
        self.previous = numba.get_num_threads(), _active_matmul_threads
        numba.set_num_threads(min(cpus if _kernel_threads is None else _kernel_threads, cpus))
        _active_matmul_threads = cpus if _matmul_threads is None else _matmul_threads
        self.blas_limit = _limit_blas_to_one_thread()
        return self

    def __exit__(self, *exc):
        import numba

        global _active_matmul_threads
        self.blas_limit.restore_original_limits()
        numba_threads, _active_matmul_threads = self.previous
        numba.set_num_threads(numba_threads)
        return False
