"""Report 001 (CA2): LeNet-5 on MNIST, Adam 1e-4, batch 64, 20 epochs, 1/8 validation split.

Keras summary in the report: 61,706 parameters (156 + 2,416 + 48,120 + 10,164 + 850).
"""
from minicnn.layers import Conv2D, Dense, Flatten, MaxPooling2D
from minicnn.models import Sequential


def lenet5():
    """Conv 6@5x5 same, pool, Conv 16@5x5, pool, Dense 120-84-10 (ReLU; softmax output)."""
    return Sequential([
        Conv2D(6, (5, 5), padding="same", activation="relu", input_shape=(28, 28, 1)),
        MaxPooling2D((2, 2)),
        Conv2D(16, (5, 5), activation="relu"),
        MaxPooling2D((2, 2)),
        Flatten(),
        Dense(120, activation="relu"),
        Dense(84, activation="relu"),
        Dense(10, activation="softmax"),
    ])
