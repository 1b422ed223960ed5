"""Gradient checking: compare every ``backward`` with central finite differences, in float64.

For a layer, pick a fixed random upstream gradient ``dout`` and check the scalar
``L(x, params) = sum(dout * layer.forward(x))``, whose exact gradients are what ``backward(dout)``
returns (``dx``) and stores (``layer.grads``). For every element ``t`` of ``x`` and of each
parameter, the numerical estimate is::

    dL/dt ~ (L(t + eps) - L(t - eps)) / (2 * eps)          eps = 1e-6, float64

and each tensor is scored by its relative error::

    rel_error = max|analytic - numeric| / max(1e-8, max|analytic| + max|numeric|)

(the worst absolute disagreement, relative to the tensor's scale -- robust where single
entries are near zero). A tensor passes when ``rel_error < threshold`` (default 1e-6), or when
every disagreement is within the finite differences' own rounding noise::

    max|analytic - numeric| <= noise = NOISE_ULPS * ulp(L) / eps          (about 4e-9 for L ~ 2)

The second rule is for tensors whose exact gradient is zero -- a BatchNormalization's beta
followed by another BatchNormalization, whose mean subtraction cancels any shift: ``analytic`` is
then ~1e-17 while ``numeric`` is whatever L(t + eps) and L(t - eps) lost to rounding (an ulp or
two of L, i.e. ~1e-10), and no relative error can be small. A disagreement that small is below
what central differences can resolve, so it cannot be called wrong either; the report marks such
tensors "within rounding noise" instead of hiding their relative error.

For a model, ``check_model`` does the same with the model's loss on (x, y) in place of ``L``.
Weight penalties (``kernel_regularizer=``) are part of both scalars -- ``layer.regularization_loss()``
is added to ``L`` and the model's loss includes them -- because ``backward`` adds their gradients.

Everything runs in float64; the parameters are cast for the check and restored afterwards.
Stochastic layers (Dropout) have their generator reset before every forward, so the same mask
is used throughout ("frozen dropout mask").
"""
import copy
from dataclasses import dataclass, field

import numpy as np


class GradientCheckError(AssertionError):
    """Raised by ``check_layer``/``check_model`` when a tensor's relative error is too large."""


@dataclass
class TensorCheck:
    """The comparison for one tensor (``x`` or a parameter)."""
    name: str
    rel_error: float
    worst_index: tuple
    analytic: float
    numeric: float
    checked: int          # how many elements were perturbed
    size: int
    abs_error: float = 0.0  # max|analytic - numeric|
    noise: float = 0.0      # the finite differences' rounding noise (module docstring)

    def passes(self, threshold):
        return self.rel_error < threshold or self.within_noise

    @property
    def within_noise(self):
        return self.abs_error <= self.noise


@dataclass
class GradcheckReport:
    """Per-tensor results; ``ok`` when every tensor is under ``threshold`` or within rounding
    noise (module docstring). Printing it gives a small table."""
    what: str
    threshold: float
    tensors: list = field(default_factory=list)

    @property
    def ok(self):
        return all(t.passes(self.threshold) for t in self.tensors)

    @property
    def max_rel_error(self):
        return max((t.rel_error for t in self.tensors), default=0.0)

    def __str__(self):
        lines = [f"gradient check of {self.what} (float64, threshold {self.threshold:g})",
                 f"  {'tensor':<28}{'rel. error':>12}  {'checked':>9}  worst index: analytic vs numeric"]
        for t in self.tensors:
            flag = ("" if t.rel_error < self.threshold else
                    "   (within rounding noise)" if t.within_noise else "   <-- FAIL")
            lines.append(f"  {t.name:<28}{t.rel_error:>12.2e}  {t.checked:>4}/{t.size:<4}  "
                         f"{t.worst_index}: {t.analytic:.8g} vs {t.numeric:.8g}{flag}")
        lines.append("  OK" if self.ok else "  FAILED")
        return "\n".join(lines)


def relative_error(analytic, numeric):
    """max|a - n| / max(1e-8, max|a| + max|n|) over the checked elements."""
    diff = np.abs(analytic - numeric)
    scale = max(1e-8, float(np.abs(analytic).max(initial=0.0) + np.abs(numeric).max(initial=0.0)))
    return float(diff.max(initial=0.0)) / scale


