"""Residual: a block ``y = activation(main(x) + shortcut(x))`` usable inside ``Sequential``.

002's small ResNet is written with Keras's functional API; its only non-sequential piece is the
residual block, so minicnn expresses it as one layer holding two short chains of layers::

    Residual(main=[Conv2D(64, 3, strides=2, padding="same"), BatchNormalization(), ReLU(),
                   Conv2D(64, 3, padding="same"), BatchNormalization()],
             shortcut=[Conv2D(64, 1, strides=2, padding="same")],    # default []: identity
             activation="relu")                                      # after the add (optional)

Forward runs both chains on the same input and adds the results (their shapes must agree)::

    a = main(x);   b = shortcut(x)  (b = x when shortcut=[]);   y = activation(a + b)

Backward: the add copies its gradient to both branches, and x receives the sum of what
comes back through them (the gradient of x used twice is the sum of its two uses)::

    dz = activation.backward(dy)
    dx = main.backward(dz) + shortcut.backward(dz)         (shortcut.backward = identity if [])

Parameters. The block's sublayers keep their own parameters and gradients (each one's math
stays in its own module). The block shows them to the optimizer, ``get_weights``/``set_weights``,
saving and the gradient checker as if they were its own, named ``"<sublayer>/<parameter>"``
(``"conv2d/kernel"``, ``"batch_normalization/moving_mean"``): ``block.params``, ``block.grads``
and ``block.non_trainable_params`` are live views -- reading an entry reads the sublayer's
array, assigning one assigns it in the sublayer. The parameter count is the sum of the
sublayers' counts, exactly as Keras counts the same layers in a functional model; the model's
``summary()`` shows the block as one row with that count, ``block.summary()`` lists its layers.

Sublayers are named inside the block with Keras's numbering (conv2d, conv2d_1, ...).
"""
from collections.abc import MutableMapping

import numpy as np

from minicnn import activations
from minicnn.layers.base import Layer, default_name
from minicnn.shapes import ShapeError, format_shape


class SublayerDict(MutableMapping):
    """A live ``{"sublayer/name": array}`` view of one dict attribute (``"params"``, ``"grads"``,
    ``"non_trainable_params"``) of several layers; reads and writes go to the sublayers."""

    def __init__(self, layers, attribute):
        self.layers = layers
        self.attribute = attribute

    def _locate(self, key):
        layer_name, _, name = key.partition("/")
        for layer in self.layers:
            if layer.layer_name == layer_name:
                return getattr(layer, self.attribute), name
        raise KeyError(key)

    def __getitem__(self, key):
        store, name = self._locate(key)
        return store[name]

    def __setitem__(self, key, value):
        store, name = self._locate(key)
        store[name] = value

    def __delitem__(self, key):
        store, name = self._locate(key)
        del store[name]

    def __iter__(self):
        for layer in self.layers:
            for name in getattr(layer, self.attribute):
                yield f"{layer.layer_name}/{name}"

    def __len__(self):
        return sum(len(getattr(layer, self.attribute)) for layer in self.layers)

    def __repr__(self):
        return repr({key: getattr(value, "shape", value) for key, value in self.items()})


def _sublayer_view(attribute):
    """A property: reading gives a live view; assigning a whole dict replaces each sublayer's."""

    def get(self):
        return SublayerDict(self.sublayers, attribute)

    def set(self, mapping):
        mapping = dict(mapping)
        for layer in self.sublayers:
            prefix = layer.layer_name + "/"
            setattr(layer, attribute, {key[len(prefix):]: value for key, value in mapping.items()
                                       if key.startswith(prefix)})

    return property(get, set)


