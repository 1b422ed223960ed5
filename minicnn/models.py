"""Sequential: a stack of layers, and the training loop around it.

One training step is four visible lines (``train_on_batch``)::

    y_pred = self.forward(x, training=True)             # each layer's forward, in order
    loss, dy, through_final = self._loss_and_grad(y, y_pred)
    self.backward(dy, through_final, input_gradient=False)   # each backward, in reverse
    self.optimizer.apply_gradients(self.layers)          # update params in place from grads

When the model ends in a softmax and the loss is a cross-entropy, ``_loss_and_grad`` computes
both from the logits (the softmax's input) and returns ``dL/dlogits = (p - y) / N``; the last
layer's backward then skips its softmax (``through_activation=False``). That is what Keras on
TensorFlow does internally, and it is why the loss never turns into ``log(0)``.

``fit`` adds what Keras's ``fit`` does around that step: validation split (the *last* fraction
of the data, taken before shuffling), a fresh permutation each epoch, ``ceil(N / batch_size)``
steps with the last partial batch kept, running means of the loss and metrics over the epoch,
validation at the end of each epoch, callbacks, and a ``History``.
"""
import math
import warnings

import numpy as np

from minicnn import losses as losses_module
from minicnn import metrics as metrics_module
from minicnn import optimizers as optimizers_module
from minicnn import saving
from minicnn.activations import Softmax
from minicnn.backend import training_threads
from minicnn.callbacks import BackupAndRestore, Callback, History, ProgbarLogger
from minicnn.datasets.preprocessing import holdout_split
from minicnn.layers.base import Layer, default_name, floatx
from minicnn.layers.core import Input
from minicnn.rng import check_seed, child_generator
from minicnn.shapes import format_shape, is_int, per_sample_shape


_NON_FINITE_ADVICE = "Try a smaller learning rate or check the inputs."


class NonFiniteLossError(FloatingPointError):
    """Training produced a NaN/inf loss or gradient (the update is skipped: the model keeps the
    last finite weights), or an update made a weight NaN/inf (the message names it).
    ``error.history`` holds the epochs completed before it."""

    def __init__(self, message, history=None):
        super().__init__(message)
        self.history = history


