"""Report 003: Chollet's "Deep Learning with Python" 5.1 convnet on MNIST and Fashion-MNIST.

Test 1 (MNIST, Dense 64): 93,322 parameters. Test 7 (Fashion-MNIST, Dense 128): 130,890.
Test 6 (no max-pooling, Dense 64): 2,038,922.
"""
from minicnn.layers import Conv2D, Dense, Flatten, MaxPooling2D
from minicnn.models import Sequential


def convnet(dense_units=64, pooling=True):
    """Conv 32, pool, Conv 64, pool, Conv 64, Dense ``dense_units``, Dense 10 (3x3, ReLU)."""
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Conv2D(32, (3, 3), activation="relu"))
    if pooling:
        model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    if pooling:
        model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(Flatten())
    model.add(Dense(dense_units, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model
