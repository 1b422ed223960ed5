"""Report 004: a small Conv-Pool-Conv-Pool-Dense model on Fashion-MNIST trained with SGD.

The report names variants by which of the four blocks [conv1, pool1, conv2, pool2] are present:
"1-1-1-1" is the main model (113,386 parameters), "1-0-1-1" drops the first pooling layer
(600,810 parameters, the report's final model).
"""
from minicnn.layers import Conv2D, Dense, Dropout, Flatten, MaxPool2D
from minicnn.models import Sequential


def main_model(code="1-1-1-1", feature_maps=32):
    """Build the variant named by ``code`` ("conv1-pool1-conv2-pool2", each 1 or 0): Conv 3x3
    (ReLU), MaxPool 2, Conv 3x3, MaxPool 2 -- those present -- then Flatten, Dense 128, Dense 10."""
    return main_model_variant(code, feature_maps)


EXTRA_BLOCKS = {"": (), "+ 1": ("conv",), "+ 1-1": ("conv", "pool")}


def main_model_variant(code="1-1-1-1", feature_maps=32, extra="", conv_dropout=None,
                       dense_dropout=None):
    """The main model with table 4's changes; with the defaults it is ``main_model()``.

    code           which of [conv1, pool1, conv2, pool2] are present, e.g. "1-0-1-1"
    feature_maps   filters of every Conv2D (tables 3.1, 3.2: 32, 16, 64, 8, 4, 3, 2, 1)
    extra          "+ 1": one more Conv2D after the four blocks ("adding Convolutions 1-0-1-1 + 1");
                   "+ 1-1": one more Conv2D and MaxPool2D ("adding Conv & maxpool 1-0-1-1 + 1-1")
                   -- where the report's final code keeps them, commented out
    conv_dropout   Dropout after conv1 (and pool1, if present): table 4.2's "1-0 - D - 1-1"
    dense_dropout  Dropout between Dense(128) and Dense(10): table 4.3's "1-0-1-1_1-D-1"
    """
    flags = code.split("-")
    if len(flags) != 4 or set(flags) - {"0", "1"}:
        raise ValueError(f"main_model_variant: code must look like '1-0-1-1' "
                         f"(conv1-pool1-conv2-pool2), got {code!r}")
    if extra not in EXTRA_BLOCKS:
        raise ValueError(f"main_model_variant: extra must be one of {list(EXTRA_BLOCKS)}, "
                         f"got {extra!r}")
    conv1, pool1, conv2, pool2 = (flag == "1" for flag in flags)
    model = Sequential(input_shape=(28, 28, 1))
    if conv1:
        model.add(Conv2D(feature_maps, (3, 3), activation="relu"))
    if pool1:
        model.add(MaxPool2D(2, 2))
    if conv_dropout:
        model.add(Dropout(conv_dropout))
    if conv2:
        model.add(Conv2D(feature_maps, (3, 3), activation="relu"))
    if pool2:
        model.add(MaxPool2D(2, 2))
    for block in EXTRA_BLOCKS[extra]:
        model.add(Conv2D(feature_maps, (3, 3), activation="relu") if block == "conv"
                  else MaxPool2D(2, 2))
    model.add(Flatten())
    model.add(Dense(128, activation="relu"))
    if dense_dropout:
        model.add(Dropout(dense_dropout))
    model.add(Dense(10, activation="softmax"))
    return model
