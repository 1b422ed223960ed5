"""What every report does to the images and labels before training.

    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    x_train = prepare_images(x_train)    # uint8 (N, 28, 28) -> float32 (N, 28, 28, 1), 0..1
    y_train = to_categorical(y_train, 10)  # uint8 (N,) -> float32 (N, 10) one-hot
    (x_tr, y_tr), (x_val, y_val) = holdout_split(x_train, y_train, validation_split=1/8)
"""
import math

import numpy as np

from minicnn.shapes import is_int


def scale_images(x):
    """uint8 pixels 0..255 -> float32 in [0, 1]: ``x.astype("float32") / 255``.

    Parameters
    ----------
    x : array of uint8 (or another integer dtype with values in 0..255), any shape.

    Returns
    -------
    float32 array of the same shape. Float input raises ValueError: it is
    probably scaled already, and scaling twice would silently shrink it.
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.integer):
        raise ValueError(
            f"scale_images expects integer pixels 0..255 (uint8), got {x.dtype}; "
            f"are the images already scaled?")
    if x.dtype != np.uint8 and x.size and (x.min() < 0 or x.max() > 255):
        raise ValueError(
            f"scale_images expects pixels 0..255, got {x.min()}..{x.max()}")
    return x.astype(np.float32) / np.float32(255)


def add_channel_axis(x):
    """(N, H, W) -> (N, H, W, 1): the NHWC layout Conv2D expects (a view)."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(
            f"add_channel_axis expects images of shape (N, H, W), got {x.shape}")
    return x[..., np.newaxis]


def prepare_images(x):
    """uint8 (N, H, W) -> float32 (N, H, W, 1) in [0, 1]: scale_images then add_channel_axis."""
    return add_channel_axis(scale_images(x))


def to_categorical(y, num_classes=None):
    """Integer class labels -> one-hot float32, like ``keras.utils.to_categorical``.

    Parameters
    ----------
    y : int array of shape S (a trailing axis of size 1 is dropped, as Keras does)
    num_classes : int, optional
        Default: ``max(y) + 1``.

    Returns
    -------
    float32 array of shape S + (num_classes,), with ``out[..., y] = 1``.
    """
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise ValueError(f"to_categorical expects integer labels, got {y.dtype} values "
                         f"(string class names? map them to 0..K-1 first)")
    if num_classes is not None and not is_int(num_classes):
        raise ValueError(f"to_categorical: num_classes must be an int, got {num_classes!r}")
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y.reshape(y.shape[:-1])
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if not np.all(y == np.round(y)):
            raise ValueError(f"to_categorical expects integer labels, got {y.dtype} values")
    y = y.astype(np.int64)
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(
            f"labels must lie in 0..{num_classes - 1} for num_classes={num_classes}, "
            f"got {y.min()}..{y.max()}")
    one_hot = np.zeros(y.shape + (num_classes,), dtype=np.float32)
    np.put_along_axis(one_hot, y[..., np.newaxis], 1.0, axis=-1)
    return one_hot


def holdout_split(x, y, validation_split, shuffle=False, seed=None):
    """Split off a validation set.

    shuffle=False: the *last* fraction, exactly like Keras's
    ``fit(validation_split=...)``: ``split_at = floor(N * (1 - validation_split))``,
    train = ``[:split_at]``, validation = ``[split_at:]``.
    shuffle=True: the same sizes, but the rows are drawn by a permutation
    from ``np.random.default_rng(seed)`` (seed may be an int or a Generator).

    Parameters
    ----------
    x : array (N, ...), y : array (N, ...)
    validation_split : float in (0, 1)

    Returns
    -------
    (x_train, y_train), (x_val, y_val)
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
    if not 0.0 < validation_split < 1.0:
        raise ValueError(f"validation_split must be in (0, 1), got {validation_split}")
    split_at = int(math.floor(len(x) * (1.0 - validation_split)))
    if shuffle:
        order = np.random.default_rng(seed).permutation(len(x))
        train_rows, val_rows = order[:split_at], order[split_at:]
        return (x[train_rows], y[train_rows]), (x[val_rows], y[val_rows])
    return (x[:split_at], y[:split_at]), (x[split_at:], y[split_at:])
