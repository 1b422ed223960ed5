"""Report 002 (Polish) on Fashion-MNIST: convNN_1 ... convNN_4 (appendix A's code).

The report writes every non-linearity as its own ``Activation`` layer after a linear Dense,
which is why its summaries have ``activation_*`` rows; minicnn keeps that form.
convNN_1: 542,230 parameters; convNN_3: 279,126; convNN_4: 3,163,426.
"""
from minicnn.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from minicnn.models import Sequential


def _conv_nn(n_conv, dense_units, dropout):
    model = Sequential()
    model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    model.add(MaxPooling2D((2, 2)))
    if dropout:
        model.add(Dropout(dropout))
    for _ in range(n_conv - 1):
        model.add(Conv2D(32, (3, 3), activation="relu"))
        if dropout:
            model.add(Dropout(dropout))
    model.add(Flatten())
    for units in dense_units:
        model.add(Dense(units))
        model.add(Activation("relu"))
    model.add(Dense(10))
    model.add(Activation("softmax"))
    return model


def convNN_1():
    """One Conv2D, pooling, Dense 100, Dense 10."""
    return _conv_nn(1, [100], dropout=0.0)


def convNN_3():
    """Three Conv2D (pooling after the first), Dense 100, Dense 10."""
    return _conv_nn(3, [100], dropout=0.0)


def convNN_4():
    """convNN_3 with Dropout(0.1) after each conv block and Dense 1000-500-100."""
    return _conv_nn(3, [1000, 500, 100], dropout=0.1)
