"""Optimizers follow tf.keras 2.x's update rules and defaults (checked against scalar loops)."""
import math
import re

import numpy as np
import pytest

from minicnn.layers import Dense
from minicnn.optimizers import SGD, Adam, RMSprop, get


def _run(optimizer, grads, p0=1.0):
    """Apply a sequence of scalar gradients to a one-parameter layer; return the trajectory."""
    layer = Dense(1, use_bias=False, name="d")
    layer.build((1,))
    layer.params["kernel"][...] = p0
    layer.params["kernel"] = layer.params["kernel"].astype(np.float64)
    out = []
    for g in grads:
        layer.grads["kernel"] = np.array([[g]])
        optimizer.apply_gradients([layer])
        out.append(float(layer.params["kernel"][0, 0]))
    return out


GRADS = [0.5, -1.0, 2.0, 0.25, 0.0, -3.0]


def test_defaults_are_keras():
    assert (SGD().learning_rate, SGD().momentum, SGD().nesterov) == (0.01, 0.0, False)
    a = Adam()
    assert (a.learning_rate, a.beta_1, a.beta_2, a.epsilon) == (0.001, 0.9, 0.999, 1e-7)
    r = RMSprop()
    assert (r.learning_rate, r.rho, r.epsilon) == (0.001, 0.9, 1e-7)
    assert isinstance(get("adam"), Adam) and isinstance(get("SGD"), SGD)
    with pytest.raises(ValueError, match="unknown optimizer 'adagrad'; valid names: sgd, adam, rmsprop"):
        get("adagrad")


@pytest.mark.parametrize("momentum, nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_sgd(momentum, nesterov):
    p, v, expected = 1.0, 0.0, []
    for g in GRADS:
        v = momentum * v - 0.1 * g
        p = p + (momentum * v - 0.1 * g if nesterov else v) if momentum else p - 0.1 * g
        expected.append(p)
    np.testing.assert_allclose(_run(SGD(0.1, momentum, nesterov), GRADS), expected, rtol=1e-12)


def test_adam_epsilon_hat_form():
    p, m, v, expected = 1.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        lr_t = 0.01 * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        p -= lr_t * m / (math.sqrt(v) + 1e-7)
        expected.append(p)
    np.testing.assert_allclose(_run(Adam(0.01), GRADS), expected, rtol=1e-12)
    # First step of Adam moves each weight by about the learning rate, whatever |g| is.
    assert _run(Adam(0.01), [123.0])[0] == pytest.approx(1.0 - 0.01, rel=1e-6)


def test_rmsprop_tf2_epsilon_outside_sqrt():
    p, s, expected = 1.0, 0.0, []
    for g in GRADS:
        s = 0.9 * s + 0.1 * g * g
        p -= 0.01 * g / (math.sqrt(s) + 1e-7)
        expected.append(p)
    np.testing.assert_allclose(_run(RMSprop(0.01), GRADS), expected, rtol=1e-12)


def test_updates_keep_float32_parameters_float32():
    layer = Dense(3)
    layer.build((4,))
    for name in layer.params:
        layer.grads[name] = np.ones_like(layer.params[name])
    for opt in (SGD(momentum=0.9), Adam(), RMSprop()):
        kernel = layer.params["kernel"]
        opt.apply_gradients([layer])
        assert layer.params["kernel"] is kernel and kernel.dtype == np.float32   # in place


def test_bad_learning_rate():
    with pytest.raises(ValueError, match="Adam: learning_rate must be a positive number"):
        Adam(learning_rate=-1)
    optimizer = SGD()
    for bad in (-5.0, 0, float("nan"), "0.1", True):          # also when set after construction
        with pytest.raises(ValueError, match=r"SGD: learning_rate must be a positive number, "
                                             r"got " + re.escape(repr(bad))):
            optimizer.learning_rate = bad
    optimizer.learning_rate = np.float32(0.5)                 # a NumPy scalar is a number
    assert optimizer.learning_rate == 0.5 and type(optimizer.learning_rate) is float


@pytest.mark.parametrize("make, message", [
    (lambda: Adam(beta_1=1.0), r"Adam: beta_1 must be a number in \[0, 1\), got 1.0"),
    (lambda: Adam(beta_2=-1), r"Adam: beta_2 must be a number in \[0, 1\), got -1"),
    (lambda: Adam(epsilon=0), r"Adam: epsilon must be a positive number .* got 0"),
    (lambda: RMSprop(rho=2.0), r"RMSprop: rho must be a number in \[0, 1\), got 2.0"),
    (lambda: RMSprop(epsilon=-1e-7), r"RMSprop: epsilon must be a positive number"),
    (lambda: SGD(momentum="0.9"), r"SGD: momentum must be in \[0, 1\], got '0.9'"),
])
def test_bad_decay_rates_and_epsilon(make, message):
    """Adam with beta_1 = 1 divides by zero in its bias correction and writes NaN into the
    weights; epsilon = 0 can divide by zero too: refused when the optimizer is made."""
    with pytest.raises(ValueError, match=message):
        make()
