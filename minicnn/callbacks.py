"""Callbacks: code that runs at fixed points of ``fit`` (Keras's protocol).

Write your own by subclassing ``Callback`` and overriding any of the hooks; ``self.model`` is
the model being trained and ``logs`` the dict of the epoch's metrics (``loss``, ``accuracy``,
``val_loss``, ...). Set ``self.model.stop_training = True`` to end training after this epoch.
"""
import sys
import time


class Callback:
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
