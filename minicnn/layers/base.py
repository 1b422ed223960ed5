"""The layer protocol every minicnn layer follows.

A layer is a plain Python object:

* ``__init__(...)`` takes configuration only, with Keras's argument names.
* ``build(input_shape)`` creates the parameters. ``input_shape`` is the shape of *one sample*
  (no batch axis): ``(28, 28, 1)`` for an MNIST image.
* ``compute_output_shape(input_shape)`` is pure arithmetic and raises ``ShapeError`` for
  impossible shapes.
* ``forward(x, training=False)`` takes a batch ``x`` of shape ``(N, *input_shape)`` and returns
  ``y``; it keeps what ``backward`` needs as named attributes (``self.x``, ``self.pool_argmax``).
* ``backward(dy)`` takes ``dL/dy`` and returns ``dL/dx``. It also fills ``self.grads`` with
  ``dL/dparam`` under the same keys and shapes as ``self.params`` (overwritten each call,
  never accumulated). It never modifies ``dy`` or the parameters: the optimizer updates
  ``self.params`` in place, outside the layer.

``self.params`` holds the trainable parameters (``"kernel"``, ``"bias"``, ... with Keras
shapes); ``self.non_trainable_params`` holds state that is saved with the weights but not
trained (e.g. BatchNormalization's moving statistics). ``self.regularizers`` maps parameter names
to weight penalties (``kernel_regularizer=l2(0.01)``, see ``minicnn.regularizers``): their sum is
``regularization_loss()`` and ``backward`` adds their gradients to ``self.grads``.
"""
import re

import numpy as np

from minicnn import regularizers
from minicnn.shapes import per_sample_shape


def default_name(cls):
    """Keras's automatic layer name: ``Conv2D -> conv2d``, ``MaxPooling2D -> max_pooling2d``."""
    # Keras's to_snake_case: split before a capitalised word, then between lower and upper case.
    name = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", cls.__name__)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


_FLOATX = "float32"


def set_floatx(dtype):
    """Default dtype for new parameters: ``"float32"`` (default) or ``"float64"``."""
    global _FLOATX
    if str(np.dtype(dtype)) not in ("float32", "float64"):
        raise ValueError(f"floatx must be 'float32' or 'float64', got {dtype!r}")
    _FLOATX = str(np.dtype(dtype))


def floatx():
    """The dtype new parameters are created in (``"float32"`` unless ``set_floatx`` changed it)."""
    return _FLOATX


class Layer:
    """Base class: naming, shapes, parameter bookkeeping and ``__repr__``."""

    trainable = True
    # False while a model trains and this is its first layer: then dL/dx would be the gradient
    # for the input images, which nothing uses, so Conv2D/Dense skip computing it and return
    # None (Keras and PyTorch skip it too). ``Sequential.backward`` sets it on every call.
    input_gradient_needed = True

    def __init__(self, name=None, input_shape=None, **unsupported):
        if unsupported:       # a Keras option minicnn does not have, or a misspelling
            hint = " (use input_shape=(D,))" if "input_dim" in unsupported else ""
            raise TypeError(f"{type(self).__name__}: unsupported argument(s) "
                            f"{', '.join(sorted(unsupported))}{hint}; see docs/layers.md for "
                            f"what minicnn's {type(self).__name__} takes")
        self.name = name
        # Keras lets the first layer declare the model's input: Conv2D(..., input_shape=(28, 28, 1)).
        self.declared_input_shape = (None if input_shape is None else
                                     per_sample_shape(input_shape, name or type(self).__name__))
        self.params = {}                # trainable: the optimizer updates these
        self.grads = {}                 # dL/dparam after backward, same keys as params
        self.non_trainable_params = {}  # saved with the weights, never trained
        self.regularizers = {}          # {param name: penalty}, e.g. {"kernel": L2(0.01)}
        self.built = False
        self.input_shape = None         # per-sample shapes (no batch axis)
        self.output_shape = None

    # -- shapes and parameters ---------------------------------------------------------
    def build(self, input_shape):
        """Record the shapes; subclasses create their parameters, then call this."""
        self.input_shape = tuple(input_shape)
        self.output_shape = tuple(self.compute_output_shape(self.input_shape))
        self.built = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    @property
    def layer_name(self):
        return self.name or default_name(type(self))

    def weights(self):
        """All parameters, trainable first, as an ordered ``{name: array}`` dict (Keras order)."""
        return {**self.params, **self.non_trainable_params}

    def count_params(self):
        return sum(p.size for p in self.weights().values())

    def count_trainable_params(self):
        return sum(p.size for p in self.params.values())

    def explain(self):
        """Lines for ``summary(explain=True)``: the output-size and parameter arithmetic with
        this layer's numbers. Layers without either (activations, dropout) explain nothing."""
        return []

    def get_config(self):
        """The constructor arguments (Keras's ``get_config``)."""
        return {"name": self.layer_name}

    # -- weight penalties (minicnn.regularizers) ----------------------------------------------
    @staticmethod
    def _regularizer_argument(param_name):
        """Keras's argument name: ``kernel -> kernel_regularizer``,
        ``depthwise_kernel -> depthwise_regularizer``."""
        return param_name.replace("_kernel", "") + "_regularizer"

    def _set_regularizers(self, **by_param):
        """``kernel=l2(0.01), bias=None`` (the ``*_regularizer`` arguments, keyed by the parameter
        they penalise) -> ``self.regularizers == {"kernel": L2(0.01)}``."""
        for param_name, identifier in by_param.items():
            regularizer = regularizers.get(identifier, self._regularizer_argument(param_name),
                                           self.layer_name)
            if regularizer is not None:
                self.regularizers[param_name] = regularizer

    def _regularizer_config(self):
        """``{"kernel_regularizer": {"class_name": "L2", ...}}`` for the penalties that are set."""
        return {self._regularizer_argument(name): regularizers.serialize(reg)
                for name, reg in self.regularizers.items()}

    def regularization_loss(self):
        """The sum of this layer's weight penalties, e.g. ``l2 * sum(kernel**2)`` (0.0 if none)."""
        return sum((reg(self.params[name]) for name, reg in self.regularizers.items()
                    if name in self.params), 0.0)

    def _add_regularization_gradients(self):
        """Called at the end of ``backward``: ``grads[name] += d(penalty)/d(param)``."""
        for name, reg in self.regularizers.items():
            if name in self.params:
                self.grads[name] = self.grads[name] + reg.gradient(self.params[name])

    def _check_input(self, x):
        """Clear error when a batch does not match the shape the layer was built for."""
        if not self.built:
            raise RuntimeError(f"{self.layer_name}: call build(input_shape) before forward")
        if x.shape[1:] != self.input_shape:
            raise ValueError(
                f"{self.layer_name}: expected input of shape (N, "
                f"{', '.join(map(str, self.input_shape))}) but got {x.shape}")

    def __repr__(self):
        config = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        params = f", params={self.count_params():,}" if self.built else ""
        return f"{type(self).__name__}({self.layer_name!r}{', ' if config else ''}{config}{params})"
