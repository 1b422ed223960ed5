"""A tour of gradient checking: every layer type, compared with finite differences in float64.

    python examples/gradcheck_tour.py

For each layer a random input and a random upstream gradient define the scalar
L = sum(dout * layer.forward(x)); ``check_layer`` compares what ``backward`` computes with
(L(t + eps) - L(t - eps)) / 2 eps for every input value and every parameter. Then a whole model,
loss included. Finally a deliberately wrong layer, to show what a failure looks like.
"""
import numpy as np

import minicnn
from minicnn.gradcheck import check_layer, check_model
from minicnn.layers import (AveragePooling2D, BatchNormalization, Conv2D, Conv2DTranspose, Dense,
                            DepthwiseConv2D, Dropout, Flatten, LeakyReLU, MaxPooling2D,
                            SeparableConv2D)

LAYERS = [
    (Conv2D(3, (3, 2), strides=2, padding="same", activation="relu"), (7, 8, 2)),
    (MaxPooling2D(3, strides=2, padding="same"), (7, 7, 2)),
    (AveragePooling2D(2, padding="same"), (5, 5, 2)),
    (DepthwiseConv2D(3, depth_multiplier=2), (6, 6, 2)),
    (SeparableConv2D(3, 3, padding="same"), (6, 6, 2)),
    (Conv2DTranspose(2, 3, strides=2), (4, 4, 2)),
    (BatchNormalization(), (4, 4, 3)),
    (Dropout(0.3, seed=0), (10,)),
    (Dense(4, activation="tanh"), (6,)),
    (LeakyReLU(), (5,)),
]


class WrongDense(Dense):
    """A Dense layer with a bug in backward: its kernel gradient comes out 10% too small."""

    def backward(self, dy, through_activation=True):
        dx = super().backward(dy, through_activation)
        self.grads["kernel"] = 0.9 * self.grads["kernel"]
        return dx


def main():
    for layer, input_shape in LAYERS:
        report = check_layer(layer, input_shape, batch_size=3)
        print(f"{type(layer).__name__:<20} max relative error {report.max_rel_error:.1e}")

    model = minicnn.Sequential([Conv2D(4, 3, padding="same", activation="relu"), MaxPooling2D(2),
                                Flatten(), Dense(3, activation="softmax")], input_shape=(6, 6, 1))
    model.compile("sgd", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    print("\nA whole model, through the fused softmax + cross-entropy:")
    print(check_model(model, rng.standard_normal((4, 6, 6, 1)), rng.integers(0, 3, 4)))

    print("\nA wrong backward pass is caught and located:")
    print(check_layer(WrongDense(3), (4,), raise_on_failure=False))


if __name__ == "__main__":
    main()