class Residual(Layer):
    """``Residual(main=[...], shortcut=[], activation=None)``:
    ``y = activation(main(x) + shortcut(x))``."""

    params = _sublayer_view("params")
    grads = _sublayer_view("grads")
    non_trainable_params = _sublayer_view("non_trainable_params")

    def __init__(self, main, shortcut=(), activation=None, name=None, **kwargs):
        self.sublayers = []                 # Layer.__init__ assigns empty dicts through the views
        super().__init__(name, **kwargs)
        self.main = [self._as_layer(layer) for layer in main]
        self.shortcut = [self._as_layer(layer) for layer in shortcut]
        if not self.main:
            raise ValueError(f"{self.layer_name}: main must hold at least one layer")
        self.activation = activations.get(activation, self.layer_name)
        self.sublayers = self.main + self.shortcut
        self._name_sublayers()

    def _as_layer(self, entry):
        """A layer, or its saved form ``{"class_name": "Conv2D", "config": {...}}`` (get_config)."""
        if isinstance(entry, Layer):
            return entry
        if isinstance(entry, dict) and set(entry) == {"class_name", "config"}:
            from minicnn import layers                 # the package imports this module
            if entry["class_name"] in layers.__all__:
                return getattr(layers, entry["class_name"])(**entry["config"])
        raise TypeError(f"{self.layer_name}: main and shortcut must hold minicnn layers, "
                        f"got {entry!r}")

    def _name_sublayers(self):
        """Keras's numbering within the block: conv2d, conv2d_1, batch_normalization, ..."""
        taken = set()
        for layer in self.sublayers:
            if layer.name is None:
                base, k = default_name(type(layer)), 0
                layer.name = base
                while layer.name in taken:
                    k += 1
                    layer.name = f"{base}_{k}"
            elif layer.name in taken:
                raise ValueError(f"{self.layer_name}: two sublayers are named {layer.name!r}")
            taken.add(layer.name)

    # -- shapes ---------------------------------------------------------------------------
    @staticmethod
    def _chain_shape(layers, shape):
        for layer in layers:
            shape = layer.compute_output_shape(shape)
        return tuple(shape)

    def compute_output_shape(self, input_shape):
        main_shape = self._chain_shape(self.main, input_shape)
        shortcut_shape = self._chain_shape(self.shortcut, input_shape)
        if main_shape != shortcut_shape:
            raise ShapeError(
                f"{self.layer_name}: cannot add the main path's output {format_shape(main_shape)} "
                f"to the shortcut's {format_shape(shortcut_shape)}; give the shortcut layers that "
                f"produce the same shape, e.g. shortcut=[Conv2D({main_shape[-1]}, 1, strides=2, "
                f"padding='same')] when the main path halves the image")
        return main_shape

    def build(self, input_shape):
        self.compute_output_shape(input_shape)       # fail early, before building anything
        for chain in (self.main, self.shortcut):
            shape = tuple(input_shape)
            for layer in chain:
                if not layer.built:
                    layer.build(shape)
                shape = layer.output_shape
        super().build(input_shape)

    # -- forward and backward ---------------------------------------------------------------
    def forward(self, x, training=False):
        a = x
        for layer in self.main:
            a = layer.forward(a, training=training)
        b = x
        for layer in self.shortcut:
            b = layer.forward(b, training=training)
        return self.activation.forward(a + b, inplace=True)      # a + b is a new array

    def backward(self, dy, through_activation=True):
        # the add passes dz to both branches (through_activation=False: dy already is dL/dz)
        dz = self.activation.backward(dy) if through_activation else dy
        da = dz
        for layer in reversed(self.main):
            da = layer.backward(da)
        db = dz
        for layer in reversed(self.shortcut):
            db = layer.backward(db)
        return da + db                                # x feeds both branches: gradients add

    # -- parameters ----------------------------------------------------------------------------
    def weights(self):
        """Sublayer by sublayer, each in Keras order (kernel, bias / gamma, beta, moving_mean...)."""
        return {f"{layer.layer_name}/{name}": w for layer in self.sublayers
                for name, w in layer.weights().items()}

    def regularization_loss(self):
        return sum((layer.regularization_loss() for layer in self.sublayers), 0.0)

    # -- randomness (Dropout inside a block) ------------------------------------------------
    @property
    def rng(self):
        """The generators of the stochastic sublayers (Dropout), so that ``fit(seed=...)`` and
        the gradient checker's frozen masks reach inside the block."""
        return [layer.rng for layer in self.sublayers if hasattr(layer, "rng")]

    @rng.setter
    def rng(self, value):
        stochastic = [layer for layer in self.sublayers if hasattr(layer, "rng")]
        if isinstance(value, np.random.Generator):      # fit(seed=...) hands over one generator
            seeds = value.integers(0, 2**63, size=len(stochastic))
            value = [np.random.default_rng(int(seed)) for seed in seeds]
        for layer, generator in zip(stochastic, value):
            layer.rng = generator

    def get_config(self):
        """Nested configs, so ``Residual(**block.get_config())`` rebuilds the block (saving)."""
        def entries(chain):
            return [{"class_name": type(layer).__name__, "config": layer.get_config()}
                    for layer in chain]
        return {"name": self.layer_name, "main": entries(self.main),
                "shortcut": entries(self.shortcut), "activation": self.activation.name}

    def __repr__(self):
        def names(chain):
            return "[" + ", ".join(type(layer).__name__ for layer in chain) + "]"
        params = f", params={self.count_params():,}" if self.built else ""
        return (f"Residual({self.layer_name!r}, main={names(self.main)}, "
                f"shortcut={names(self.shortcut)}, activation={self.activation.name!r}{params})")

    def summary(self, print_fn=print):
        """One line per sublayer: ``main/conv2d (Conv2D)  (None, 14, 14, 64)  640``."""
        for branch, chain in (("main", self.main), ("shortcut", self.shortcut)):
            for layer in chain:
                print_fn(f"{branch}/{layer.layer_name} ({type(layer).__name__})".ljust(48)
                         + format_shape(layer.output_shape).ljust(22) + f"{layer.count_params():,}")
        if not self.shortcut:
            print_fn("shortcut: identity")