# How many units in the last place of L the two evaluations of a central difference may lose to
# rounding, together (seen: 1-2; a loss summed over many terms can lose a few more).
NOISE_ULPS = 8


def rounding_noise(loss_value, eps):
    """The resolution of a central difference of a float64 loss near ``loss_value``."""
    return NOISE_ULPS * float(np.spacing(abs(loss_value))) / eps


def numeric_gradient(f, t, indices, eps=1e-6):
    """Central differences of the scalar ``f()`` with respect to ``t[index]`` (t changed in place)."""
    grads = np.empty(len(indices))
    for k, index in enumerate(indices):
        original = t[index]
        t[index] = original + eps
        plus = f()
        t[index] = original - eps
        minus = f()
        t[index] = original
        grads[k] = (plus - minus) / (2 * eps)
    return grads


def _indices(shape, max_checks, rng):
    """All multi-indices of ``shape``, or a random sample of ``max_checks`` of them."""
    size = int(np.prod(shape))
    flat = np.arange(size) if max_checks is None or size <= max_checks \
        else rng.choice(size, max_checks, replace=False)
    return [tuple(int(i) for i in np.unravel_index(k, shape)) for k in flat]


def _compare(name, analytic, f, t, eps, max_checks, rng, noise):
    indices = _indices(t.shape, max_checks, rng)
    numeric = numeric_gradient(f, t, indices, eps)
    picked = np.array([analytic[i] for i in indices])
    err = relative_error(picked, numeric)
    abs_error = np.abs(picked - numeric)
    worst = int(np.argmax(abs_error)) if indices else 0
    return TensorCheck(name, err, indices[worst] if indices else (), float(picked[worst]) if indices
                       else 0.0, float(numeric[worst]) if indices else 0.0, len(indices), t.size,
                       float(abs_error.max(initial=0.0)), noise)


class _Float64:
    """Context: a layer's parameters cast to float64, restored (values and dtype) on exit."""

    def __init__(self, layers):
        self.layers = layers

    def __enter__(self):
        self.saved = [(layer, dict(layer.params), dict(layer.non_trainable_params))
                      for layer in self.layers]
        for layer in self.layers:
            layer.params = {k: v.astype(np.float64) for k, v in layer.params.items()}
            layer.non_trainable_params = {k: v.astype(np.float64)
                                          for k, v in layer.non_trainable_params.items()}
        return self

    def __exit__(self, *exc):
        for layer, params, non_trainable in self.saved:
            layer.params, layer.non_trainable_params = params, non_trainable
            layer.grads = {}
        return False


def _freeze_randomness(layers):
    """A function that resets every stochastic layer's generator, to replay the same masks."""
    states = [(layer, copy.deepcopy(layer.rng)) for layer in layers if hasattr(layer, "rng")]

    def reset():
        for layer, rng in states:
            layer.rng = copy.deepcopy(rng)
    return reset


def _finish(report, raise_on_failure):
    if raise_on_failure and not report.ok:
        raise GradientCheckError(str(report))
    return report


def check_layer(layer, input_shape=None, x=None, batch_size=2, training=True, eps=1e-6,
                threshold=1e-6, max_checks=None, seed=0, raise_on_failure=True):
    """Check ``layer.backward`` against finite differences for its input and every parameter.

    layer       : a minicnn layer (built here from ``input_shape`` if it is not built yet)
    input_shape : per-sample shape, e.g. (8, 8, 3); or give ``x`` (N, ...) directly
    max_checks  : perturb at most this many random elements per tensor (None: all of them)
    Returns a ``GradcheckReport``; raises ``GradientCheckError`` on failure unless told not to.
    """
    rng = np.random.default_rng(seed)
    if x is None:
        x = rng.standard_normal((batch_size,) + tuple(input_shape))
    x = np.array(x, dtype=np.float64)
    if not layer.built:
        layer.build(x.shape[1:])
    reset = _freeze_randomness([layer])
    with _Float64([layer]):
        reset()
        dout = rng.standard_normal(layer.forward(x, training=training).shape)

        def loss():
            reset()
            # + the layer's weight penalties, whose gradients backward adds (0.0 if none)
            return float(np.sum(dout * layer.forward(x, training=training))) \
                + layer.regularization_loss()

        reset()
        layer.forward(x, training=training)
        dx = layer.backward(dout.copy())
        grads = {k: v.copy() for k, v in layer.grads.items()}
        noise = rounding_noise(loss(), eps)             # one loss value: the same for every tensor
        report = GradcheckReport(repr(layer), threshold)
        report.tensors.append(_compare("x", dx, loss, x, eps, max_checks, rng, noise))
        for name, param in layer.params.items():
            report.tensors.append(_compare(name, grads[name], loss, param, eps, max_checks, rng,
                                           noise))
    return _finish(report, raise_on_failure)


