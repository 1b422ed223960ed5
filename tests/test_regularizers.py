"""Regularisers: Keras's penalties and names, their gradients checked inside every layer that takes
one, and the model's loss = data loss + penalty in training, evaluate and check_model."""
import numpy as np
import pytest

import minicnn
from minicnn import regularizers
from minicnn.gradcheck import check_layer, check_model
from minicnn.layers import BatchNormalization, Conv2D, Conv2DTranspose, Dense, DepthwiseConv2D, \
    Flatten, MaxPooling2D, SeparableConv2D
from minicnn.regularizers import l1, l1_l2, l2


def test_penalties_follow_keras():
    w = np.array([[1.0, -2.0], [0.5, 0.0]])
    assert l2(0.01)(w) == pytest.approx(0.01 * 5.25)           # l2 * sum(w**2), no 1/2
    assert l1(0.1)(w) == pytest.approx(0.1 * 3.5)
    assert l1_l2(0.1, 0.01)(w) == pytest.approx(0.35 + 0.0525)
    np.testing.assert_allclose(l2(0.01).gradient(w), 0.02 * w)
    np.testing.assert_allclose(l1(0.1).gradient(w), 0.1 * np.array([[1, -1], [1, 0]]))
    assert l2(l=0.5).l2 == 0.5 and l1(l=0.5).l1 == 0.5                # tf.keras 2.x's old name


@pytest.mark.parametrize("name, cls, config", [
    ("l2", regularizers.L2, {"l2": 0.01}),
    ("L1", regularizers.L1, {"l1": 0.01}),
    ("l1_l2", regularizers.L1L2, {"l1": 0.01, "l2": 0.01}),
])
def test_string_names_use_keras_defaults(name, cls, config):
    reg = regularizers.get(name)
    assert type(reg) is cls and reg.get_config() == config
    assert regularizers.get(regularizers.serialize(reg)).get_config() == config


def test_unknown_or_bad_regularizers_are_clear_errors():
    with pytest.raises(ValueError, match=r"dense: unknown kernel_regularizer 'l3'; valid names: "
                                         r"l1, l2, l1_l2"):
        Dense(3, kernel_regularizer="l3")
    with pytest.raises(ValueError, match="unknown bias_regularizer"):
        Conv2D(2, 3, bias_regularizer=lambda w: 0.0)       # a penalty needs its gradient too
    with pytest.raises(ValueError, match=r"L2: l2 must be a number >= 0, got -1"):
        l2(-1)
    with pytest.raises(ValueError, match="unknown gamma_regularizer"):
        BatchNormalization(gamma_regularizer=0.01)


# Every layer that takes a regulariser: the check's scalar includes the penalty, and backward
# must add its gradient, so a missing or wrong penalty gradient fails here.
LAYERS = [
    ("dense l2", lambda: Dense(4, kernel_regularizer=l2(0.3), bias_regularizer=l1(0.2)), (5,)),
    ("conv2d l1_l2", lambda: Conv2D(3, (2, 3), strides=2, padding="same",
                                    kernel_regularizer=l1_l2(0.1, 0.2)), (5, 6, 2)),
    ("depthwise", lambda: DepthwiseConv2D(3, depth_multiplier=2, depthwise_regularizer=l2(0.5),
                                          bias_regularizer="l2"), (5, 5, 2)),
    ("separable", lambda: SeparableConv2D(3, 2, depthwise_regularizer=l1(0.1),
                                          pointwise_regularizer=l2(0.4)), (4, 5, 2)),
    ("transpose", lambda: Conv2DTranspose(2, 3, strides=2, padding="same",
                                          kernel_regularizer=l2(0.2)), (3, 3, 2)),
    ("batchnorm", lambda: BatchNormalization(gamma_regularizer=l1(0.3), beta_regularizer=l2(0.5)),
     (3, 3, 2)),
]


@pytest.mark.parametrize("name, build, input_shape", LAYERS, ids=[layer[0] for layer in LAYERS])
def test_regularised_layer_gradcheck(name, build, input_shape, backend):
    layer = build()
    report = check_layer(layer, input_shape, batch_size=3)
    assert report.max_rel_error < 1e-6
    assert layer.regularizers and layer.regularization_loss() > 0


