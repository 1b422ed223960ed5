"""Callbacks: EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, ModelCheckpoint, custom."""
import numpy as np
import pytest

import minicnn
from minicnn.callbacks import (BackupAndRestore, Callback, EarlyStopping, LearningRateScheduler,
                               ModelCheckpoint,
                               ReduceLROnPlateau)
from minicnn.layers import Dense


def _model_and_data(n=32):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((n, 4)), rng.integers(0, 3, n)
    model = minicnn.Sequential([Dense(5, activation="relu"), Dense(3, activation="softmax")],
                               input_shape=(4,))
    model.compile(minicnn.optimizers.SGD(0.05), "sparse_categorical_crossentropy", ["accuracy"])
    return model, x, y


class Inject(Callback):
    """Puts a scripted value into the logs, so the monitored quantity is known in advance."""

    def __init__(self, name, values):
        self.name, self.values = name, values

    def on_epoch_end(self, epoch, logs=None):
        logs[self.name] = self.values[epoch]


class RecordWeights(Callback):
    def on_train_begin(self, logs=None):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights())


def test_early_stopping_restores_the_best_epochs_weights():
    model, x, y = _model_and_data()
    record = RecordWeights()
    stop = EarlyStopping(monitor="score", mode="max", patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[
        Inject("score", [0.1, 0.5, 0.3, 0.4, 0.2, 0.9, 0, 0, 0, 0]), record, stop])
    assert len(history.history["loss"]) == 4                  # stopped after epoch index 3
    assert (stop.best_epoch, stop.stopped_epoch, stop.best) == (1, 3, 0.5)
    for restored, best in zip(model.get_weights(), record.weights[1]):
        np.testing.assert_array_equal(restored, best)
    assert not np.allclose(record.weights[3][0], record.weights[1][0])


def test_early_stopping_patience_zero_and_min_delta():
    model, x, y = _model_and_data()
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[
        Inject("val_metric", [1.0, 0.9, 0.95, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0, 0.0]),
        EarlyStopping(monitor="val_metric", patience=0)])        # "auto" -> min
    assert len(history.history["loss"]) == 3
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[
        Inject("val_metric", [1.0, 0.95, 0.5, 0.4, 0.3, 0.2, 0.1, 0, 0, 0]),
        EarlyStopping(monitor="val_metric", patience=0, min_delta=0.1)])
    assert len(history.history["loss"]) == 2                  # 0.95 is not better by > 0.1


def test_early_stopping_on_training_loss_as_report_004():
    """004: EarlyStopping(monitor='loss', patience=2) with shuffle=False."""
    model, x, y = _model_and_data()
    model.compile(minicnn.optimizers.SGD(5.0), "sparse_categorical_crossentropy")  # oscillates
    stop = EarlyStopping(monitor="loss", patience=2)
    history = model.fit(x, y, epochs=100, shuffle=False, verbose=0, callbacks=[stop])
    losses = history.history["loss"]
    assert stop.stopped_epoch == len(losses) - 1 < 99
    best = int(np.argmin(losses))
    assert len(losses) - 1 - best == 2                        # two epochs without improvement


def test_mode_auto_maximises_accuracy_and_f1():
    assert EarlyStopping(monitor="val_accuracy").watch.mode == "max"
    assert EarlyStopping(monitor="val_f1_score").watch.mode == "max"
    assert EarlyStopping(monitor="val_loss").watch.mode == "min"
    with pytest.raises(ValueError, match="mode must be 'auto', 'min' or 'max'"):
        EarlyStopping(mode="up")


def test_unknown_monitor_lists_available_logs():
    model, x, y = _model_and_data()
    with pytest.raises(KeyError, match=r"monitor 'val_loss' is not in the logs; available: "
                                       r"\['accuracy', 'loss'\]"):
        model.fit(x, y, epochs=2, verbose=0, callbacks=[EarlyStopping()])