def check_model(model, x, y, training=True, eps=1e-6, threshold=1e-6, max_checks=None, seed=0,
                check_input=True, raise_on_failure=True):
    """Check a compiled model's whole backward pass (loss included) against finite differences.

    Uses the same path as training: forward, the model's loss (fused with the softmax where the
    model ends in one), backward. Checks dL/dx (if ``check_input``) and every parameter.
    """
    if model.loss is None:
        raise RuntimeError("check_model: compile the model first (the loss is part of the check)")
    rng = np.random.default_rng(seed)
    x = np.array(x, dtype=np.float64)
    if not model.built:
        model.build(x.shape[1:])
    model.loss.check_targets(y, model.output_shape[-1])
    reset = _freeze_randomness(model.layers)
    with _Float64(model.layers):
        def loss():
            reset()
            return model._loss_and_grad(y, model.forward(x, training=training))[0]

        reset()
        y_pred = model.forward(x, training=training)
        loss_value, dy, through_final = model._loss_and_grad(y, y_pred)
        noise = rounding_noise(loss_value, eps)
        dx = model.backward(dy, through_final)
        grads = [(layer, {k: v.copy() for k, v in layer.grads.items()}) for layer in model.layers]
        report = GradcheckReport(repr(model), threshold)
        if check_input:
            report.tensors.append(_compare("x", dx, loss, x, eps, max_checks, rng, noise))
        for layer, layer_grads in grads:
            for name, param in layer.params.items():
                report.tensors.append(_compare(f"{layer.layer_name}/{name}", layer_grads[name],
                                               loss, param, eps, max_checks, rng, noise))
    return _finish(report, raise_on_failure)


def layer_gallery():
    """One small configuration of every layer type, for ``minicnn gradcheck``: (layer, shape)."""
    from minicnn import layers as L
    return [
        (L.Conv2D(3, (3, 2), strides=2, padding="same", activation="relu"), (7, 8, 2)),
        (L.MaxPooling2D(3, strides=2, padding="same"), (7, 7, 2)),
        (L.AveragePooling2D(2, padding="same"), (5, 5, 2)),
        (L.GlobalAveragePooling2D(), (4, 4, 3)),
        (L.GlobalMaxPooling2D(), (4, 4, 3)),
        (L.DepthwiseConv2D(3, depth_multiplier=2), (6, 6, 2)),
        (L.SeparableConv2D(3, 3, padding="same"), (6, 6, 2)),
        (L.Conv2DTranspose(2, 3, strides=2), (4, 4, 2)),
        (L.BatchNormalization(), (4, 4, 3)),
        (L.Residual(main=[L.Conv2D(2, 3, padding="same", use_bias=False), L.BatchNormalization()],
                    shortcut=[L.Conv2D(2, 1)], activation="relu"), (5, 5, 2)),
        (L.ZeroPadding2D(((1, 0), (2, 1))), (3, 4, 2)),
        (L.Reshape((4, -1)), (2, 2, 3)),
        (L.Flatten(), (3, 2, 2)),
        (L.Dropout(0.3, seed=0), (10,)),
        (L.Dense(4, activation="tanh"), (6,)),
        (L.LeakyReLU(), (5,)),
        (L.Softmax(), (5,)),
    ]

