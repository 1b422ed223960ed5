"""Watch backpropagation happen: what every layer computed during a training step.

    with minicnn.trace(model) as t:
        model.train_on_batch(x, y)
    print(t)                          # one row per layer
    t["conv2d"].output                # the arrays themselves, to plot or inspect
    t["conv2d"].grads["kernel"]

Per layer it records, from the last forward and backward inside the ``with`` block:

==============  ==============================================================================
shapes          input and output shape of the batch
activations     mean and standard deviation of the output; the share of exact zeros (after a
                ReLU: units that did not fire) and the share of *dead* units -- channels (or
                Dense units) that are zero for every sample of the batch, which pass no
                gradient at all (001's discussion of ReLU vs LeakyReLU)
gradients       the norm of dL/d(output) arriving from above, of dL/dx sent below (none for a
                model's first layer in training: nothing needs it), and of every dL/dparam
updates         ||W_after - W_before|| / ||W_before|| for each parameter over the whole block:
                the optimizer's step relative to the weight (a rule of thumb: about 1e-3)
==============  ==============================================================================

A vanishing gradient shows as gradient norms shrinking layer by layer towards the input; dead
ReLUs as a high dead share. Nothing here changes the computation: the layers' own ``forward``
and ``backward`` run, wrapped to keep copies of what they take and return.
"""
from dataclasses import dataclass, field

import numpy as np


class MethodPatches:
    """Replace methods on objects for a while and put the originals back.

    ``patch(owner, name, new)`` sets ``owner.name = new``; ``restore()`` undoes every patch in
    reverse order (instance attributes are deleted, so the class's method shows again)."""

    def __init__(self):
        self._saved = []

    def patch(self, owner, name, new):
        had_own = name in vars(owner)
        self._saved.append((owner, name, vars(owner).get(name), had_own))
        setattr(owner, name, new)

    def restore(self):
        for owner, name, original, had_own in reversed(self._saved):
            if had_own:
                setattr(owner, name, original)
            else:
                delattr(owner, name)
        self._saved.clear()


def _norm(a):
    return None if a is None else float(np.sqrt(np.sum(np.square(a, dtype=np.float64))))


@dataclass
class LayerTrace:
    """What one layer saw in the traced step (arrays are copies)."""
    name: str
    kind: str
    input: np.ndarray = None
    output: np.ndarray = None
    dy: np.ndarray = None                     # dL/d(output), from the layer above
    dx: np.ndarray = None                     # dL/d(input), sent to the layer below
    grads: dict = field(default_factory=dict)
    update_ratio: dict = field(default_factory=dict)   # ||dW|| / ||W|| per parameter

    @property
    def zero_share(self):
        return float(np.mean(self.output == 0)) if self.output is not None else None

    @property
    def dead_share(self):
        """Share of channels / units whose output is zero for every sample of the batch."""
        if self.output is None or self.output.ndim < 2:
            return None
        per_unit = np.all(self.output.reshape(-1, self.output.shape[-1]) == 0, axis=0)
        return float(np.mean(per_unit))


class trace:
    """Context manager recording every layer of ``model`` during the steps run inside it."""

    def __init__(self, model):
        self.model = model
        self.layers = {}

    def __enter__(self):
        self._patches = MethodPatches()
        self._before = {layer.layer_name: {k: v.copy() for k, v in layer.params.items()}
                        for layer in self.model.layers}
        for layer in self.model.layers:
            record = LayerTrace(layer.layer_name, type(layer).__name__)
            self.layers[layer.layer_name] = record
            self._patches.patch(layer, "forward", self._forward(layer, record))
            self._patches.patch(layer, "backward", self._backward(layer, record))
        return self

    @staticmethod
    def _forward(layer, record):
        original = layer.forward

        def forward(x, training=False):
            y = original(x, training=training)
            record.input, record.output = np.array(x), np.array(y)
            return y
        return forward

    @staticmethod
    def _backward(layer, record):
        original = layer.backward

        def backward(dy, **kwargs):
            dx = original(dy, **kwargs)
            record.dy = np.array(dy)
            record.dx = None if dx is None else np.array(dx)
            record.grads = {k: v.copy() for k, v in layer.grads.items()}
            return dx
        return backward

    def __exit__(self, *exc):
        self._patches.restore()
        for layer in self.model.layers:
            record = self.layers[layer.layer_name]
            for name, before in self._before[layer.layer_name].items():
                after = layer.params[name]
                record.update_ratio[name] = _norm(after - before) / max(_norm(before), 1e-12)
        return False

    def __getitem__(self, layer_name):
        return self.layers[layer_name]

    def table(self):
        """The per-layer summary as text (what ``print(t)`` shows)."""
        header = ["layer", "output", "mean", "std", "zeros", "dead", "|dL/dout|", "|dL/dx|",
                  "|dL/dW|", "update/W"]
        rows = []
        for r in self.layers.values():
            kernel = next(iter(r.grads), None)              # the main parameter (kernel first)
            rows.append([
                f"{r.name} ({r.kind})",
                "" if r.output is None else "x".join(map(str, r.output.shape[1:])),
                _fmt(None if r.output is None else float(r.output.mean())),
                _fmt(None if r.output is None else float(r.output.std())),
                _pct(r.zero_share), _pct(r.dead_share), _fmt(_norm(r.dy)),
                "-" if r.dy is not None and r.dx is None else _fmt(_norm(r.dx)),
                "" if kernel is None else _fmt(_norm(r.grads[kernel])),
                "" if kernel is None else _fmt(r.update_ratio.get(kernel))])
        widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                           for i, (c, w) in enumerate(zip(row, widths)))
                 for row in [header] + rows]
        note = ("dead: channels/units zero for the whole batch; |dL/dW| and update/W for the "
                "first parameter (the kernel); '-': not computed (the model's first layer)")
        return "\n".join(lines + [note])

    __str__ = table


def _fmt(value):
    return "" if value is None else f"{value:.3g}"


def _pct(value):
    return "" if value is None else f"{100 * value:.0f}%"