def test_penalty_gradient_is_what_backward_adds(rng):
    plain, penalised = Dense(3), Dense(3, kernel_regularizer=l2(0.05))
    plain.build((4,))
    penalised.build((4,))
    penalised.params = {k: v.copy() for k, v in plain.params.items()}
    x, dy = rng.standard_normal((2, 4)).astype(np.float32), rng.standard_normal((2, 3)).astype(np.float32)
    for layer in (plain, penalised):
        layer.forward(x)
        layer.backward(dy)
    np.testing.assert_allclose(penalised.grads["kernel"] - plain.grads["kernel"],
                               0.1 * plain.params["kernel"], rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(penalised.grads["bias"], plain.grads["bias"])  # bias not penalised


def _l2_model():
    return minicnn.Sequential([
        Conv2D(3, 3, padding="same", activation="relu", kernel_regularizer=l2(0.01)),
        MaxPooling2D(2, padding="same"),
        Flatten(),
        Dense(5, activation="tanh", kernel_regularizer="l2"),
        Dense(3, activation="softmax"),
    ], input_shape=(5, 5, 1))


def test_check_model_includes_the_penalty(backend):
    model = _l2_model()
    model.compile("adam", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(4)
    report = check_model(model, rng.standard_normal((4, 5, 5, 1)), np.array([0, 2, 1, 2]))
    assert report.max_rel_error < 1e-6


def test_loss_is_data_loss_plus_penalty_in_training_and_evaluate(rng):
    model = _l2_model()
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, y = rng.standard_normal((6, 5, 5, 1)).astype(np.float32), rng.integers(0, 3, 6)
    kernels = [layer.params["kernel"] for layer in model.layers if layer.regularizers]
    penalty = 0.01 * sum(float(np.sum(k.astype(np.float64) ** 2)) for k in kernels)
    assert model.regularization_loss() == pytest.approx(penalty, rel=1e-6)
    probabilities = model.predict(x)
    data_loss = -np.mean(np.log(probabilities[np.arange(6), y]))
    # Keras includes the penalty in evaluate's loss too
    assert model.evaluate(x, y, verbose=0) == pytest.approx(data_loss + penalty, rel=1e-5)
    # and in the loss a training step reports (computed before that step's update)
    assert model.train_on_batch(x, y) == pytest.approx(data_loss + penalty, rel=1e-5)


def test_model_without_regularisers_has_zero_penalty():
    model = minicnn.Sequential([Dense(2)], input_shape=(3,))
    assert model.regularization_loss() == 0.0
    assert Dense(2).regularization_loss() == 0.0


def test_l2_shrinks_weights_that_the_data_does_not_need(rng):
    """With zero inputs the data gradient of a kernel is 0: only the penalty acts, and SGD
    multiplies the kernel by (1 - 2 * lr * l2) each step."""
    model = minicnn.Sequential([Dense(3, kernel_regularizer=l2(0.5)), Dense(2, activation="softmax")],
                               input_shape=(4,))
    model.compile(minicnn.optimizers.SGD(learning_rate=0.1), "sparse_categorical_crossentropy")
    kernel = model.layers[0].params["kernel"]
    before = kernel.copy()
    model.train_on_batch(np.zeros((2, 4)), np.array([0, 1]))
    np.testing.assert_allclose(kernel, before * (1 - 2 * 0.1 * 0.5), rtol=1e-6)


def test_config_round_trip_keeps_the_regulariser():
    layer = Conv2D(4, 3, kernel_regularizer=l2(1e-4), bias_regularizer=l1(0.1))
    config = layer.get_config()
    assert config["kernel_regularizer"] == {"class_name": "L2", "config": {"l2": 1e-4}}
    rebuilt = Conv2D(**config)
    assert rebuilt.get_config() == config
    assert repr(rebuilt.regularizers["bias"]) == "L1(l1=0.1)"
