"""Residual blocks: gradients through the add and the shortcut, parameters visible to the optimizer
and get_weights, 002's ResNet built from them, shape errors."""
import numpy as np
import pytest

import minicnn
from minicnn.gradcheck import check_layer, check_model
from minicnn.layers import Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense, \
    Dropout, Flatten, ReLU, Residual
from minicnn.regularizers import l2


def _block(filters, strides=1, use_bias=False, regularizer=None):
    """002's sub-block: Conv-BN-ReLU-Conv-BN, a strided 1x1 conv shortcut when it downsamples."""
    main = [Conv2D(filters, 3, strides=strides, padding="same", use_bias=use_bias,
                   kernel_initializer="he_normal", kernel_regularizer=regularizer),
            BatchNormalization(), Activation("relu"),
            Conv2D(filters, 3, padding="same", use_bias=use_bias, kernel_initializer="he_normal",
                   kernel_regularizer=regularizer),
            BatchNormalization()]
    shortcut = [] if strides == 1 else [
        Conv2D(filters, 1, strides=strides, padding="same", kernel_initializer="he_normal",
               kernel_regularizer=regularizer)]
    return Residual(main, shortcut, activation="relu")


def resnet_002(input_size=28, num_filters=64, num_blocks=4, num_sub_blocks=2, use_bias=True):
    """002's appendix ResNet (functional API in the report), written with Residual blocks."""
    layers = [Conv2D(num_filters, 7, strides=2, padding="same", kernel_initializer="he_normal",
                     kernel_regularizer=l2(1e-4), use_bias=use_bias),
              BatchNormalization(), Activation("relu")]
    for i in range(num_blocks):
        for j in range(num_sub_blocks):
            strides = 2 if (j == 0 and i > 0) else 1
            layers.append(_block(num_filters, strides, use_bias, l2(1e-4)))
        num_filters *= 2
    layers += [AveragePooling2D(), Flatten(),
               Dense(10, activation="softmax", kernel_initializer="he_normal")]
    return minicnn.Sequential(layers, input_shape=(input_size, input_size, 1))


# (input shape, filters, strides, activation after the add, shortcut kind)
GRID = [
    ((5, 5, 2), 2, 1, "relu", "identity"),
    ((6, 6, 2), 3, 2, "relu", "conv"),        # 1x1 strided conv shortcut, asymmetric 'same'
    ((7, 6, 3), 2, 2, None, "conv"),
    ((4, 5, 2), 2, 1, None, "identity"),
]


@pytest.mark.parametrize("input_shape, filters, strides, activation, kind", GRID)
def test_residual_gradcheck(input_shape, filters, strides, activation, kind, backend):
    main = [Conv2D(filters, 3, strides=strides, padding="same", use_bias=False),
            BatchNormalization(), ReLU(), Conv2D(filters, (3, 2), padding="same", use_bias=False),
            BatchNormalization()]
    shortcut = [] if kind == "identity" else [Conv2D(filters, 1, strides=strides, padding="same")]
    if kind == "identity":
        main[-2] = Conv2D(input_shape[-1], (3, 2), padding="same", use_bias=False)
    block = Residual(main, shortcut, activation=activation)
    report = check_layer(block, input_shape, batch_size=3)
    assert report.max_rel_error < 1e-6
    names = [t.name for t in report.tensors]
    assert names[:3] == ["x", "conv2d/kernel", "batch_normalization/gamma"]
    assert ("conv2d_2/kernel" in names) == (kind == "conv")


def test_residual_without_normalisation_gradcheck(backend):
    """Biases everywhere (no BatchNormalization to cancel them): every tensor is checked."""
    block = Residual([Conv2D(3, 2, padding="same", activation="tanh"), Conv2D(3, 3, padding="same")],
                     [Conv2D(3, 1)], activation="relu")
    report = check_layer(block, (4, 5, 2), batch_size=2)
    assert [t.name for t in report.tensors] == ["x", "conv2d/kernel", "conv2d/bias", "conv2d_1/kernel",
                                                "conv2d_1/bias", "conv2d_2/kernel", "conv2d_2/bias"]


