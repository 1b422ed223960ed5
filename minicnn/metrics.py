"""Metrics named in ``compile(metrics=[...])``, averaged over samples like Keras.

A metric is a function ``f(y_true, y_pred) -> (sum over the batch, number of samples)`` so the
trainer can keep an exact running mean over an epoch (Keras weights each batch by its size).

``"accuracy"`` (or ``"acc"``) means the fraction of samples whose arg-max prediction is the true
class; like Keras, the form of the labels (integers or one-hot rows) is taken from the loss.
"""
import numpy as np


def _labels(y_true):
    """Class indices from integer labels (N,) / (N, 1) or one-hot rows (N, K)."""
    y_true = np.asarray(y_true)
    if y_true.ndim == 2 and y_true.shape[1] > 1:
        return y_true.argmax(axis=1)
    return y_true.reshape(-1)


def accuracy(y_true, y_pred):
    """(number correct, batch size) for class probabilities ``y_pred`` of shape (N, K)."""
    correct = np.count_nonzero(y_pred.argmax(axis=-1) == _labels(y_true))
    return float(correct), y_pred.shape[0]


METRICS = {"accuracy": accuracy, "acc": accuracy}


def get(identifier):
    """(name logged in History, function) for a metric name or a ``(name, function)`` pair."""
    if isinstance(identifier, str) and identifier.lower() in METRICS:
        return identifier, METRICS[identifier.lower()]
    if callable(identifier):
        return identifier.__name__, identifier
    raise ValueError(f"unknown metric {identifier!r}; valid names: " + ", ".join(METRICS))
