"""Atomic file writes: write to a temporary name beside the target, then rename.

A reader therefore sees either the old file, the complete new file, or no
file at all -- never a half-written one, even if the writer is interrupted.
"""
import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path in ``path``'s directory; rename it to ``path`` on success.

    The temporary name starts with a dot and ends with ``.partial``, so no
    loader ever picks it up. If the body raises (or is interrupted), the
    temporary file is removed and ``path`` is left untouched.

    Example::

        with atomic_path("out.csv") as tmp:
            tmp.write_text("ID,Prediction\\n")
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp makes it 0600
    try:
        yield tmp
        with open(tmp, "rb") as written:     # make the bytes durable first
            os.fsync(written.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path, data):
    """Write ``data`` (bytes) to ``path`` atomically; return ``Path(path)``."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
