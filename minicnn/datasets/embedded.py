"""The small real subsets shipped inside the package (no download needed).

``embedded/<name>.npz`` holds a class-balanced subset of the real files --
1,000 training and 200 test images per class, 10,000 / 2,000 in all --
selected with a fixed seed by ``make_embedded.py``. ``embedded/manifest.json``
records, per data set, the source, the seed, the SHA-256 of the original
files and of every embedded array; each load checks the arrays against it.
``embedded/PROVENANCE.md`` says the same for people, and
``embedded/LICENSES.md`` gives the data sets' licences and attribution.
"""
import json
from pathlib import Path

import numpy as np

from minicnn.datasets.catalog import get_spec
from minicnn.datasets.errors import DatasetError
from minicnn.datasets.idx import sha256_hex

EMBEDDED_DIR = Path(__file__).resolve().parent / "embedded"
MANIFEST_PATH = EMBEDDED_DIR / "manifest.json"
ARRAY_KEYS = ("x_train", "y_train", "x_test", "y_test")


def embedded_path(name):
    """Path of the embedded .npz of "mnist" or "fashion-mnist"."""
    return EMBEDDED_DIR / f"{get_spec(name).name}.npz"


def read_manifest():
    """The parsed ``embedded/manifest.json``: {data set name: record}."""
    try:
        return json.loads(MANIFEST_PATH.read_text())
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{MANIFEST_PATH}: cannot read the manifest: {exc}") from exc


def array_digest(array):
    """SHA-256 of a C-contiguous array's bytes (shape and dtype are checked apart)."""
    return sha256_hex(np.ascontiguousarray(array))


def load_embedded(name):
    """Load the embedded subset of "mnist" or "fashion-mnist".

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        uint8 images (N, 28, 28) and uint8 labels (N,); N = 10,000 / 2,000.
        Raises DatasetError naming the file if an array is missing or its
        shape, dtype or SHA-256 differs from ``manifest.json``.
    """
    spec = get_spec(name)
    path = embedded_path(spec.name)
    record = read_manifest().get(spec.name)
    if record is None:
        raise DatasetError(f"{MANIFEST_PATH}: no entry for {spec.name}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in ARRAY_KEYS}
    except (OSError, KeyError, ValueError) as exc:
        raise DatasetError(f"{path}: cannot load the embedded subset: {exc}") from exc
    for key, array in arrays.items():
        expected = record["arrays"][key]
        if (list(array.shape) != expected["shape"] or array.dtype.name != expected["dtype"]
                or array_digest(array) != expected["sha256"]):
            raise DatasetError(
                f"{path}: array {key!r} ({array.dtype.name} {array.shape}, SHA-256 "
                f"{array_digest(array)}) does not match the manifest "
                f"({expected['dtype']} {tuple(expected['shape'])}, SHA-256 "
                f"{expected['sha256']}); the package is damaged, reinstall it")
    return ((arrays["x_train"], arrays["y_train"]),
            (arrays["x_test"], arrays["y_test"]))
