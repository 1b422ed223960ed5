"""Callbacks: code that runs at fixed points of ``fit`` (Keras's protocol).

Write your own by subclassing ``Callback`` and overriding any of the hooks; ``self.model`` is
the model being trained and ``logs`` the dict of the epoch's metrics (``loss``, ``accuracy``,
``val_loss``, ...). Set ``self.model.stop_training = True`` to end training after this epoch::

    class PrintValLoss(Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(epoch, logs["val_loss"])

Provided: ``History`` (always on; returned by fit), ``ProgbarLogger`` (verbose=1/2),
``EarlyStopping``, ``ReduceLROnPlateau``, ``ModelCheckpoint``, ``LearningRateScheduler``,
``BackupAndRestore``.

A callback that keeps state from epoch to epoch (a best value, a counter) defines
``get_state()`` and ``set_state(state)``, so that ``BackupAndRestore`` can resume it after an
interruption. The state is numpy arrays and what JSON keeps: dicts with string keys (other keys
come back as strings), lists (tuples come back as lists), numbers, strings, None.
"""
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from minicnn.saving import SavingError


class Callback:
    """Base class: override any hook; ``self.model`` is the model being trained."""

    def set_model(self, model):
        self.model = model

    def on_train_begin(self, logs=None): pass
    def on_train_end(self, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass
    def on_train_batch_begin(self, batch, logs=None): pass
    def on_train_batch_end(self, batch, logs=None): pass


class History(Callback):
    """Records every epoch's logs: ``history.history["val_accuracy"][-1]``; returned by ``fit``."""

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self):
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


def _format_logs(logs):
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())


def _format_duration(seconds):
    if seconds >= 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{seconds:.0f}s"


class ProgbarLogger(Callback):
    """Keras-style progress: ``Epoch 1/5`` then ``1875/1875 [=====] - 12s 6ms/step - loss: ...``.

    verbose=1 redraws a progress bar in place on a terminal (and prints one line per epoch when
    the output is not a terminal, e.g. a log file or CI); verbose=2 always prints one line per
    epoch; verbose=0 prints nothing.
    """

    def __init__(self, verbose=1, stream=None, width=30):
        self.verbose = verbose
        self.stream = stream or sys.stdout
        self.width = width

    def on_train_begin(self, logs=None):
        self.epochs = self.model._fit_state["epochs"]
        self.steps = self.model._fit_state["steps"]
        self.interactive = (self.verbose == 1 and hasattr(self.stream, "isatty")
                            and self.stream.isatty())

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()
        self.last_draw = 0.0
        if self.verbose:
            print(f"Epoch {epoch + 1}/{self.epochs}", file=self.stream, flush=True)

    def _bar(self, step):
        done = int(self.width * step / self.steps)
        arrow = ">" if step < self.steps else "="
        bar = "=" * max(done - 1, 0) + (arrow if done else "") + "." * (self.width - done)
        return f"{step:{len(str(self.steps))}d}/{self.steps} [{bar}]"

    def on_train_batch_end(self, batch, logs=None):
        if not self.interactive:
            return
        now = time.perf_counter()
        step = batch + 1
        if step < self.steps and now - self.last_draw < 0.1:     # redraw at most 10x a second
            return
        self.last_draw = now
        elapsed = now - self.start
        eta = elapsed / step * (self.steps - step)
        self.stream.write(f"\r{self._bar(step)} - ETA: {_format_duration(eta)} - "
                          f"{_format_logs(logs or {})}")
        self.stream.flush()

    def on_epoch_end(self, epoch, logs=None):
        if not self.verbose:
            return
        elapsed = time.perf_counter() - self.start
        per_step = elapsed / max(self.steps, 1) * 1000
        line = (f"{self._bar(self.steps)} - {_format_duration(elapsed)} {per_step:.0f}ms/step"
                f" - {_format_logs(logs or {})}")
        prefix = "\r" if self.interactive else ""
        print(prefix + line, file=self.stream, flush=True)