def test_dropout_inside_a_block_is_frozen_by_the_checker_and_seeded_by_fit(rng):
    def model():
        return minicnn.Sequential([Residual([Dense(4, activation="tanh"), Dropout(0.5), Dense(4)]),
                                   Dense(3, activation="softmax")], input_shape=(4,))
    checked = model()
    checked.compile("sgd", "sparse_categorical_crossentropy")
    check_model(checked, rng.standard_normal((5, 4)), np.array([0, 1, 2, 1, 0]))
    x, y = rng.standard_normal((16, 4)), rng.integers(0, 3, 16)
    runs = []
    for _ in range(2):
        minicnn.set_seed(7)
        fitted = model()
        fitted.compile("sgd", "sparse_categorical_crossentropy")
        fitted.fit(x, y, epochs=2, batch_size=4, seed=3, verbose=0)
        runs.append(fitted.get_weights())
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_identity_shortcut_adds_the_input():
    block = Residual([Dense(3, use_bias=False)])
    block.build((3,))
    block.params["dense/kernel"][...] = 0.0       # main path gives 0: y = x
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(block.forward(x), x)
    dy = np.ones((2, 3))
    np.testing.assert_array_equal(block.backward(dy), dy)   # shortcut's 1 + main's 0


def test_small_resnet_check_model(backend):
    model = resnet_002(input_size=8, num_filters=2, num_blocks=2, use_bias=False)
    model.compile("adam", "categorical_crossentropy")
    rng = np.random.default_rng(3)
    report = check_model(model, rng.standard_normal((3, 8, 8, 1)), np.eye(10)[[1, 4, 7]])
    assert report.ok
    names = [t.name for t in report.tensors]
    assert "residual_2/conv2d_2/kernel" in names and "residual_2/conv2d_2/bias" in names
    assert len(names) == 1 + sum(len(layer.params) for layer in model.layers)


def test_002_resnet_builds_with_keras_counts():
    """The report prints no summary for its ResNet; its count follows from Keras's rules."""
    model = resnet_002()
    shapes = [layer.output_shape for layer in model.layers]
    assert shapes[0] == (14, 14, 64) and shapes[3:11] == [(14, 14, 64)] * 2 + [(7, 7, 128)] * 2 \
        + [(4, 4, 256)] * 2 + [(2, 2, 512)] * 2
    assert shapes[-3:] == [(1, 1, 512), (512,), (10,)]

    def conv(k, c, f):
        return k * k * c * f + f

    def sub_block(c, f, downsample):
        return (conv(3, c, f) + 4 * f + conv(3, f, f) + 4 * f
                + (conv(1, c, f) if downsample else 0))
    total = conv(7, 1, 64) + 4 * 64 + 2 * sub_block(64, 64, False) + 512 * 10 + 10
    for c, f in ((64, 128), (128, 256), (256, 512)):
        total += sub_block(c, f, True) + sub_block(f, f, False)
    assert model.count_params() == total == 11_186_186
    non_trainable = sum(c for c in (64,) + (64,) * 4 + (128,) * 4 + (256,) * 4 + (512,) * 4) * 2
    assert model.count_params() - sum(layer.count_trainable_params() for layer in model.layers) \
        == non_trainable == 7_808


def test_002_resnet_trains_one_step_and_every_parameter_moves(rng):
    # The report's shape with fewer filters; no conv biases before BatchNormalization, whose
    # exact gradient is 0 (only rounding noise would move them).
    model = resnet_002(num_filters=4, use_bias=False)
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    before = model.get_weights()
    logs = model.train_on_batch(rng.random((4, 28, 28, 1)), np.eye(10)[[0, 3, 5, 9]],
                                return_dict=True)
    assert np.isfinite(logs["loss"])
    after = model.get_weights()
    trainable = [w.size for layer in model.layers for w in layer.params.values()]
    assert len(before) == len(after) == sum(len(layer.weights()) for layer in model.layers)
    moved = [not np.array_equal(b, a) for b, a in zip(before, after)]
    assert all(moved)            # trainable params by Adam, BatchNormalization's moving stats too
    assert sum(trainable) == sum(layer.count_trainable_params() for layer in model.layers)


