"""Metrics for ``compile(metrics=[...])``, and ``confusion_matrix``.

A metric is a small stateful object, as in Keras: ``reset_state()`` at the start of an epoch,
``update_state(y_true, y_pred)`` after every batch, ``result()`` for the value logged so far.
Labels may be integer classes ``(N,)`` / ``(N, 1)`` or one-hot rows ``(N, K)``; predictions are
class probabilities ``(N, K)``.

=================================  ==================================================================
name in compile                    value
=================================  ==================================================================
"accuracy" / "acc"                 fraction of samples whose arg-max is the true class
"top_k_accuracy" (k = 5)           fraction whose true class is among the k largest outputs
"precision", "recall", "f1_score"  macro averages over the classes, from the whole epoch's
                                   confusion matrix (arg-max predictions)
"f1_batchwise"                     report 001's ``f1_score_``: per batch, macro F1 of the *rounded*
                                   outputs (``round(p)``) against one-hot labels; the epoch value
                                   is the mean over batches, as Keras averages a function metric
a function ``f(y_true, y_pred)``   Keras's rule: per-sample values are averaged over samples, a
                                   scalar per batch is averaged over batches; logged under its
                                   ``__name__``
=================================  ==================================================================

Macro averages count every class equally: for class c, precision = TP/(TP+FP), recall =
TP/(TP+FN), F1 = 2PR/(P+R) (0 where undefined), then the mean over the classes that occur.
"""
import numpy as np

EPSILON = 1e-7        # Keras's backend.epsilon(), as 001's f1_score_ uses it


def class_indices(y_true):
    """Class indices (N,) from integer labels (N,) / (N, 1) or one-hot rows (N, K)."""
    y_true = np.asarray(y_true)
    if y_true.ndim == 2 and y_true.shape[1] > 1:
        return y_true.argmax(axis=1)
    return y_true.reshape(-1).astype(np.intp)


def one_hot_labels(y_true, num_classes):
    """One-hot rows (N, K) from either label form."""
    y_true = np.asarray(y_true)
    if y_true.ndim == 2 and y_true.shape[1] == num_classes and num_classes > 1:
        return y_true.astype(np.float64)
    return np.eye(num_classes)[class_indices(y_true)]


def confusion_matrix(y_true, y_pred, num_classes=None):
    """``cm[t, p]`` = number of samples of true class t predicted as class p.

    ``y_true`` and ``y_pred`` may be class indices, one-hot rows or (for ``y_pred``)
    probabilities; ``num_classes`` defaults to the largest class seen + 1.
    """
    t, p = class_indices(y_true), class_indices(y_pred)
    if num_classes is None:
        num_classes = int(max(t.max(initial=-1), p.max(initial=-1))) + 1
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (t, p), 1)
    return cm


def _per_class_scores(cm):
    """(precision, recall, f1) per class from a confusion matrix; 0 where undefined."""
    tp = np.diag(cm).astype(np.float64)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return precision, recall, f1


# -- per-sample and per-batch functions ---------------------------------------------------------
def accuracy(y_true, y_pred):
    """Per-sample 1.0 / 0.0: is the arg-max of the prediction the true class?"""
    return (np.asarray(y_pred).argmax(axis=-1) == class_indices(y_true)).astype(np.float64)


def top_k_accuracy(y_true, y_pred, k=5):
    """Per-sample 1.0 / 0.0: is the true class among the k largest outputs?"""
    y_pred = np.asarray(y_pred)
    labels = class_indices(y_true)
    true_score = y_pred[np.arange(len(labels)), labels]
    # Ranked by "how many outputs are strictly larger", so ties favour the true class (as TF).
    return ((y_pred > true_score[:, None]).sum(axis=1) < k).astype(np.float64)


def f1_batchwise(y_true, y_pred):
    """Report 001's ``f1_score_`` on one batch (a scalar): macro F1 of ``round(y_pred)``.

    Exactly the report's Keras code: tp, fp, fn summed over the batch per class from rounded
    probabilities, precision/recall/F1 with epsilon in the denominators, mean over classes.
    """
    y_pred = np.round(np.asarray(y_pred, dtype=np.float64))
    y = one_hot_labels(y_true, y_pred.shape[-1])
    tp = (y * y_pred).sum(axis=0)
    fp = ((1 - y) * y_pred).sum(axis=0)
    fn = (y * (1 - y_pred)).sum(axis=0)
    precision = tp / (tp + fp + EPSILON)
    recall = tp / (tp + fn + EPSILON)
    return float(np.mean(2 * precision * recall / (precision + recall + EPSILON)))


# -- stateful metric objects ------------------------------------------------------------------
class Metric:
    """Base: ``reset_state``, ``update_state(y_true, y_pred)``, ``result()``."""
    name = "metric"

    def reset_state(self):
        raise NotImplementedError

    def update_state(self, y_true, y_pred):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


class MeanMetricWrapper(Metric):
    """Average of ``fn(y_true, y_pred)``: over samples for per-sample arrays, over batches for
    scalars (Keras's ``MeanMetricWrapper``: a scalar counts as one value)."""

    def __init__(self, fn, name=None, **kwargs):
        self.fn, self.kwargs = fn, kwargs
        self.name = name or fn.__name__
        self.reset_state()

    def reset_state(self):
        self.total, self.count = 0.0, 0

    def update_state(self, y_true, y_pred):
        values = np.asarray(self.fn(y_true, y_pred, **self.kwargs), dtype=np.float64)
        self.total += float(values.sum())
        self.count += values.size

    def result(self):
        return self.total / self.count if self.count else 0.0


class ConfusionMatrixMetric(Metric):
    """Macro precision / recall / F1 from the confusion matrix accumulated over the epoch."""

    def __init__(self, score="f1", name=None):
        if score not in ("precision", "recall", "f1"):
            raise ValueError(f"score must be 'precision', 'recall' or 'f1', got {score!r}")
        self.score = score
        self.name = name or {"f1": "f1_score"}.get(score, score)
        self.reset_state()

    def reset_state(self):
        self.cm = None

    def update_state(self, y_true, y_pred):
        cm = confusion_matrix(y_true, y_pred, num_classes=np.asarray(y_pred).shape[-1])
        self.cm = cm if self.cm is None else self.cm + cm

    def result(self):
        if self.cm is None:
            return 0.0
        precision, recall, f1 = _per_class_scores(self.cm)
        present = self.cm.sum(axis=1) + self.cm.sum(axis=0) > 0   # classes that occur at all
        values = {"precision": precision, "recall": recall, "f1": f1}[self.score]
        return float(values[present].mean()) if present.any() else 0.0


METRICS = {
    "accuracy": lambda: MeanMetricWrapper(accuracy, "accuracy"),
    "acc": lambda: MeanMetricWrapper(accuracy, "acc"),
    "top_k_accuracy": lambda: MeanMetricWrapper(top_k_accuracy, "top_k_accuracy", k=5),
    "precision": lambda: ConfusionMatrixMetric("precision"),
    "recall": lambda: ConfusionMatrixMetric("recall"),
    "f1_score": lambda: ConfusionMatrixMetric("f1"),
    "f1_batchwise": lambda: MeanMetricWrapper(f1_batchwise, "f1_batchwise"),
}


def get(identifier):
    """A fresh metric object from a name, a ``Metric`` or a function ``f(y_true, y_pred)``."""
    if isinstance(identifier, str) and identifier.lower() in METRICS:
        return METRICS[identifier.lower()]()
    if isinstance(identifier, Metric):
        return identifier
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise ValueError(f"unknown metric {identifier!r}; valid names: " + ", ".join(METRICS))