def test_reduce_lr_on_plateau():
    model, x, y = _model_and_data()
    reduce = ReduceLROnPlateau(monitor="m", factor=0.5, patience=1, cooldown=2, min_lr=0.01)
    history = model.fit(x, y, epochs=7, verbose=0, callbacks=[
        Inject("m", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]), reduce])
    # "lr" is the rate used during the epoch (Keras 2). Patience 1: reduce at the end of
    # epoch 1; the cooldown of 2 epochs counts down at epochs 2 and 3, then epoch 3 waits
    # again and reduces; the same at epoch 5, where min_lr stops it at 0.01.
    assert history.history["lr"] == pytest.approx([0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.01])
    assert model.optimizer.learning_rate == pytest.approx(0.01)


def test_learning_rate_scheduler_and_custom_callback():
    model, x, y = _model_and_data()
    seen = []

    class Custom(Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((epoch, sorted(logs)))

    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[
        LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1)), Custom()])
    assert history.history["lr"] == pytest.approx([0.1, 0.05, 0.1 / 3])
    assert seen == [(e, ["accuracy", "loss", "lr"]) for e in range(3)]


def test_model_checkpoint_names_a_missing_log_key(tmp_path):
    model, x, y = _model_and_data()
    with pytest.raises(KeyError, match=r"ModelCheckpoint: filepath '.*ck-\{val_loss:.2f\}.h5' "
                                       r"names 'val_loss', which is not in the logs; available: "
                                       r"epoch, accuracy, loss \(val_\* needs validation data\)"):
        model.fit(x, y, epochs=1, verbose=0,
                  callbacks=[ModelCheckpoint(str(tmp_path / "ck-{val_loss:.2f}.h5"))])


def test_model_checkpoint_save_best_only(tmp_path):
    model, x, y = _model_and_data()
    path = tmp_path / "best-{epoch:02d}.h5"
    record = RecordWeights()
    model.fit(x, y, epochs=4, verbose=0, callbacks=[
        Inject("val_loss", [0.5, 0.3, 0.4, 0.35]), record,
        ModelCheckpoint(str(path), save_best_only=True)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best-01.h5", "best-02.h5"]
    restored = minicnn.load_model(tmp_path / "best-02.h5")
    for a, b in zip(restored.get_weights(), record.weights[1]):
        np.testing.assert_array_equal(a, b)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[
        ModelCheckpoint(str(tmp_path / "w.npz"), save_weights_only=True)])
    model.load_weights(tmp_path / "w.npz")


# -- BackupAndRestore ------------------------------------------------------------------------
class Interrupted(Exception):
    pass


class InterruptAt(Callback):
    """Raises at the start of epoch ``at`` (0-based), as a killed process would stop there;
    counts the epochs this fit call began (``begun``)."""

    def __init__(self, at=None):
        self.at, self.begun = at, 0

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at:
            raise Interrupted(epoch)
        self.begun += 1


def _stochastic_fit(backup_dir, interrupt_at=None, epochs=6, dropout=0.3, learning_rate=0.01):
    """A model and fit with every kind of state a resume must carry: Adam's moments, Dropout's
    generator, fit's shuffling and augmentation generator, EarlyStopping (best weights) and
    ReduceLROnPlateau (which changes the learning rate). Returns the model, the history, the
    two callbacks and the epochs this call trained; raises Interrupted at ``interrupt_at``."""
    from minicnn.datasets import Augment
    from minicnn.layers import Conv2D, Dropout, Flatten

    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((40, 8, 8, 1)).astype("float32"), rng.integers(0, 3, 40)
    minicnn.set_seed(0)
    model = minicnn.Sequential([Conv2D(2, 3, activation="relu"), Dropout(dropout), Flatten(),
                                Dense(3, activation="softmax")], input_shape=(8, 8, 1))
    model.compile(minicnn.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy",
                  ["accuracy"])
    stop = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    # min_delta=10: only the first epoch counts as an improvement, so whatever the losses, the
    # rate is halved at epochs 2 and 5 (epochs 3 and 4 cool down, then count again): the
    # interruptions (after epochs 0, 2, 4) find it with a new best, cooling down, and waiting.
    plateau = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_delta=10.0,
                                cooldown=2)
    interrupt = InterruptAt(interrupt_at)
    history = model.fit(x, y, batch_size=8, epochs=epochs, verbose=0, validation_split=0.25,
                        seed=7, augment=Augment(width_shift_range=0.2),
                        callbacks=[interrupt, stop, plateau, BackupAndRestore(backup_dir)])
    return model, history, stop, plateau, interrupt.begun


