"""Report 004: a small Conv-Pool-Conv-Pool-Dense model on Fashion-MNIST trained with SGD.

The report names variants by which of the four blocks [conv1, pool1, conv2, pool2] are present:
"1-1-1-1" is the main model (113,386 parameters), "1-0-1-1" drops the first pooling layer
(600,810 parameters, the report's final model).
"""
from minicnn.layers import Conv2D, Dense, Flatten, MaxPool2D
from minicnn.models import Sequential


def main_model(code="1-1-1-1", feature_maps=32):
    """Build the variant named by ``code`` ("conv1-pool1-conv2-pool2", each 1 or 0)."""
    flags = code.split("-")
    if len(flags) != 4 or set(flags) - {"0", "1"}:
        raise ValueError(f"main_model: code must look like '1-0-1-1' (conv1-pool1-conv2-pool2), "
                         f"got {code!r}")
    conv1, pool1, conv2, pool2 = (flag == "1" for flag in flags)
    model = Sequential(input_shape=(28, 28, 1))
    if conv1:
        model.add(Conv2D(feature_maps, (3, 3), activation="relu"))
    if pool1:
        model.add(MaxPool2D(2, 2))
    if conv2:
        model.add(Conv2D(feature_maps, (3, 3), activation="relu"))
    if pool2:
        model.add(MaxPool2D(2, 2))
    model.add(Flatten())
    model.add(Dense(128, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model
