"""Reading and writing IDX files, the format MNIST and Fashion-MNIST ship in.

An IDX file is a 4-byte magic number, one big-endian uint32 per dimension,
then the array's bytes in C order::

    bytes 0-1   0x00 0x00
    byte  2     dtype code: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
                0x0D float32, 0x0E float64 (all big-endian)
    byte  3     rank (number of dimensions), e.g. 3 for images, 1 for labels
    then        rank x uint32 sizes, e.g. 60000, 28, 28
    then        prod(sizes) * itemsize bytes of data

``train-images-idx3-ubyte`` therefore starts with ``00 00 08 03``, then
``60000 28 28``, then 47,040,000 pixel bytes. Files may be gzip-compressed
(``.gz``); gzip is recognised by its own magic bytes, not by the file name.

Every check names the file and says what is wrong, so a truncated download
or a file of the wrong kind is reported, not silently mis-read.
"""
import gzip
import hashlib
import zlib
from pathlib import Path

import numpy as np

from minicnn.atomic import write_bytes_atomic
from minicnn.datasets.errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"

# IDX dtype code -> big-endian NumPy dtype.
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
IDX_CODES = {dtype.newbyteorder("="): code for code, dtype in IDX_DTYPES.items()}


def sha256_hex(data):
    """SHA-256 of ``data`` (bytes or a C-contiguous array) as 64 hex digits."""
    return hashlib.sha256(memoryview(data).cast("B")).hexdigest()


def read_file_bytes(path):
    """Return the bytes of ``path``, gunzipped if the file is gzip-compressed.

    Raises DatasetError naming the file if it cannot be read or if its gzip
    stream is damaged or cut short.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if not raw.startswith(GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(
            f"{path}: damaged gzip data ({exc}); the file is corrupted or "
            f"was cut short") from exc


def parse_idx(data, name="<bytes>"):
    """Parse IDX bytes (already decompressed) into a NumPy array.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str
        What to call the data in error messages (normally the file path).

    Returns
    -------
    np.ndarray
        Shape from the header (e.g. (N, 28, 28) images or (N,) labels), in
        native byte order, writable (a copy, not a view of ``data``).
    """
    if len(data) < 4:
        raise DatasetError(
            f"{name}: only {len(data)} bytes, too short for an IDX header "
            f"(4-byte magic number)")
    zero0, zero1, code, rank = data[0], data[1], data[2], data[3]
    if zero0 != 0 or zero1 != 0 or code not in IDX_DTYPES:
        raise DatasetError(
            f"{name}: not an IDX file: wrong magic number 0x{data[:4].hex()} "
            f"(expected 0x0000 then a dtype code such as 08 for uint8, then "
            f"the rank, e.g. 0x00000803 for uint8 images)")
    if rank == 0:
        raise DatasetError(f"{name}: IDX header gives rank 0 (no dimensions)")
    header_bytes = 4 + 4 * rank
    if len(data) < header_bytes:
        raise DatasetError(
            f"{name}: truncated header: rank {rank} needs {header_bytes} "
            f"header bytes, the file has {len(data)}")
    shape = tuple(int(size) for size in np.frombuffer(
        data, dtype=">u4", count=rank, offset=4))
    dtype = IDX_DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = len(data) - header_bytes
    if actual != expected:
        what = "truncated" if actual < expected else "too long"
        dims = "x".join(str(size) for size in shape)
        raise DatasetError(
            f"{name}: {what}: the header says {dims} = {expected:,} bytes of "
            f"{dtype.newbyteorder('=').name} data, the file has {actual:,}")
    array = np.frombuffer(data, dtype=dtype, offset=header_bytes).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=True)


def read_idx(path, expected_shape=None, expected_sha256=None):
    """Read an IDX file (raw or gzip) and check its structure and content.

    Parameters
    ----------
    path : str or Path
    expected_shape : tuple of int, optional
        E.g. (60000, 28, 28); a different header shape raises.
    expected_sha256 : str, optional
        SHA-256 of the *decompressed* bytes, so the same data from any mirror
        (raw or gzip) is accepted and damaged data is not.

    Returns
    -------
    np.ndarray of the header's shape, e.g. uint8 (N, 28, 28).
    """
    data = read_file_bytes(path)
    array = parse_idx(data, name=str(path))
    if expected_shape is not None and array.shape != tuple(expected_shape):
        raise DatasetError(
            f"{path}: shape {array.shape} in the header, expected "
            f"{tuple(expected_shape)}")
    if expected_sha256 is not None:
        check_sha256(data, expected_sha256, name=str(path))
    return array


def check_sha256(data, expected_sha256, name):
    """Raise DatasetError naming ``name`` and both digests if they differ."""
    actual = sha256_hex(data)
    if actual != expected_sha256:
        raise DatasetError(
            f"{name}: SHA-256 mismatch: expected {expected_sha256}, got "
            f"{actual} (of the decompressed bytes); the file is damaged or is "
            f"not the expected data set")


def idx_bytes(array):
    """Encode an array as IDX bytes (header + big-endian data).

    ``array`` may have any shape of rank 1..255 and a dtype in IDX_DTYPES
    (uint8 for images and labels).
    """
    array = np.asarray(array)
    code = IDX_CODES.get(array.dtype.newbyteorder("="))
    if code is None:
        raise DatasetError(f"IDX cannot store dtype {array.dtype}")
    if not 1 <= array.ndim <= 255:
        raise DatasetError(f"IDX cannot store an array of rank {array.ndim}")
    header = bytes([0, 0, code, array.ndim])
    header += np.asarray(array.shape, dtype=">u4").tobytes()
    return header + np.ascontiguousarray(array, dtype=IDX_DTYPES[code]).tobytes()


def write_idx(path, array, compress=None):
    """Write ``array`` as an IDX file; gzip it if ``compress`` (default: name ends in .gz)."""
    path = Path(path)
    data = idx_bytes(array)
    if compress is None:
        compress = path.suffix == ".gz"
    if compress:
        data = gzip.compress(data, mtime=0)
    return write_bytes_atomic(path, data)
