"""Report 001 (CA2): LeNet-5 on MNIST, Adam 1e-4, batch 64, 20 epochs, 1/8 validation split.

Keras summary in the report: 61,706 parameters (156 + 2,416 + 48,120 + 10,164 + 850).
Task 2.3 (Fashion-MNIST) adds ``model_l2`` (706,218 parameters) and ``model_fash`` (840,586, of
which 2,432 non-trainable: BatchNormalization's moving statistics).
"""
from minicnn.layers import BatchNormalization, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from minicnn.models import Sequential
from minicnn.regularizers import l2


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


def model_l2():
    """Task 2.3's ``model_12``: three 4x4 'same' convolutions (32-64-128) with 'same' pooling,
    Dense 256-64-10, ``kernel_regularizer=l2(0.01)`` on every conv and hidden Dense layer.

    The report's listing lost its first Conv2D line; its summary fixes it: 544 = (4*4*1 + 1)*32
    parameters and output (28, 28, 32) mean ``Conv2D(32, [4, 4], padding='same')``, written like
    the visible lines (relu, l2(0.01)). Totals 706,218 as printed.
    """
    return Sequential([
        Conv2D(32, (4, 4), padding="same", activation="relu", kernel_regularizer=l2(0.01),
               input_shape=(28, 28, 1)),
        MaxPooling2D((2, 2), padding="same"),
        Conv2D(64, (4, 4), padding="same", activation="relu", kernel_regularizer=l2(0.01)),
        MaxPooling2D((2, 2), padding="same"),
        Conv2D(128, (4, 4), padding="same", activation="relu", kernel_regularizer=l2(0.01)),
        MaxPooling2D((2, 2), padding="same"),            # 7 -> 4 with 'same'
        Flatten(),
        Dense(256, activation="relu", kernel_regularizer=l2(0.01)),
        Dense(64, activation="relu", kernel_regularizer=l2(0.01)),
        Dense(10, activation="softmax"),
    ])


def model_fash():
    """Task 2.3's ``model_fash``: conv 32-64 with pooling, Dropout 0.3, BatchNormalization,
    conv 128-128, pooling, Dropout 0.4, Flatten, BatchNormalization, Dense 512, Dropout 0.25,
    Dense 10. 840,586 parameters, 2,432 non-trainable (2*64 + 2*1152 moving statistics)."""
    return Sequential([
        Conv2D(32, (3, 3), padding="same", activation="relu", kernel_initializer="he_normal",
               input_shape=(28, 28, 1)),
        MaxPooling2D(pool_size=(2, 2)),
        Conv2D(64, (3, 3), padding="same", activation="relu"),
        MaxPooling2D(pool_size=(2, 2)),
        Dropout(0.3),
        BatchNormalization(),
        Conv2D(128, (3, 3), padding="same", activation="relu"),
        Conv2D(128, (3, 3), padding="same", activation="relu"),
        MaxPooling2D(pool_size=(2, 2)),
        Dropout(0.4),
        Flatten(),
        BatchNormalization(),
        Dense(512, activation="relu"),
        Dropout(0.25),
        Dense(10, activation="softmax"),
    ])