def test_block_parameters_are_live_views_of_the_sublayers():
    block = _block(4, strides=2, regularizer=l2(0.01))
    block.build((6, 6, 2))
    conv = block.main[0]
    assert list(block.params) == ["conv2d/kernel", "batch_normalization/gamma",
                                  "batch_normalization/beta", "conv2d_1/kernel",
                                  "batch_normalization_1/gamma", "batch_normalization_1/beta",
                                  "conv2d_2/kernel", "conv2d_2/bias"]
    assert block.params["conv2d/kernel"] is conv.params["kernel"]
    assert list(block.non_trainable_params)[:2] == ["batch_normalization/moving_mean",
                                                    "batch_normalization/moving_variance"]
    new = np.ones_like(conv.params["kernel"])
    block.params["conv2d/kernel"] = new               # assigning an entry assigns the sublayer's
    assert conv.params["kernel"] is new
    assert list(block.weights())[:5] == ["conv2d/kernel", "batch_normalization/gamma",
                                         "batch_normalization/beta", "batch_normalization/moving_mean",
                                         "batch_normalization/moving_variance"]
    assert block.count_params() == sum(layer.count_params() for layer in block.sublayers)
    assert block.regularization_loss() == pytest.approx(
        0.01 * sum(float(np.sum(layer.params["kernel"].astype(np.float64) ** 2))
                   for layer in block.sublayers if isinstance(layer, Conv2D)), rel=1e-6)
    with pytest.raises(KeyError):
        block.params["dense/kernel"]


def test_set_weights_and_summary_in_a_model(rng):
    model = minicnn.Sequential([Conv2D(3, 3, padding="same"), _block(3), _block(5, strides=2),
                                Flatten(), Dense(2)], input_shape=(6, 6, 1))
    weights = [rng.standard_normal(w.shape).astype(w.dtype) for w in model.get_weights()]
    model.set_weights(weights)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    text = []
    model.summary(print_fn=text.append)
    assert any(line.startswith("residual_1 (Residual)") and "(None, 3, 3, 5)" in line for line in text)
    assert f"Total params: {model.count_params():,}" in text
    lines = []
    model.layers[2].summary(print_fn=lines.append)
    assert lines[0].startswith("main/conv2d (Conv2D)") and lines[-1].startswith("shortcut/conv2d_2")


def test_config_rebuilds_the_block():
    block = _block(4, strides=2, regularizer=l2(0.01))
    config = block.get_config()
    rebuilt = Residual(**config)
    assert rebuilt.get_config() == config
    block.build((6, 6, 2))
    rebuilt.build((6, 6, 2))
    assert rebuilt.count_params() == block.count_params()
    assert list(rebuilt.params) == list(block.params)
    assert repr(block) == ("Residual('residual', main=[Conv2D, BatchNormalization, Activation, "
                           "Conv2D, BatchNormalization], shortcut=[Conv2D], activation='relu', "
                           f"params={block.count_params():,})")


def test_mismatched_branches_are_a_clear_error():
    block = Residual([Conv2D(8, 3, strides=2, padding="same")])
    with pytest.raises(minicnn.ShapeError,
                       match=r"residual: cannot add the main path's output \(None, 4, 4, 8\) to the "
                             r"shortcut's \(None, 7, 7, 3\); give the shortcut layers .*"
                             r"Conv2D\(8, 1, strides=2, padding='same'\)"):
        block.build((7, 7, 3))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"main": []}, ValueError, "main must hold at least one layer"),
    ({"main": ["conv"]}, TypeError, "main and shortcut must hold minicnn layers, got 'conv'"),
    ({"main": [Dense(2, name="d"), Dense(2, name="d")]}, ValueError, "two sublayers are named 'd'"),
])
def test_bad_blocks(kwargs, error, message):
    with pytest.raises(error, match=message):
        Residual(**kwargs)