# -- monitoring a logged quantity -----------------------------------------------------------
# Quantities where larger is better when mode="auto" (Keras: names containing "acc"; minicnn
# adds F1, precision and recall, which Keras 2 would have minimised).
_MAXIMISED = ("acc", "f1", "precision", "recall", "auc")


class _Monitor:
    """Which direction is "better" for ``monitor``, and whether a value improves on the best."""

    def __init__(self, owner, monitor, mode, min_delta):
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max', got {mode!r}")
        if mode == "auto":
            mode = "max" if any(key in monitor for key in _MAXIMISED) else "min"
        self.owner, self.monitor, self.mode = owner, monitor, mode
        self.min_delta = abs(min_delta)

    def initial(self):
        return -np.inf if self.mode == "max" else np.inf

    def improves(self, value, best):
        if self.mode == "max":
            return value > best + self.min_delta
        return value < best - self.min_delta

    def value(self, logs):
        if self.monitor not in (logs or {}):
            raise KeyError(f"{self.owner}: monitor {self.monitor!r} is not in the logs; "
                           f"available: {sorted(logs or {})} (val_* needs validation data)")
        return logs[self.monitor]


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs (Keras 2 semantics).

    Improvement means better than the best so far by more than ``min_delta``. With
    ``restore_best_weights=True`` the model gets back the weights of the best epoch *when it
    stops early* (as Keras 2; if training runs to the last epoch the final weights are kept).
    ``stopped_epoch`` and ``best_epoch`` tell what happened (0-based epochs).
    """

    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False):
        self.watch = _Monitor("EarlyStopping", monitor, mode, min_delta)
        self.monitor, self.patience, self.verbose = monitor, patience, verbose
        self.baseline, self.restore_best_weights = baseline, restore_best_weights

    def on_train_begin(self, logs=None):
        self.wait, self.stopped_epoch, self.best_epoch = 0, 0, 0
        self.best = self.watch.initial() if self.baseline is None else self.baseline
        self.best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        current = self.watch.value(logs)
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()   # something to restore, at worst epoch 0
        if self.watch.improves(current, self.best):
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1                     # one more epoch without improvement
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                if self.verbose:
                    print(f"Restoring model weights from the end of the best epoch: "
                          f"{self.best_epoch + 1}.")
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")

    def get_state(self):
        return {"wait": self.wait, "stopped_epoch": self.stopped_epoch,
                "best_epoch": self.best_epoch, "best": float(self.best),
                "best_weights": self.best_weights}

    def set_state(self, state):
        self.wait, self.stopped_epoch = state["wait"], state["stopped_epoch"]
        self.best_epoch, self.best = state["best_epoch"], state["best"]
        self.best_weights = state["best_weights"]


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stalls for ``patience`` epochs.

    After a reduction, wait ``cooldown`` epochs before counting again; never go below ``min_lr``.
    The current rate is logged as ``lr`` (Keras 2 does the same).
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0):
        if not 0.0 < factor < 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor must be in (0, 1), got {factor!r}")
        self.watch = _Monitor("ReduceLROnPlateau", monitor, mode, min_delta)
        self.factor, self.patience, self.verbose = factor, patience, verbose
        self.cooldown, self.min_lr = cooldown, min_lr

    def on_train_begin(self, logs=None):
        self.wait, self.cooldown_counter, self.best = 0, 0, self.watch.initial()

    def on_epoch_end(self, epoch, logs=None):
        optimizer = self.model.optimizer
        current = self.watch.value(logs)
        logs["lr"] = optimizer.learning_rate
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self.watch.improves(current, self.best):
            self.best, self.wait = current, 0
        elif self.cooldown_counter == 0:
            self.wait += 1
            if self.wait >= self.patience and optimizer.learning_rate > self.min_lr:
                optimizer.learning_rate = max(optimizer.learning_rate * self.factor, self.min_lr)
                if self.verbose:
                    print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                          f"{optimizer.learning_rate:g}.")
                self.cooldown_counter, self.wait = self.cooldown, 0

    def get_state(self):     # the rate itself is the optimizer's, saved with the model
        return {"wait": self.wait, "cooldown_counter": self.cooldown_counter,
                "best": float(self.best)}

    def set_state(self, state):
        self.wait, self.cooldown_counter = state["wait"], state["cooldown_counter"]
        self.best = state["best"]


class LearningRateScheduler(Callback):
    """Set the learning rate at the start of each epoch: ``lr = schedule(epoch, lr)``."""

    def __init__(self, schedule, verbose=0):
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        lr = self.schedule(epoch, self.model.optimizer.learning_rate)
        if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating)) or not lr > 0:
            raise ValueError(f"LearningRateScheduler: schedule(epoch, lr) must return a positive "
                             f"number, returned {lr!r} at epoch {epoch}")
        lr = float(lr)
        self.model.optimizer.learning_rate = lr
        if self.verbose:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr:g}.")

    def on_epoch_end(self, epoch, logs=None):
        logs["lr"] = self.model.optimizer.learning_rate


class ModelCheckpoint(Callback):
    """Save the model (or only its weights) after every epoch, or only when ``monitor`` improves.

    ``filepath`` may contain ``{epoch}`` (1-based, as Keras) and logged values, e.g.
    ``"ckpt-{epoch:02d}-{val_loss:.3f}.h5"``. Files are written atomically: an interrupted save
    leaves the previous file intact.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto"):
        self.filepath, self.verbose = str(filepath), verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.watch = _Monitor("ModelCheckpoint", monitor, mode, 0.0)

    def on_train_begin(self, logs=None):
        self.best = self.watch.initial()

    def on_epoch_end(self, epoch, logs=None):
        try:
            path = self.filepath.format(epoch=epoch + 1, **(logs or {}))
        except KeyError as error:
            raise KeyError(f"ModelCheckpoint: filepath {self.filepath!r} names {error}, which is "
                           f"not in the logs; available: epoch, {', '.join(sorted(logs or {}))}"
                           f" (val_* needs validation data)") from None
        if self.save_best_only:
            current = self.watch.value(logs)
            if not self.watch.improves(current, self.best):
                return
            if self.verbose:
                print(f"Epoch {epoch + 1}: {self.watch.monitor} improved from {self.best:.5f} "
                      f"to {current:.5f}, saving model to {path}")
            self.best = current
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)

    def get_state(self):
        return {"best": float(self.best)}

    def set_state(self, state):
        self.best = state["best"]


