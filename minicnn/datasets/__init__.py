"""MNIST and Fashion-MNIST for minicnn: loading, fetching, an embedded subset,
preprocessing helpers, the reports' file formats, and augmentation.

    from minicnn import datasets
    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist(subset="auto")
    x_train = datasets.prepare_images(x_train)        # float32 (N, 28, 28, 1) in [0, 1]
    y_train = datasets.to_categorical(y_train, 10)    # float32 (N, 10)

Full data: ``minicnn data fetch mnist|fashion-mnist|all`` (see fetch.py).
"""
from minicnn.datasets.augment import Augment, affine_transform
from minicnn.datasets.catalog import (
    DATASETS, FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES, class_names)
from minicnn.datasets.embedded import load_embedded
from minicnn.datasets.errors import DatasetError
from minicnn.datasets.fetch import default_cache_dir, fetch
from minicnn.datasets.formats import (
    load_h5, load_h5_arrays, read_submission, save_h5, write_submission)
from minicnn.datasets.idx import read_idx, write_idx
from minicnn.datasets.loaders import load_dataset, load_fashion_mnist, load_mnist
from minicnn.datasets.preprocessing import (
    add_channel_axis, holdout_split, prepare_images, scale_images, to_categorical)

__all__ = [
    "Augment", "affine_transform",
    "DATASETS", "FASHION_MNIST_CLASS_NAMES", "MNIST_CLASS_NAMES", "class_names",
    "load_embedded", "DatasetError", "default_cache_dir", "fetch",
    "load_h5", "load_h5_arrays", "read_submission", "save_h5", "write_submission",
    "read_idx", "write_idx",
    "load_dataset", "load_fashion_mnist", "load_mnist",
    "add_channel_axis", "holdout_split", "prepare_images", "scale_images",
    "to_categorical",
]