class Sequential:
    """A linear stack of layers: ``Sequential([Conv2D(32, 3, activation="relu"), ...],
    input_shape=(28, 28, 1))`` (or a first ``Input((28, 28, 1))``, or ``input_shape=`` on the
    first layer, as Keras allows)."""

    def __init__(self, layers=None, input_shape=None, name="sequential"):
        self.name = name
        self.layers = []
        self.input_shape = None if input_shape is None else self._strip_batch(input_shape)
        self.built = False
        self.optimizer = None
        self.loss = None
        self.metrics = []                 # metric objects (minicnn.metrics), logged by name
        self.stop_training = False
        if isinstance(layers, Layer):
            raise TypeError(f"Sequential takes a list of layers: Sequential([{layers!r}, ...])")
        for layer in layers or []:
            self.add(layer)

    # -- building ------------------------------------------------------------------------
    @staticmethod
    def _strip_batch(shape):
        """Accept ``(28, 28, 1)`` or Keras's batch shape ``(None, 28, 28, 1)``."""
        return per_sample_shape(shape, "Sequential")

    def add(self, layer):
        """Append a layer (or, first of all, an ``Input``); builds it at once if shapes are known."""
        if isinstance(layer, Input):
            if self.layers:
                raise ValueError(f"{self.name}: Input must come before every layer")
            self.input_shape = layer.shape
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"{self.name}.add expects a minicnn layer, got {layer!r}")
        taken = {existing.layer_name for existing in self.layers}
        if layer.name is None:
            base = default_name(type(layer))
            layer.name, k = base, 0
            while layer.name in taken:               # Keras numbering: dense, dense_1, dense_2 ...
                k += 1
                layer.name = f"{base}_{k}"
        elif layer.name in taken:
            raise ValueError(f"{self.name}: a layer named {layer.name!r} already exists")
        if not self.layers and self.input_shape is None and layer.declared_input_shape:
            self.input_shape = self._strip_batch(layer.declared_input_shape)
        self.layers.append(layer)
        if self.input_shape is not None:
            self.build()

    def build(self, input_shape=None):
        """Build every layer from the per-sample ``input_shape`` (batch axis optional)."""
        if input_shape is not None:
            self.input_shape = self._strip_batch(input_shape)
        if self.input_shape is None:
            raise ValueError(f"{self.name}: the input shape is unknown; pass input_shape=(28, 28, 1)"
                             f" to Sequential, start with Input((28, 28, 1)), or call "
                             f"build(input_shape)")
        shape = self.input_shape
        for layer in self.layers:
            if not layer.built:
                layer.build(shape)
            elif layer.input_shape != shape:
                raise ValueError(f"{layer.layer_name} was built for input {format_shape(layer.input_shape)}"
                                 f" but receives {format_shape(shape)}")
            shape = layer.output_shape
        self.built = bool(self.layers)
        return self

    @property
    def output_shape(self):
        return self.layers[-1].output_shape if self.built else None

    @property
    def dtype(self):
        """The parameter dtype (float32 unless built with ``set_floatx("float64")`` or cast)."""
        for layer in self.layers:
            for p in layer.params.values():
                return p.dtype
        return np.dtype(floatx())

    def count_params(self):
        self._require_built("count_params")
        return sum(layer.count_params() for layer in self.layers)

    def _require_built(self, what):
        if not self.built:
            raise ValueError(f"{self.name}: call build(input_shape) (or give input_shape) "
                             f"before {what}")

    # -- forward and backward (what a training step is made of) -----------------------------
    def forward(self, x, training=False):
        """Run every layer's forward in order: (N, *input_shape) -> (N, *output_shape)."""
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    def __call__(self, x, training=False):
        """``model(x)``: ``forward`` after the input checks ``predict`` makes (shape, numeric,
        finite), in one batch."""
        return self.forward(self._check_x(x, "model(x)"), training=training)

    def backward(self, dy, through_final_activation=True, input_gradient=True):
        """Run every layer's backward in reverse order; returns dL/dx of the model's input.

        ``through_final_activation=False`` means ``dy`` is already the gradient with respect to
        the last layer's pre-activation (the fused softmax + cross-entropy case).
        ``input_gradient=False`` (training) lets the first layer skip dL/dx and return None.
        """
        first, last = self.layers[0], self.layers[-1]
        first.input_gradient_needed = input_gradient
        try:
            if through_final_activation:
                dx = last.backward(dy)
            else:
                dx = last.backward(dy, through_activation=False)
            for layer in reversed(self.layers[:-1]):
                dx = layer.backward(dx)
        finally:
            first.input_gradient_needed = True      # a layer on its own always returns dx
        return dx

    @property
    def fused_softmax_loss(self):
        """True when the model ends in softmax and the loss is a cross-entropy on probabilities."""
        last_activation = getattr(self.layers[-1], "activation", None) if self.layers else None
        return (isinstance(last_activation, Softmax)
                and isinstance(self.loss, losses_module.CategoricalCrossentropy)
                and not self.loss.from_logits)

    def _loss_and_grad(self, y_true, y_pred):
        """(loss, dL/d(something), through_final_activation) for a forward's output.

        The loss includes the weight penalties (``regularization_loss()``), as Keras's does in
        training and in ``evaluate``; their gradients are added by each layer's ``backward``.
        """
        penalty = self.regularization_loss()
        if self.fused_softmax_loss:
            logits = self.layers[-1].activation.z         # the softmax's input, kept by forward
            loss, dlogits = self.loss.loss_and_grad_from_logits(y_true, logits)
            return loss + penalty, dlogits, False
        loss, dy_pred = self.loss.loss_and_grad(y_true, y_pred)
        return loss + penalty, dy_pred, True

    def regularization_loss(self):
        """Sum of every layer's weight penalties (``kernel_regularizer=l2(0.01)`` adds
        ``0.01 * sum(kernel**2)``); 0.0 when no layer has a regulariser. See minicnn.regularizers."""
        return sum((layer.regularization_loss() for layer in self.layers), 0.0)

    # -- compile and train -----------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None):
        """Choose optimizer, loss and metrics (objects or Keras names such as "adam",
        "sparse_categorical_crossentropy", ["accuracy"]). Returns None, as in Keras."""
        if loss is None:
            raise ValueError(f"{self.name}.compile: a loss is required, e.g. "
                             f"loss='sparse_categorical_crossentropy'")
        if isinstance(metrics, str):
            raise TypeError(f"{self.name}.compile: metrics must be a list, e.g. "
                            f"metrics=[{metrics!r}], got the string {metrics!r}")
        self.optimizer = optimizers_module.get(optimizer)
        self.loss = losses_module.get(loss)
        self.metrics = [metrics_module.get(m) for m in (metrics or [])]
        names = [m.name for m in self.metrics]
        if len(set(names)) != len(names) or "loss" in names:
            raise ValueError(f"{self.name}.compile: metric names must be unique and not 'loss', "
                             f"got {names}")

    def _require_compiled(self, what):
        if self.loss is None:
            raise RuntimeError(f"{self.name}: call compile(optimizer=..., loss=...) before {what}")

    def train_on_batch(self, x, y, return_dict=False):
        """One optimisation step on one batch. Returns, as Keras does, the batch's loss, or
        ``[loss, metric_1, ...]`` when there are metrics; ``{"loss": ..., metric: ...}`` with
        ``return_dict=True``."""
        self._require_compiled("train_on_batch")
        x, y = self._check_data(x, y, "train_on_batch")
        with training_threads():
            loss, y_pred, problem = self._train_step(x, y)
        if problem:
            what, consequence = problem
            raise NonFiniteLossError(f"{self.name}: {what}; {consequence}. {_NON_FINITE_ADVICE}")
        for metric in self.metrics:
            metric.reset_state()
            metric.update_state(y, y_pred)
        logs = {"loss": loss, **{m.name: m.result() for m in self.metrics}}
        if return_dict:
            return logs
        return list(logs.values()) if self.metrics else loss

    def _train_step(self, x, y):
        """forward, loss, backward, update. Returns (loss, y_pred, problem): problem is None, or
        (what became non-finite, what that means for the weights)."""
        y_pred = self.forward(x, training=True)
        loss, dy, through_final = self._loss_and_grad(y, y_pred)
        self.backward(dy, through_final, input_gradient=False)
        # Never let NaN/inf into the weights: a single non-finite gradient element makes the
        # sum non-finite, so one cheap reduction per parameter guards the whole update.
        grad_total = sum(float(g.sum()) for layer in self.layers for g in layer.grads.values())
        if not (math.isfinite(loss) and math.isfinite(grad_total)):
            what = (f"the loss became {loss}" if not math.isfinite(loss) else
                    f"a gradient became non-finite (the loss was {loss})")
            return loss, y_pred, (what, "training stopped before that update, so the model "
                                        "keeps the last finite weights")
        self.optimizer.apply_gradients(self.layers)
        # An update can overflow by itself (a huge learning rate): say so at once, by name.
        for layer in self.layers:
            for name, param in layer.params.items():
                if not np.isfinite(param).all():
                    return loss, y_pred, (
                        f"the update by {self.optimizer!r} made {layer.layer_name}/{name} "
                        f"non-finite", "the weights now hold inf/NaN: rebuild or reload the model")
        return loss, y_pred, None

    def fit(self, x, y, batch_size=32, epochs=1, verbose=1, callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, seed=None, augment=None, initial_epoch=0):
        """Train for ``epochs`` passes over (x, y); returns a ``History`` (Keras semantics).

        ``seed`` makes the shuffling, dropout masks and augmentation of this fit repeatable
        (the initial weights come from ``minicnn.set_seed`` before building). ``augment`` is a
        callable ``augment(x_batch, rng) -> x_batch`` applied to each training batch, e.g.
        ``minicnn.datasets.Augment``.
        """
        self._require_compiled("fit")
        x, y = self._check_data(x, y, "fit")
        _check_fit_arguments(batch_size, epochs, initial_epoch, validation_split, seed, augment,
                             callbacks)
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError("fit: validation_data must be a tuple (x_val, y_val)")
            x_val, y_val = self._check_data(*validation_data, "fit(validation_data)")
        elif validation_split:
            # Keras takes the *last* fraction, before any shuffling.
            (x, y), (x_val, y_val) = holdout_split(x, y, validation_split)
            if x.shape[0] == 0 or x_val.shape[0] == 0:
                raise ValueError(f"fit: validation_split={validation_split} leaves "
                                 f"{x.shape[0]} training and {x_val.shape[0]} validation samples")
        else:
            x_val = y_val = None

        rng = self._seed_fit(seed)
        steps = math.ceil(x.shape[0] / batch_size)     # the last partial batch is kept
        history = History()
        # BackupAndRestore goes last, after History: it restores what the others reset at the
        # start, and saves an epoch once all of them have recorded it.
        callbacks = list(callbacks or [])
        backups = [cb for cb in callbacks if isinstance(cb, BackupAndRestore)]
        callback_list = ([ProgbarLogger(verbose)] if verbose else []) \
            + [cb for cb in callbacks if cb not in backups] + [history] + backups
        self._fit_state = {"epochs": epochs, "steps": steps, "batch_size": batch_size,
                           "samples": x.shape[0],
                           "validation_samples": 0 if x_val is None else x_val.shape[0],
                           "shuffle": bool(shuffle), "augment": augment,
                           "initial_epoch": initial_epoch, "rng": rng, "history": history,
                           "callbacks": callback_list}
        self.stop_training = False
        for cb in callback_list:
            cb.set_model(self)
            cb.on_train_begin()
        initial_epoch = self._fit_state["initial_epoch"]     # a BackupAndRestore may move it
        with training_threads():
            self._fit_loop(x, y, x_val, y_val, batch_size, epochs, initial_epoch, shuffle, rng,
                           augment, callback_list, history)
        for cb in callback_list:
            cb.on_train_end()
        return history

    def _fit_loop(self, x, y, x_val, y_val, batch_size, epochs, initial_epoch, shuffle, rng,
                  augment, callback_list, history):
        """The epochs of ``fit``: shuffle, step through the batches, validate, call callbacks."""
        n = x.shape[0]
        steps = self._fit_state["steps"]
        for epoch in range(initial_epoch, epochs):
            for cb in callback_list:
                cb.on_epoch_begin(epoch)
            order = rng.permutation(n) if shuffle else np.arange(n)
            loss_sum, seen = 0.0, 0
            for metric in self.metrics:
                metric.reset_state()
            for step in range(steps):
                batch = order[step * batch_size:(step + 1) * batch_size]
                x_batch, y_batch = x[batch], y[batch]
                if augment is not None:
                    x_batch = _augmented(augment, x_batch, rng)
                loss, y_pred, problem = self._train_step(x_batch, y_batch)
                if problem:
                    what, consequence = problem
                    raise NonFiniteLossError(
                        f"{self.name}: {what} at epoch {epoch + 1}/{epochs}, batch "
                        f"{step + 1}/{steps}; {consequence}. {_NON_FINITE_ADVICE}", history)
                loss_sum += loss * len(batch)         # running mean weighted by batch size
                seen += len(batch)
                for metric in self.metrics:
                    metric.update_state(y_batch, y_pred)
                logs = {"loss": loss_sum / seen, **{m.name: m.result() for m in self.metrics}}
                for cb in callback_list:
                    cb.on_train_batch_end(step, logs)
            if x_val is not None:
                val_logs = self._evaluate_arrays(x_val, y_val, batch_size)
                logs.update({"val_" + k: v for k, v in val_logs.items()})
            for cb in callback_list:
                cb.on_epoch_end(epoch, logs)
            if self.stop_training:
                break

    def _seed_fit(self, seed):
        """The generator for shuffling/augmentation; with a seed, also reseed dropout layers."""
        if seed is None:
            return child_generator()
        streams = np.random.SeedSequence(seed).spawn(len(self.layers) + 1)
        for layer, stream in zip(self.layers, streams[1:]):
            if hasattr(layer, "rng"):
                layer.rng = np.random.default_rng(stream)
        return np.random.default_rng(streams[0])

    # -- evaluate and predict --------------------------------------------------------------
    def _evaluate_arrays(self, x, y, batch_size):
        """Loss and metrics over a whole data set in inference mode (loss: per-sample mean)."""
        loss_sum = 0.0
        for metric in self.metrics:
            metric.reset_state()
        for start in range(0, x.shape[0], batch_size):
            x_batch, y_batch = x[start:start + batch_size], y[start:start + batch_size]
            y_pred = self.forward(x_batch, training=False)
            loss, _, _ = self._loss_and_grad(y_batch, y_pred)
            loss_sum += loss * x_batch.shape[0]
            for metric in self.metrics:
                metric.update_state(y_batch, y_pred)
        return {"loss": loss_sum / x.shape[0], **{m.name: m.result() for m in self.metrics}}

    def evaluate(self, x, y, batch_size=32, verbose=1):
        """``[loss, metric_1, ...]`` over (x, y) in inference mode (just the loss if no metrics)."""
        self._require_compiled("evaluate")
        x, y = self._check_data(x, y, "evaluate")
        _check_batch_size(batch_size, "evaluate")
        with training_threads():
            logs = self._evaluate_arrays(x, y, batch_size)
        if verbose:
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        values = list(logs.values())
        return values if self.metrics else values[0]

    def predict(self, x, batch_size=32, verbose=0):
        """Model outputs (class probabilities for a softmax model), in batches, inference mode."""
        x = self._check_x(x, "predict")
        _check_batch_size(batch_size, "predict")
        with training_threads():
            outputs = [self.forward(x[s:s + batch_size], training=False)
                       for s in range(0, x.shape[0], batch_size)]
        return np.concatenate(outputs, axis=0)

    # -- input validation --------------------------------------------------------------------
    def _check_x(self, x, where):
        """Validate inputs once at the model boundary: shape, numeric, finite; cast to dtype."""
        x = np.asarray(x)
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{where}: x must be a numeric array, got dtype {x.dtype}")
        if x.ndim == 0 or x.shape[0] == 0:
            raise ValueError(f"{where}: x must hold at least one sample along its first (batch) "
                             f"axis, got shape {x.shape}")
        if not self.built:
            self.build(x.shape[1:])
        expected = (x.shape[0],) + self.input_shape
        if x.shape != expected:
            hint = ""
            if x.shape + (1,) == expected:
                hint = " -- add the channel axis: x[..., None] (or x.reshape(-1, " + \
                       ", ".join(map(str, self.input_shape)) + "))"
            raise ValueError(f"{where}: {self.name} expects input of shape "
                             f"{format_shape(self.input_shape)} but x has shape {x.shape}{hint}")
        with np.errstate(over="ignore"):     # an overflow is reported just below, by index
            cast = np.ascontiguousarray(x, dtype=self.dtype)
        if not np.isfinite(cast).all():      # checked after the cast: 1e39 is inf in float32
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(cast))[0])
            why = (f"; {float(x[bad]):g} is beyond {self.dtype}'s range"
                   if np.isfinite(x[bad]) else "")
            raise ValueError(f"{where}: x contains NaN or inf (first at index {bad}{why}); "
                             f"clean or impute the inputs before training")
        return cast

    def _check_data(self, x, y, where):
        x = self._check_x(x, where)
        if np.ndim(y) == 0:
            raise ValueError(f"{where}: y must be an array with one label (or one-hot row) per "
                             f"sample, got {y!r}")
        y = np.asarray(y)
        if len(self.output_shape) != 1:
            raise ValueError(f"{where}: {self.name}'s output has shape "
                             f"{format_shape(self.output_shape)}, but {self.loss.name} needs one "
                             f"vector per sample, (None, K): add Flatten() (or "
                             f"GlobalAveragePooling2D()) before the last Dense")
        if y.shape[0] != x.shape[0]:
            raise ValueError(f"{where}: x has {x.shape[0]} samples but y has {y.shape[0]}")
        last_activation = getattr(self.layers[-1], "activation", None)
        if getattr(self.loss, "from_logits", False) and isinstance(last_activation, Softmax):
            warnings.warn(f"{where}: {self.loss.name} has from_logits=True, but {self.name} ends "
                          f"in a softmax: its outputs are probabilities, not logits, and get a "
                          f"second softmax. Drop one of the two (Keras warns the same).",
                          UserWarning, stacklevel=3)
        self.loss.check_targets(y, self.output_shape[-1])
        return x, y

    # -- weights -----------------------------------------------------------------------------
    def get_weights(self):
        """Copies of every parameter, layer by layer (kernel, bias, ... in Keras order)."""
        return [w.copy() for layer in self.layers for w in layer.weights().values()]

    def set_weights(self, weights):
        """Copy a list like ``get_weights()`` returns into the model's parameters (in place)."""
        self._require_built("set_weights")
        slots = [(layer, name, w) for layer in self.layers for name, w in layer.weights().items()]
        if len(weights) != len(slots):
            raise ValueError(f"set_weights: {self.name} has {len(slots)} weight arrays, "
                             f"got {len(weights)}")
        for i, ((layer, name, target), value) in enumerate(zip(slots, weights)):
            value = np.asarray(value)
            if value.shape != target.shape:
                raise ValueError(f"set_weights: weight {i} ({layer.layer_name}/{name}) has shape "
                                 f"{target.shape} in the model but {value.shape} was given")
            if not np.isfinite(value).all():
                raise ValueError(f"set_weights: weight {i} ({layer.layer_name}/{name}) contains "
                                 f"NaN or inf")
        for (_, _, target), value in zip(slots, weights):
            target[...] = value

    def save_weights(self, path):
        """Write all weights to ``path`` (HDF5, or npz if it ends in .npz), atomically."""
        saving.save_weights(self, path)

    def load_weights(self, path):
        """Load weights saved by ``save_weights`` (layers matched in order, shapes checked)."""
        saving.load_weights(self, path)

    def save(self, path):
        """Architecture + weights + optimizer state in one HDF5 file; ``minicnn.load_model``."""
        saving.save_model(self, path)

    # -- printing ----------------------------------------------------------------------------
    def summary(self, line_length=65, print_fn=print, explain=False):
        """Print the Keras 2 summary table: name (type), output shape, parameter count, totals.

        ``explain=True`` adds, under each layer, how its output size and parameter count come
        about, with its numbers: ``(28 + 0 + 0 - 3)//1 + 1 = 26`` and ``(3*3*1 + 1)*32 = 320``.
        """
        self._require_built("summary")
        positions = [int(line_length * 0.45), int(line_length * 0.85), line_length]

        def row(fields):
            line = ""
            for i, (field, end) in enumerate(zip(fields, positions)):
                if i > 0:                      # Keras overwrites the column's last character
                    line = line[:-1] + " "
                line = (line + str(field))[:end]
                line += " " * (end - len(line))
            return line

        print_fn(f'Model: "{self.name}"')
        print_fn("_" * line_length)
        print_fn(row(["Layer (type)", "Output Shape", "Param #"]))
        print_fn("=" * line_length)
        for i, layer in enumerate(self.layers):
            print_fn(row([f"{layer.layer_name} ({type(layer).__name__})",
                          format_shape(layer.output_shape), layer.count_params()]))
            if explain:
                for line in layer.explain():
                    print_fn("    " + line)
            print_fn(("=" if i == len(self.layers) - 1 else "_") * line_length)
        total = self.count_params()
        trainable = sum(layer.count_trainable_params() for layer in self.layers)
        print_fn(f"Total params: {total:,}")
        print_fn(f"Trainable params: {trainable:,}")
        print_fn(f"Non-trainable params: {total - trainable:,}")
        print_fn("_" * line_length)

    def __repr__(self):
        params = f", params={self.count_params():,}" if self.built else ""
        return f"Sequential({self.name!r}, layers={len(self.layers)}{params})"


