"""Report 000 (Swedish lab 1) on Fashion-MNIST: the section B/C model.

Section A's setting "padding, small window, small strides" (3x3 kernels, 'same', stride 1) with
section B's Dropout(0.25) after every pooling layer, a second Dense(128) and Dropout(0.5);
section C prints its Keras summary: 258,058 parameters.
"""
from minicnn.layers import Conv2D, Dense, Dropout, Flatten, Input, MaxPooling2D
from minicnn.models import Sequential


def section_c_model():
    """Conv 32/64/128 @3x3 same, each + pool + Dropout .25, Dense 128-128, Dropout .5, Dense 10."""
    return Sequential([
        Input((28, 28, 1)),
        Conv2D(32, (3, 3), padding="same", activation="relu"), MaxPooling2D((2, 2)), Dropout(0.25),
        Conv2D(64, (3, 3), padding="same", activation="relu"), MaxPooling2D((2, 2)), Dropout(0.25),
        Conv2D(128, (3, 3), padding="same", activation="relu"), MaxPooling2D((2, 2)), Dropout(0.25),
        Flatten(),
        Dense(128, activation="relu"),
        Dense(128, activation="relu"),
        Dropout(0.5),
        Dense(10, activation="softmax"),
    ])
