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
