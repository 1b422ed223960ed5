"""minicnn.trace: per-layer shapes, activations, gradients and updates of a training step."""
import numpy as np

import minicnn
from minicnn.layers import Conv2D, Dense, Flatten, MaxPooling2D


def _model_and_batch():
    rng = np.random.default_rng(0)
    model = minicnn.Sequential([Conv2D(4, 3, activation="relu"), MaxPooling2D(2), Flatten(),
                                Dense(3, activation="softmax")], input_shape=(8, 8, 1))
    model.compile("sgd", "sparse_categorical_crossentropy")
    return model, rng.standard_normal((6, 8, 8, 1)).astype(np.float32), rng.integers(0, 3, 6)


def test_trace_records_every_layer_and_restores_the_methods():
    model, x, y = _model_and_batch()
    before = [layer.params["kernel"].copy() for layer in (model.layers[0], model.layers[3])]
    with minicnn.trace(model) as t:
        model.train_on_batch(x, y)
    assert all("forward" not in vars(layer) and "backward" not in vars(layer)
               for layer in model.layers)
    conv, dense = t["conv2d"], t["dense"]
    assert conv.input.shape == (6, 8, 8, 1) and conv.output.shape == (6, 6, 6, 4)
    assert conv.dx is None                             # first layer in training: not computed
    assert dense.dx.shape == (6, 36)
    np.testing.assert_array_equal(t["flatten"].dy, dense.dx)     # what flows down the chain
    assert conv.zero_share == float(np.mean(conv.output == 0))
    for record, w0, layer in ((conv, before[0], model.layers[0]), (dense, before[1], model.layers[3])):
        step = np.linalg.norm(layer.params["kernel"] - w0) / np.linalg.norm(w0)
        assert np.isclose(record.update_ratio["kernel"], step)
        # SGD: the update is exactly lr * gradient
        assert np.isclose(np.linalg.norm(layer.params["kernel"] - w0),
                          0.01 * np.linalg.norm(record.grads["kernel"]), rtol=1e-5)
    text = str(t)
    assert text.splitlines()[0].split()[:3] == ["layer", "output", "mean"]
    assert "conv2d (Conv2D)" in text and "6x6x4" in text


def test_dead_relus_show_and_pass_no_gradient():
    model, x, y = _model_and_batch()
    model.layers[0].params["bias"][:2] = -100.0        # two channels can never fire
    with minicnn.trace(model) as t:
        model.train_on_batch(x, y)
    conv = t["conv2d"]
    assert conv.dead_share == 0.5
    np.testing.assert_array_equal(conv.grads["kernel"][..., :2], 0.0)
    assert "50%" in str(t)
