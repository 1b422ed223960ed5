"""Report 000 (Swedish lab 1) on Fashion-MNIST: the fully connected baseline, section A's CNN
under its eight padding / window / stride settings, and section B's regularised CNNs.

Section A's CNN (inspired by the report's reference 6): three Conv2D + MaxPooling2D blocks with
32, 64, 128 filters, Flatten, Dense(128), Dense(10). The report trains it under eight settings
("No padding, small window, large strides", ...). ``section_a_cnn`` applies the settings to the
*first* convolution and keeps the other two at section C's 3x3 / 'same' / stride 1: applied to
all three, "no padding" with a larger window or stride shrinks a 28x28 image to nothing before
the third block (5x5: 28 -> 24 -> 12 -> 8 -> 4 -> 0; stride 2: 28 -> 13 -> 6 -> 2 -> 1 -> 0), yet
the report trains all eight. "Large window" is 5x5, "large strides" is 2. For the two
stride-1 "no padding" settings the recipes use ``section_a_cnn_all_valid`` ('valid' in all three
convolutions, which can be built there) -- a reading chosen after seeing the first one's results
(docs/zoo.md says why and what that means for those two rows).

Section B adds Dropout(0.25) after every pooling layer, a second Dense(128) and Dropout(0.5)
(``section_c_model``, whose Keras summary section C prints: 258,058 parameters), then L2
regularisation (``section_b_l2_model``). The report's code (lab1a.py, lab1b.py) is not included.
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


def fully_connected():
    """The fully connected baseline ("alla-till-alla nät"): Flatten, Dense 128 ReLU, Dense 10.

    The report does not print it; this is section A's classifier head on the raw image (the
    TensorFlow clothing-classification tutorial's network). 101,770 parameters.
    """
    return Sequential([
        Input((28, 28, 1)),
        Flatten(),
        Dense(128, activation="relu"),
        Dense(10, activation="softmax"),
    ])


# Section A's eight settings, in the report's words -> section_a_cnn's arguments.
SECTION_A_SETTINGS = {
    "No padding, small window, small strides": dict(padding="valid", window=3, strides=1),
    "No padding, small window, large strides": dict(padding="valid", window=3, strides=2),
    "No padding, large window, small strides": dict(padding="valid", window=5, strides=1),
    "No padding, large window, large strides": dict(padding="valid", window=5, strides=2),
    "Padding, small window, small strides": dict(padding="same", window=3, strides=1),
    "Padding, small window, large strides": dict(padding="same", window=3, strides=2),
    "Padding, large window, small strides": dict(padding="same", window=5, strides=1),
    "Padding, large window, large strides": dict(padding="same", window=5, strides=2),
}


def section_a_cnn(padding="same", window=3, strides=1):
    """Section A's CNN; ``padding``, ``window`` and ``strides`` are the first Conv2D's.

    Conv 32 @window/strides/padding, pool, Conv 64 @3x3 same, pool, Conv 128 @3x3 same, pool,
    Flatten, Dense 128, Dense 10 (ReLU, softmax output; 2x2 'valid' max-pooling, which floors).
    ``section_a_cnn()`` is "Padding, small window, small strides": 241,546 parameters.
    """
    return Sequential([
        Input((28, 28, 1)),
        Conv2D(32, (window, window), strides=strides, padding=padding, activation="relu"),
        MaxPooling2D((2, 2)),
        Conv2D(64, (3, 3), padding="same", activation="relu"),
        MaxPooling2D((2, 2)),
        Conv2D(128, (3, 3), padding="same", activation="relu"),
        MaxPooling2D((2, 2)),
        Flatten(),
        Dense(128, activation="relu"),
        Dense(10, activation="softmax"),
    ])


def section_a_cnn_all_valid(window=3):
    """Section A's CNN for "No padding, small/large window, small strides": 'valid'
    convolutions in all three blocks, the first ``window`` x ``window``, the others 3x3
    (small window: 28 -> 26 -> 13 -> 11 -> 5 -> 3 -> 1; large window: 28 -> 24 -> 12 -> 10 -> 5
    -> 3 -> 1), leaving 1x1x128 features for the classifier. Possible with stride 1 only: with
    stride 2 the third block would get a 2x2 input. 110,474 parameters with ``window=3``,
    110,986 with ``window=5``.
    """
    return Sequential([
        Input((28, 28, 1)),
        Conv2D(32, (window, window), activation="relu"), MaxPooling2D((2, 2)),
        Conv2D(64, (3, 3), activation="relu"), MaxPooling2D((2, 2)),
        Conv2D(128, (3, 3), activation="relu"), MaxPooling2D((2, 2)),
        Flatten(),
        Dense(128, activation="relu"),
        Dense(10, activation="softmax"),
    ])


def section_b_l2_model(l2=0.001):
    """``section_c_model`` with ``kernel_regularizer=l2(l2)`` on every hidden Conv2D and Dense.

    Table B's "Padding, small window, small strides, dropout, l2 regularizer, image
    augmentation". The report names neither the factor nor the layers; 0.001 is the value of
    Chollet's book (the report's reference 1). 258,058 parameters, as section C's model.
    """
    from minicnn.regularizers import l2 as l2_penalty

    def reg():
        return l2_penalty(l2)

    return Sequential([
        Input((28, 28, 1)),
        Conv2D(32, (3, 3), padding="same", activation="relu", kernel_regularizer=reg()),
        MaxPooling2D((2, 2)), Dropout(0.25),
        Conv2D(64, (3, 3), padding="same", activation="relu", kernel_regularizer=reg()),
        MaxPooling2D((2, 2)), Dropout(0.25),
        Conv2D(128, (3, 3), padding="same", activation="relu", kernel_regularizer=reg()),
        MaxPooling2D((2, 2)), Dropout(0.25),
        Flatten(),
        Dense(128, activation="relu", kernel_regularizer=reg()),
        Dense(128, activation="relu", kernel_regularizer=reg()),
        Dropout(0.5),
        Dense(10, activation="softmax"),
    ])
