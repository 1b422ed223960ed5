"""minicnn: a from-scratch convolutional neural network framework in NumPy + Numba.

Keras's API and conventions (channels-last, Keras names, defaults and update rules), with every
layer's forward and backward pass written out in its own module::

    import minicnn
    from minicnn.layers import Conv2D, MaxPooling2D, Flatten, Dense

    model = minicnn.Sequential([
        Conv2D(32, (3, 3), activation="relu"),
        MaxPooling2D((2, 2)),
        Flatten(),
        Dense(10, activation="softmax"),
    ], input_shape=(28, 28, 1))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.summary()
    history = model.fit(x_train, y_train, epochs=5, validation_split=0.1)
"""
from minicnn import activations, backend, callbacks, datasets, gradcheck, initializers, layers, losses, \
    metrics, optimizers, zoo
from minicnn.backend import get_backend, set_backend, set_threads, use_backend
from minicnn.layers.base import floatx, set_floatx
from minicnn.models import NonFiniteLossError, Sequential
from minicnn.rng import set_seed
from minicnn.saving import load_model
from minicnn.shapes import ShapeError
from minicnn.trace import trace

__version__ = "0.1.0"

__all__ = ["Sequential", "load_model", "trace", "layers", "datasets", "zoo", "losses", "optimizers", "initializers", "activations",
           "metrics", "callbacks", "gradcheck", "set_backend", "get_backend", "use_backend",
           "set_threads", "set_seed", "set_floatx", "floatx", "ShapeError", "NonFiniteLossError", "__version__"]
