"""The reports' own file formats: HDF5 data files and the Kaggle submission CSV.

Report 001 reads Fashion-MNIST from ``Fashion_MNIST.h5``, whose datasets are
``train_images`` (59500, 28, 28), ``train_labels`` (59500,) and
``test_images`` (10500, 28, 28) -- no test labels -- and submits a CSV::

    ID,Prediction
    0,9
    1,2
    ...

    (x_train, y_train), (x_test, _) = load_h5("Fashion_MNIST.h5")
    ...
    write_submission("submission.csv", model.predict(prepare_images(x_test)))
"""
import csv
import io
from pathlib import Path

import h5py
import numpy as np

from minicnn.atomic import atomic_path, write_bytes_atomic
from minicnn.datasets.errors import DatasetError

SUBMISSION_HEADER = ("ID", "Prediction")


def save_h5(path, **arrays):
    """Write arrays as HDF5 datasets named by the keywords, atomically.

    Example: ``save_h5("data.h5", train_images=x, train_labels=y)``. The file
    appears only once it is complete; an existing file is replaced.
    """
    if not arrays:
        raise ValueError("save_h5 needs at least one array, e.g. save_h5(path, x=x)")
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as h5:
            for key, array in arrays.items():
                h5.create_dataset(key, data=np.asarray(array))
    return Path(path)


def load_h5_arrays(path, keys=None):
    """Read HDF5 datasets into a dict of NumPy arrays.

    Parameters
    ----------
    path : str or Path
    keys : iterable of str, optional
        Dataset names to read; default: every top-level dataset.

    Raises DatasetError naming the file (and the key, listing those present)
    when the file is missing, not HDF5, or lacks a key.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise DatasetError(f"{path}: not a readable HDF5 file ({exc})") from exc
    with h5:
        present = sorted(k for k in h5.keys() if isinstance(h5[k], h5py.Dataset))
        keys = present if keys is None else list(keys)
        arrays = {}
        for key in keys:
            if key not in present:
                raise DatasetError(
                    f"{path}: no dataset {key!r} (the file holds: "
                    f"{', '.join(present) or 'nothing'})")
            arrays[key] = np.asarray(h5[key])
    return arrays


def load_h5(path, image_key="train_images", label_key="train_labels",
            test_image_key="test_images", test_label_key=None):
    """Load a data set stored as HDF5, by default in report 001's layout.

    Parameters
    ----------
    path : str or Path, e.g. "Fashion_MNIST.h5"
    image_key, label_key : str
        Training images (N, H, W) and labels (N,).
    test_image_key, test_label_key : str or None
        Test images and labels; None means the file has none (001's file has
        no test labels).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        Arrays as stored (001: uint8 (59500, 28, 28), (59500,), (10500, 28, 28));
        None for every key given as None. Raises DatasetError naming the file
        and key for a missing key, and naming both keys when images and
        labels differ in length.
    """
    wanted = {"x_train": image_key, "y_train": label_key,
              "x_test": test_image_key, "y_test": test_label_key}
    arrays = load_h5_arrays(path, [key for key in wanted.values() if key is not None])
    loaded = {name: arrays[key] if key is not None else None
              for name, key in wanted.items()}
    for images, labels in (("x_train", "y_train"), ("x_test", "y_test")):
        x, y = loaded[images], loaded[labels]
        if x is not None and y is not None and len(x) != len(y):
            raise DatasetError(
                f"{path}: {wanted[images]!r} has {len(x)} images but "
                f"{wanted[labels]!r} has {len(y)} labels")
    return ((loaded["x_train"], loaded["y_train"]),
            (loaded["x_test"], loaded["y_test"]))


def _class_indices(predictions):
    """(N,) class indices or (N, K) scores -> int64 (N,) class indices."""
    predictions = np.asarray(predictions)
    if predictions.ndim == 2 and predictions.shape[1] > 1:
        return np.argmax(predictions, axis=1)
    if predictions.ndim == 2:
        predictions = predictions[:, 0]
    if predictions.ndim != 1:
        raise ValueError(
            f"predictions must be class indices (N,) or scores (N, K), "
            f"got shape {predictions.shape}")
    if not np.issubdtype(predictions.dtype, np.integer):
        if not np.all(predictions == np.round(predictions)):
            raise ValueError(
                "1-D predictions must be class indices; pass the (N, K) "
                "probabilities to take their argmax")
    return predictions.astype(np.int64)


def write_submission(path, predictions):
    """Write the Kaggle submission CSV of report 001: ``ID,Prediction``, IDs from 0.

    Parameters
    ----------
    path : str or Path, e.g. "submission.csv"
    predictions : (N,) class indices, or (N, K) probabilities / logits
        (their argmax is written), one row per test image.

    Returns the Path written (atomically).
    """
    labels = _class_indices(predictions)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(SUBMISSION_HEADER)
    writer.writerows(zip(range(len(labels)), labels.tolist()))
    return write_bytes_atomic(path, text.getvalue().encode("ascii"))


def read_submission(path):
    """Read a submission CSV; return (ids, predictions), both int64 (N,)."""
    path = Path(path)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows or tuple(rows[0]) != SUBMISSION_HEADER:
        raise DatasetError(f"{path}: the header must be ID,Prediction")
    try:
        table = np.array(rows[1:], dtype=np.int64).reshape(-1, 2)
    except ValueError as exc:
        raise DatasetError(f"{path}: rows must be two integers ({exc})") from exc
    return table[:, 0], table[:, 1]
