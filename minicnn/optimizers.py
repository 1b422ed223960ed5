"""Optimizers with Keras's (tf.keras 2.x) update rules and defaults.

An optimizer updates every trainable parameter *in place* from its gradient, after the model's
backward pass. State (momentum, moment estimates) is kept per parameter, keyed by
``(layer name, parameter name)``, so it can be saved and inspected.

SGD (lr 0.01)::

    momentum == 0:  p <- p - lr * g
    momentum  > 0:  v <- momentum * v - lr * g
                    p <- p + v                         (nesterov: p <- p + momentum * v - lr * g)

Adam (lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7), t = 1, 2, ... counts steps::

    m <- beta_1 * m + (1 - beta_1) * g
    v <- beta_2 * v + (1 - beta_2) * g^2
    p <- p - lr_t * m / (sqrt(v) + epsilon),   lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)

(the "epsilon-hat" form of Kingma & Ba, section 2, which is what tf.keras implements).

RMSprop (lr 0.001, rho 0.9, epsilon 1e-7)::

    s <- rho * s + (1 - rho) * g^2
    p <- p - lr * g / (sqrt(s) + epsilon)

This is tf.keras 2.x's rule (epsilon *outside* the square root), which the reports used;
Keras 3 moved it inside (``sqrt(s + epsilon)``). With epsilon = 1e-7 the two differ only when
``s`` is tiny.
"""
import math
import numbers

import numpy as np


class Optimizer:
    """Base class: iterates over (key, param, grad) triples and keeps per-parameter state."""

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.iterations = 0
        self.state = {}          # {(layer name, param name): {slot name: array}}

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        # checked on every assignment: callbacks and the CLI set it after construction too
        if not (_is_number(value) and math.isfinite(value) and value > 0):
            raise ValueError(f"{type(self).__name__}: learning_rate must be a positive number, "
                             f"got {value!r}")
        self._learning_rate = float(value)

    def _check_fraction(self, name, value):
        """A decay rate (beta_1, beta_2, rho) must be in [0, 1): at 1 the moving averages never
        move and Adam's bias correction divides by zero."""
        if not (_is_number(value) and 0.0 <= value < 1.0):
            raise ValueError(f"{type(self).__name__}: {name} must be a number in [0, 1), "
                             f"got {value!r}")
        return float(value)

    def _check_epsilon(self, value):
        if not (_is_number(value) and math.isfinite(value) and value > 0):
            raise ValueError(f"{type(self).__name__}: epsilon must be a positive number (it keeps "
                             f"the division by sqrt(v) finite), got {value!r}")
        return float(value)

    def slots(self, key, param, *names):
        """The state arrays of one parameter, created as zeros on first use."""
        if key not in self.state:
            self.state[key] = {name: np.zeros_like(param) for name in names}
        return self.state[key]

    def apply_gradients(self, layers):
        """One update of every trainable parameter of ``layers`` from its ``grads``."""
        self.iterations += 1
        for layer in layers:
            for name, param in layer.params.items():
                self.update(param, layer.grads[name], (layer.layer_name, name))

    def update(self, param, grad, key):
        raise NotImplementedError

    def get_config(self):
        return {"learning_rate": self.learning_rate}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        super().__init__(learning_rate)
        if not (_is_number(momentum) and 0.0 <= momentum <= 1.0):
            raise ValueError(f"SGD: momentum must be in [0, 1], got {momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def update(self, param, grad, key):
        lr = param.dtype.type(self.learning_rate)
        if self.momentum == 0.0:
            param -= lr * grad
            return
        v = self.slots(key, param, "velocity")["velocity"]
        v *= self.momentum
        v -= lr * grad
        if self.nesterov:
            param += self.momentum * v - lr * grad
        else:
            param += v

    def get_config(self):
        return {"learning_rate": self.learning_rate, "momentum": self.momentum,
                "nesterov": self.nesterov}


class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(learning_rate)
        self.beta_1 = self._check_fraction("beta_1", beta_1)
        self.beta_2 = self._check_fraction("beta_2", beta_2)
        self.epsilon = self._check_epsilon(epsilon)

    def update(self, param, grad, key):
        slots = self.slots(key, param, "m", "v")
        m, v = slots["m"], slots["v"]
        t = self.iterations
        lr_t = self.learning_rate * np.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        m *= self.beta_1
        m += (1 - self.beta_1) * grad
        v *= self.beta_2
        v += (1 - self.beta_2) * (grad * grad)
        param -= param.dtype.type(lr_t) * m / (np.sqrt(v) + param.dtype.type(self.epsilon))

    def get_config(self):
        return {"learning_rate": self.learning_rate, "beta_1": self.beta_1,
                "beta_2": self.beta_2, "epsilon": self.epsilon}


class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-7):
        super().__init__(learning_rate)
        self.rho = self._check_fraction("rho", rho)
        self.epsilon = self._check_epsilon(epsilon)

    def update(self, param, grad, key):
        s = self.slots(key, param, "rms")["rms"]
        s *= self.rho
        s += (1 - self.rho) * (grad * grad)
        param -= (param.dtype.type(self.learning_rate) * grad
                  / (np.sqrt(s) + param.dtype.type(self.epsilon)))

    def get_config(self):
        return {"learning_rate": self.learning_rate, "rho": self.rho, "epsilon": self.epsilon}


def _is_number(value):
    """A real number (a NumPy scalar too), not a bool or a string."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


OPTIMIZERS = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def get(identifier):
    """An optimizer from a Keras name (with Keras's defaults) or an optimizer object."""
    if isinstance(identifier, str) and identifier.lower() in OPTIMIZERS:
        return OPTIMIZERS[identifier.lower()]()
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, type):
        raise TypeError(f"optimizer: pass an instance, {identifier.__name__}(), not the class")
    raise ValueError(f"unknown optimizer {identifier!r}; valid names: " + ", ".join(OPTIMIZERS))