def _generators(layer):
    """The random generators of a layer: ``[layer.rng]``, the list a block's ``rng`` gives, or
    ``[]`` for a layer without randomness."""
    rng = getattr(layer, "rng", None)
    if rng is None:
        return []
    return list(rng) if isinstance(rng, (list, tuple)) else [rng]


class BackupAndRestore(Callback):
    """Resume a ``fit`` that was interrupted (killed, out of time) where it stopped (Keras's
    ``BackupAndRestore``)::

        fit(x, y, epochs=100, seed=0, callbacks=[BackupAndRestore("backup")])

    After every epoch it writes ``backup_dir/checkpoint.h5`` (atomically): the model with its
    optimizer state, the number of epochs done, the History so far, the states of the random
    generators (fit's shuffling/augmentation generator and every layer's ``rng``) and of every
    callback that has ``get_state``. Run the same ``fit`` again with a BackupAndRestore on the
    same directory and it restores all of that and goes on with the next epoch: the weights,
    history and callback states end as those of an uninterrupted fit (bit for bit on the numpy
    backend; on the Numba path up to the float rounding of threaded sums). A checkpoint written
    by another fit -- other layers or layer settings, optimizer, epochs, batch size, data size,
    shuffling, augmentation or callbacks -- is refused with the difference named. With
    ``delete_checkpoint=True`` the file is removed when fit ends normally (the directory is
    left alone).

    ``fit`` runs this callback after all the others, History included: its ``on_train_begin``
    then restores states the others have just reset, and its ``on_epoch_end`` saves the epoch
    once every callback has recorded it.
    """

    FILE_NAME = "checkpoint.h5"

    def __init__(self, backup_dir, delete_checkpoint=True):
        self.backup_dir = Path(backup_dir)
        self.path = self.backup_dir / self.FILE_NAME
        self.delete_checkpoint = delete_checkpoint

    def _others(self):
        """The other callbacks of this fit, History included, in order; not the progress bar,
        so a fit resumed with another ``verbose`` still matches."""
        return [cb for cb in self.model._fit_state["callbacks"]
                if cb is not self and not isinstance(cb, ProgbarLogger)]

    def _fit_settings(self):
        """What must be the same for a checkpoint to continue this fit, as JSON gives it back
        (tuples as lists). The optimizer as compiled, before a restore changes its rate."""
        fit = self.model._fit_state
        settings = {"layers": [_without_names(layer.get_config()) | {"class": type(layer).__name__}
                               for layer in self.model.layers],
                    "optimizer": {"class": type(self.model.optimizer).__name__,
                                  **self.model.optimizer.get_config()},
                    **{key: fit[key] for key in ("epochs", "steps", "batch_size", "samples",
                                                 "validation_samples", "shuffle", "augment")},
                    "callbacks": [type(cb).__name__ for cb in self._others()]}
        return json.loads(json.dumps(settings, default=_stable_repr))

    def _same_fit(self, state):
        saved, this = state["fit"], self._compiled
        differing = sorted(key for key in saved.keys() | this.keys()
                           if saved.get(key) != this.get(key))
        if differing:
            raise SavingError(
                f"BackupAndRestore: {self.path} was saved by another fit -- "
                + "; ".join(f"{key}: {saved.get(key)} there, {this.get(key)} here"
                            for key in differing)
                + ". Resume with the same model, compile and fit arguments, or delete the "
                  "checkpoint to start over")

    def on_train_begin(self, logs=None):
        from minicnn import saving
        self._compiled = self._fit_settings()
        if not self.path.is_file():
            return
        try:
            state = saving.load_checkpoint(self.model, self.path, validate=self._same_fit)
        except SavingError as error:
            if str(error).startswith("BackupAndRestore"):
                raise
            raise SavingError(f"BackupAndRestore: cannot resume from {self.path} ({error}); "
                              f"delete it to start over") from None
        fit_state = self.model._fit_state
        fit_state["rng"].bit_generator.state = state["fit_rng"]
        for layer, saved in zip(self.model.layers, state["layer_rngs"]):   # same layers: checked
            for generator, generator_state in zip(_generators(layer), saved):
                generator.bit_generator.state = generator_state
        for callback, saved in zip(self._others(), state["callbacks"]):
            if saved is not None:
                callback.set_state(saved)
        history = fit_state["history"]
        history.epoch, history.history = state["history_epoch"], state["history"]
        # An epoch that ended training (early stopping) leaves no epoch to run.
        fit_state["initial_epoch"] = fit_state["epochs"] if state["stopped"] else state["epochs_done"]

    def on_epoch_end(self, epoch, logs=None):
        from minicnn import saving
        history = self.model._fit_state["history"]
        state = {"fit": self._compiled, "epochs_done": epoch + 1,
                 "stopped": bool(self.model.stop_training),
                 "fit_rng": self.model._fit_state["rng"].bit_generator.state,
                 "layer_rngs": [[g.bit_generator.state for g in _generators(layer)]
                                for layer in self.model.layers],
                 "callbacks": [cb.get_state() if hasattr(cb, "get_state") else None
                               for cb in self._others()],
                 "history_epoch": list(history.epoch),
                 "history": {k: [float(v) for v in vs] for k, vs in history.history.items()}}
        saving.save_checkpoint(self.model, self.path, state)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint:
            self.path.unlink(missing_ok=True)


def _stable_repr(value):
    """``repr(value)`` without a memory address (``<function f at 0x7f...>``), which another
    process would not repeat: the ``augment`` of a resumed fit is compared by it."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


def _without_names(config):
    """A layer config without its ``name`` entries (nested ones too): a model built again may
    name its layers differently."""
    if isinstance(config, dict):
        return {k: _without_names(v) for k, v in config.items() if k != "name"}
    if isinstance(config, list):
        return [_without_names(v) for v in config]
    return config
