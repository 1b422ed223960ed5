"""Weight penalties added to the loss: ``kernel_regularizer=l2(0.01)`` and friends (Keras's names).

For a parameter ``w`` a regulariser adds a penalty to the loss and its gradient to ``dL/dw``::

    l1(l1=0.01)               penalty = l1 * sum(|w|)                gradient = l1 * sign(w)
    l2(l2=0.01)               penalty = l2 * sum(w**2)               gradient = 2 * l2 * w
    l1_l2(l1=0.01, l2=0.01)   the sum of both

Keras adds ``l2 * sum(w**2)`` -- no factor 1/2 -- so ``l2(0.01)`` here is ``l2(0.01)`` there.
The strings ``"l1"``, ``"l2"``, ``"l1_l2"`` mean the same with Keras's default 0.01.

Where the two halves happen (both visible in the code):

* the **penalty**: a layer's ``regularization_loss()`` sums the penalties of its regularised
  parameters; ``Sequential.regularization_loss()`` sums over the layers and the model adds it to
  the data loss, in training *and* in ``evaluate`` -- the reported loss includes it, as in Keras;
* the **gradient**: each layer's ``backward`` ends with ``self._add_regularization_gradients()``,
  which adds ``regularizer.gradient(w)`` to ``self.grads[name]``.

The penalty does not depend on the batch, so it is added once per batch, not per sample.
"""
import numpy as np


class Regularizer:
    """Base class: ``penalty = reg(w)`` (a float) and ``reg.gradient(w)`` (an array like ``w``)."""

    def __call__(self, w):
        raise NotImplementedError

    def gradient(self, w):
        raise NotImplementedError

    def get_config(self):
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class L1L2(Regularizer):
    """``l1 * sum(|w|) + l2 * sum(w**2)``; the gradient of ``|w|`` at exactly 0 is taken as 0."""

    def __init__(self, l1=0.0, l2=0.0):
        for name, value in (("l1", l1), ("l2", l2)):
            if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0):
                raise ValueError(f"{type(self).__name__}: {name} must be a number >= 0, "
                                 f"got {value!r}")
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, w):
        penalty = 0.0
        if self.l1:
            penalty += self.l1 * float(np.sum(np.abs(w)))
        if self.l2:
            penalty += self.l2 * float(np.sum(np.square(w)))
        return penalty

    def gradient(self, w):
        grad = np.zeros_like(w)
        if self.l1:
            grad += w.dtype.type(self.l1) * np.sign(w)
        if self.l2:
            grad += w.dtype.type(2.0 * self.l2) * w
        return grad

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """``l1 * sum(|w|)``; ``L1(0.01)`` (Keras's ``l1``; ``l=`` is accepted as in tf.keras 2.x)."""

    def __init__(self, l1=0.01, l=None):
        super().__init__(l1=l1 if l is None else l)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    """``l2 * sum(w**2)``; ``L2(0.01)`` (Keras's ``l2``; ``l=`` is accepted as in tf.keras 2.x)."""

    def __init__(self, l2=0.01, l=None):
        super().__init__(l2=l2 if l is None else l)

    def get_config(self):
        return {"l2": self.l2}


# Keras's lower-case names.
l1 = L1
l2 = L2


def l1_l2(l1=0.01, l2=0.01):
    """``l1 * sum(|w|) + l2 * sum(w**2)`` with Keras's defaults (0.01 each)."""
    return L1L2(l1=l1, l2=l2)


REGULARIZERS = {"l1": l1, "l2": l2, "l1_l2": l1_l2}


def get(identifier, argument="kernel_regularizer", layer_name="layer"):
    """``None``, a name ("l1", "l2", "l1_l2": Keras's defaults), a ``Regularizer``, or a Keras
    config dict ``{"class_name": "L2", "config": {"l2": 0.01}}`` -> a regulariser (or None)."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in REGULARIZERS:
        return REGULARIZERS[identifier.lower()]()
    if isinstance(identifier, dict) and set(identifier) == {"class_name", "config"}:
        classes = {"L1": L1, "L2": L2, "L1L2": L1L2}
        if identifier["class_name"] in classes:
            return classes[identifier["class_name"]](**identifier["config"])
    raise ValueError(f"{layer_name}: unknown {argument} {identifier!r}; valid names: "
                     + ", ".join(REGULARIZERS) + " (or an object such as "
                     "minicnn.regularizers.l2(0.01))")


def serialize(regularizer):
    """Keras's config form: ``L2(0.01) -> {"class_name": "L2", "config": {"l2": 0.01}}``."""
    if regularizer is None:
        return None
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}
