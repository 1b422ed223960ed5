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
# The matrix products run in NumPy's BLAS (OpenBLAS), whose worker threads keep spinning for a
# while after each product. A parallel Numba kernel started right after would fight those
# spinning threads for the same cores: on a 2-core machine that made a training step 3-7x
# slower. So while a model trains or predicts, the Numba kernels run on `kernel_threads`
# threads (default 1) and BLAS keeps all cores for the products. See docs/results/speed.md.
_kernel_threads = 1


def set_kernel_threads(n):
    """Threads for the Numba kernels inside fit/evaluate/predict (default 1; None: all)."""
    global _kernel_threads
    if n is not None and (not isinstance(n, int) or n < 1):
        raise ValueError(f"set_kernel_threads: expected a positive int or None, got {n!r}")
    _kernel_threads = n


class kernel_threads:
    """Context manager: Numba kernels use the configured thread count inside the block."""

    def __enter__(self):
        import numba

        self.previous = numba.get_num_threads()
        n = numba.config.NUMBA_NUM_THREADS if _kernel_threads is None else _kernel_threads
        numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
        return self

    def __exit__(self, *exc):
        import numba

        numba.set_num_threads(self.previous)
        return False