@pytest.mark.parametrize("interrupt_at", [1, 3, 5])
def test_backup_and_restore_resumes_as_if_never_interrupted(tmp_path, backend, interrupt_at):
    model, history, stop, plateau, _ = _stochastic_fit(tmp_path / "whole")
    with pytest.raises(Interrupted):
        _stochastic_fit(tmp_path / "backup", interrupt_at=interrupt_at)
    assert (tmp_path / "backup" / "checkpoint.h5").is_file()
    resumed, resumed_history, resumed_stop, resumed_plateau, trained = \
        _stochastic_fit(tmp_path / "backup")
    assert trained == 6 - interrupt_at                  # it went on; it did not start again
    assert resumed_history.epoch == history.epoch == list(range(6))
    assert resumed_history.history == history.history        # same shuffles, masks, shifts
    assert resumed.optimizer.learning_rate == model.optimizer.learning_rate == 0.0025
    assert resumed.optimizer.iterations == model.optimizer.iterations
    for a, b in zip(resumed.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert resumed_stop.get_state()["best"] == stop.get_state()["best"]
    assert resumed_stop.best_epoch == stop.best_epoch
    assert resumed_plateau.get_state() == plateau.get_state()
    assert not (tmp_path / "backup" / "checkpoint.h5").exists()   # delete_checkpoint=True
    assert (tmp_path / "backup").is_dir()                # the directory is not ours to remove


def test_backup_and_restore_resumes_early_stopping_mid_patience():
    """Interrupted while EarlyStopping waits (best at epoch 1, patience 3): resumed, it stops
    at epoch 4 and restores epoch 1's weights, as without the interruption -- which needs its
    best, wait and best weights back (a fresh EarlyStopping would take epoch 3 as its best)."""
    import tempfile

    scores = [0.1, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]

    def fit(backup_dir, interrupt_at=None):
        minicnn.set_seed(0)                                  # the same initial weights
        model, x, y = _model_and_data()
        interrupt, record = InterruptAt(interrupt_at), RecordWeights()
        stop = EarlyStopping(monitor="score", mode="max", patience=3, restore_best_weights=True)
        history = model.fit(x, y, epochs=8, verbose=0, seed=0, callbacks=[
            interrupt, Inject("score", scores), record, stop, BackupAndRestore(backup_dir)])
        return model, history, stop, interrupt.begun

    with tempfile.TemporaryDirectory() as whole, tempfile.TemporaryDirectory() as split:
        model, history, stop, _ = fit(whole)
        with pytest.raises(Interrupted):
            fit(split, interrupt_at=3)
        resumed, resumed_history, resumed_stop, trained = fit(split)
    assert (stop.best_epoch, stop.stopped_epoch) == (1, 4) and history.epoch == list(range(5))
    assert trained == 2 and resumed_history.epoch == history.epoch
    assert (resumed_stop.best_epoch, resumed_stop.stopped_epoch) == (1, 4)
    for a, b in zip(resumed.get_weights(), model.get_weights()):     # epoch 1's, restored
        np.testing.assert_array_equal(a, b)


def test_backup_and_restore_resumes_a_residual_block_with_adam(tmp_path):
    """A block's parameters are named "conv2d/kernel" inside the block: Adam's slots for them
    must come back under the same keys, or the resumed moments would start from zero."""
    from minicnn.layers import BatchNormalization, Conv2D, Dropout, Flatten, Residual

    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((24, 6, 6, 2)).astype("float32"), rng.integers(0, 3, 24)

    def fit(backup_dir, interrupt_at=None):
        minicnn.set_seed(0)
        model = minicnn.Sequential([
            Conv2D(3, 3, padding="same"),
            Residual(main=[Conv2D(3, 3, padding="same"), BatchNormalization(), Dropout(0.2)]),
            Flatten(), Dense(3, activation="softmax")], input_shape=(6, 6, 2))
        model.compile("adam", "sparse_categorical_crossentropy")
        interrupt = InterruptAt(interrupt_at)
        model.fit(x, y, batch_size=8, epochs=4, verbose=0, seed=1,
                  callbacks=[interrupt, BackupAndRestore(backup_dir)])
        return model, interrupt.begun

    model, _ = fit(tmp_path / "whole")
    with pytest.raises(Interrupted):
        fit(tmp_path / "split", interrupt_at=2)
    resumed, trained = fit(tmp_path / "split")
    assert trained == 2
    assert resumed.optimizer.state.keys() == model.optimizer.state.keys()
    for a, b in zip(resumed.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_backup_and_restore_compares_an_augment_function_without_its_address():
    """A plain function as ``augment`` has a different address in the next process: its
    repr without the address is what must match."""
    from minicnn.callbacks import _stable_repr

    def shift(x, rng):
        return x

    assert _stable_repr(shift) == "<function " + shift.__qualname__ + ">"
    assert _stable_repr([shift, 0.5]) == "[<function " + shift.__qualname__ + ">, 0.5]"


def test_backup_and_restore_resumes_after_early_stopping_without_training(tmp_path):
    model, x, y = _model_and_data()
    stop = EarlyStopping(monitor="score", mode="max", patience=1)
    scores = [0.5, 0.4, 0.9, 0.9]
    backup = BackupAndRestore(tmp_path, delete_checkpoint=False)
    history = model.fit(x, y, epochs=4, verbose=0, seed=0,
                        callbacks=[InterruptAt(), Inject("score", scores), stop, backup])
    assert history.epoch == [0, 1] and (tmp_path / "checkpoint.h5").is_file()
    weights, iterations = model.get_weights(), model.optimizer.iterations
    again, _, _ = _model_and_data()
    interrupt = InterruptAt()
    history = again.fit(x, y, epochs=4, verbose=2, seed=0, callbacks=[
        interrupt, Inject("score", scores), EarlyStopping(monitor="score", mode="max", patience=1),
        BackupAndRestore(tmp_path, delete_checkpoint=False)])
    assert history.epoch == [0, 1] and interrupt.begun == 0     # restored, nothing trained
    assert again.optimizer.iterations == iterations
    for a, b in zip(again.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    assert (tmp_path / "checkpoint.h5").is_file()        # delete_checkpoint=False keeps it


@pytest.mark.parametrize("change, message", [
    ({"epochs": 5}, r"epochs: 6 there, 5 here"),
    ({"dropout": 0.5}, r"layers: \[.*'rate': 0.3.*\] there, \[.*'rate': 0.5.*\] here"),
    ({"learning_rate": 0.001}, r"optimizer: \{.*'learning_rate': 0.01, .*\} there, "
                               r"\{.*'learning_rate': 0.001, .*\} here"),
])
def test_backup_and_restore_refuses_a_different_fit(tmp_path, change, message):
    """Another epoch count, layer setting or compiled learning rate: refused, naming what
    differs, before anything is restored."""
    with pytest.raises(Interrupted):
        _stochastic_fit(tmp_path, interrupt_at=2)
    with pytest.raises(minicnn.saving.SavingError,
                       match=r"BackupAndRestore: .*checkpoint.h5 was saved by another fit -- "
                             + message + r".*or delete the checkpoint to start over"):
        _stochastic_fit(tmp_path, **change)


def test_backup_and_restore_refuses_another_model_and_a_file_that_is_not_a_checkpoint(tmp_path):
    model, x, y = _model_and_data()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[
        BackupAndRestore(tmp_path, delete_checkpoint=False)])
    other = minicnn.Sequential([Dense(4), Dense(3, activation="softmax")], input_shape=(4,))
    other.compile(minicnn.optimizers.SGD(0.05), "sparse_categorical_crossentropy", ["accuracy"])
    initial = other.get_weights()
    with pytest.raises(minicnn.saving.SavingError,
                       match=r"BackupAndRestore: .*checkpoint.h5 was saved by another fit -- "
                             r"layers: .*'units': 5.*there, .*'units': 4.*here"):
        other.fit(x, y, epochs=2, verbose=0, callbacks=[BackupAndRestore(tmp_path)])
    for a, b in zip(other.get_weights(), initial):       # refused before restoring anything
        np.testing.assert_array_equal(a, b)
    model.save(tmp_path / "checkpoint.h5")
    with pytest.raises(minicnn.saving.SavingError,
                       match=r"BackupAndRestore: cannot resume from .*checkpoint.h5 \(.*not a "
                             r"minicnn training checkpoint.*\); delete it to start over"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[BackupAndRestore(tmp_path)])
