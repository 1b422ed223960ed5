"""Cross-entropy losses, computed the stable way.

For a batch of N samples and K classes, with predicted probabilities ``p`` and one-hot targets
``y``, the loss is the batch mean (Keras's reduction)::

    L = -(1/N) * sum_n sum_k y[n, k] * log p[n, k]

When the model's last step is a softmax, minicnn -- like Keras on TensorFlow -- never takes
``log(softmax(z))``: it computes the loss from the logits ``z`` with log-sum-exp, and the
gradient with respect to the logits collapses to a famous simple form::

    log p[n, k] = z[n, k] - logsumexp(z[n])       logsumexp(z) = m + log sum_j exp(z_j - m)
    dL/dz       = (softmax(z) - y) / N

Without a softmax in front (e.g. a sigmoid output) the loss is computed on the probabilities,
clipped to [1e-7, 1 - 1e-7] as Keras does, with gradient ``dL/dp = -y / (N * p)``.

``sparse_categorical_crossentropy`` is the same loss with integer class labels instead of
one-hot rows.
"""
import numpy as np

from minicnn.activations import softmax

EPSILON = 1e-7      # Keras's backend.epsilon(): clipping of probabilities


class TargetError(ValueError):
    """Labels that do not fit the loss (wrong form, wrong shape, out of range)."""


class CategoricalCrossentropy:
    """Cross-entropy with one-hot targets ``y_true`` of shape (N, K)."""

    name = "categorical_crossentropy"

    def __init__(self, from_logits=False):
        self.from_logits = from_logits

    # -- targets --------------------------------------------------------------------------
    def check_targets(self, y_true, num_classes):
        """Validate labels once, before training; raise TargetError saying what is expected."""
        y_true = np.asarray(y_true)
        if y_true.ndim != 2 or y_true.shape[1] != num_classes:
            hint = (" -- these look like integer class labels: use "
                    "loss='sparse_categorical_crossentropy' or one-hot them with "
                    f"minicnn.datasets.to_categorical(y, {num_classes})"
                    if y_true.ndim == 1 or (y_true.ndim == 2 and y_true.shape[1] == 1) else "")
            raise TargetError(f"{self.name} expects one-hot labels of shape (N, {num_classes}), "
                              f"got shape {y_true.shape}{hint}")
        if not np.all(np.isfinite(y_true)):
            raise TargetError(f"{self.name}: labels contain NaN or inf")
        if num_classes < 2:
            raise TargetError(f"{self.name} needs at least 2 outputs (a softmax over one value "
                              f"is always 1: nothing is learnt); for two classes use "
                              f"Dense(2, activation='softmax')")
        if y_true.size and (y_true.min() < 0 or y_true.max() > 1):
            raise TargetError(f"{self.name} expects one-hot (or probability) rows with values "
                              f"in [0, 1]; got values from {y_true.min():g} to {y_true.max():g}")

    def one_hot(self, y_true, num_classes, dtype):
        return np.asarray(y_true, dtype=dtype)

    # -- loss and gradient ----------------------------------------------------------------
    def loss_and_grad_from_logits(self, y_true, logits):
        """Fused softmax + cross-entropy: returns (mean loss, dL/dlogits = (p - y) / N)."""
        y = self.one_hot(y_true, logits.shape[-1], logits.dtype)
        n = logits.shape[0]
        shifted = logits - logits.max(axis=-1, keepdims=True)          # z - max z  (<= 0)
        log_sum_exp = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        log_p = shifted - log_sum_exp                                  # log softmax(z)
        loss = -(y * log_p).sum() / n
        dlogits = (np.exp(log_p) - y) / logits.dtype.type(n)
        return float(loss), dlogits

    def loss_and_grad(self, y_true, y_pred):
        """Cross-entropy on probabilities (no softmax to fuse with): (mean loss, dL/dy_pred)."""
        if self.from_logits:
            return self.loss_and_grad_from_logits(y_true, y_pred)
        y = self.one_hot(y_true, y_pred.shape[-1], y_pred.dtype)
        n = y_pred.shape[0]
        # Keras renormalises the rows, then clips away from 0 and 1 before the log.
        p = y_pred / y_pred.sum(axis=-1, keepdims=True)
        p_clipped = np.clip(p, EPSILON, 1 - EPSILON)
        loss = -(y * np.log(p_clipped)).sum() / n
        inside = (p > EPSILON) & (p < 1 - EPSILON)                     # clip passes gradient
        dp = np.where(inside, -y / (p_clipped * n), 0).astype(y_pred.dtype)
        # Chain rule through the renormalisation p = y_pred / s, s = sum_k y_pred_k.
        s = y_pred.sum(axis=-1, keepdims=True)
        dy_pred = (dp - (dp * p).sum(axis=-1, keepdims=True)) / s
        return float(loss), dy_pred

    def __call__(self, y_true, y_pred):
        """The loss value (probabilities in, or logits if ``from_logits=True``)."""
        return self.loss_and_grad(y_true, np.asarray(y_pred))[0]

    def __repr__(self):
        return f"{type(self).__name__}(from_logits={self.from_logits})"


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Cross-entropy with integer class labels ``y_true`` of shape (N,) or (N, 1)."""

    name = "sparse_categorical_crossentropy"

    def check_targets(self, y_true, num_classes):
        y_true = np.asarray(y_true)
        if y_true.ndim == 2 and y_true.shape[1] == 1:
            y_true = y_true[:, 0]
        if y_true.ndim != 1:
            hint = (" -- these look like one-hot rows: use loss='categorical_crossentropy'"
                    if y_true.ndim == 2 and y_true.shape[1] == num_classes else "")
            raise TargetError(f"{self.name} expects integer class labels of shape (N,), "
                              f"got shape {y_true.shape}{hint}")
        if y_true.dtype.kind == "f":
            if not np.all(np.isfinite(y_true)) or np.any(y_true != np.round(y_true)):
                raise TargetError(f"{self.name} expects integer class labels; got non-integer "
                                  f"values such as {y_true[y_true != np.round(y_true)][:3]}")
        elif y_true.dtype.kind not in "iub":
            raise TargetError(f"{self.name} expects integer class labels, got dtype "
                              f"{y_true.dtype}")
        if y_true.size and (y_true.min() < 0 or y_true.max() >= num_classes):
            raise TargetError(f"{self.name}: labels must lie in [0, {num_classes - 1}] for a "
                              f"model with {num_classes} outputs; got values from "
                              f"{y_true.min()} to {y_true.max()}")

    def one_hot(self, y_true, num_classes, dtype):
        labels = np.asarray(y_true).reshape(-1).astype(np.intp)
        y = np.zeros((labels.shape[0], num_classes), dtype=dtype)
        y[np.arange(labels.shape[0]), labels] = 1
        return y


LOSSES = {
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}


def get(identifier):
    """A loss object from a Keras name or a loss object."""
    if isinstance(identifier, str) and identifier.lower() in LOSSES:
        return LOSSES[identifier.lower()]()
    if isinstance(identifier, type):
        raise TypeError(f"loss: pass an instance, {identifier.__name__}(), not the class")
    if hasattr(identifier, "loss_and_grad"):
        return identifier
    raise ValueError(f"unknown loss {identifier!r}; valid names: " + ", ".join(LOSSES))


__all__ = ["CategoricalCrossentropy", "SparseCategoricalCrossentropy", "TargetError", "get",
           "softmax"]