def _check_batch_size(batch_size, where):
    if not is_int(batch_size) or batch_size <= 0:
        raise ValueError(f"{where}: batch_size must be a positive int, got {batch_size!r}")


def _check_fit_arguments(batch_size, epochs, initial_epoch, validation_split, seed, augment,
                         callbacks):
    """fit's arguments other than the data, each with a message naming it."""
    _check_batch_size(batch_size, "fit")
    for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if not is_int(value) or value < 0:
            raise ValueError(f"fit: {name} must be an int >= 0, got {value!r}")
    if isinstance(validation_split, (str, bool)):
        raise TypeError(f"fit: validation_split must be a number in [0, 1), "
                        f"got {validation_split!r}")
    check_seed(seed, "fit")
    if augment is not None and not callable(augment):
        raise TypeError(f"fit: augment must be a callable augment(x_batch, rng), e.g. "
                        f"minicnn.datasets.Augment(...), got {augment!r}")
    _check_callbacks(callbacks)


def _check_callbacks(callbacks):
    """``fit(callbacks=...)``: a list of callback objects (not classes, not a bare object)."""
    if callbacks is None:
        return
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"fit: callbacks must be a list, e.g. callbacks=[{callbacks!r}]")
    for callback in callbacks:
        if isinstance(callback, type):
            raise TypeError(f"fit: callbacks holds the class {callback.__name__}; pass an "
                            f"instance, {callback.__name__}(...)")
        if not isinstance(callback, Callback):
            raise TypeError(f"fit: {callback!r} is not a callback (subclass "
                            f"minicnn.callbacks.Callback)")


def _augmented(augment, x_batch, rng):
    """``augment(x_batch, rng)`` with the batch's shape and dtype (``x + rng.normal(...)``
    would be float64; the layers compute in the model's dtype)."""
    out = np.asarray(augment(x_batch, rng))
    if out.shape != x_batch.shape:
        raise ValueError(f"fit: augment returned shape {out.shape} for a batch of shape "
                         f"{x_batch.shape}; it must return the same shape")
    return out.astype(x_batch.dtype, copy=False)
