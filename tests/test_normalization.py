"""BatchNormalization: gradient checks in both modes, Keras's moving statistics, shapes, errors."""
import numpy as np
import pytest

import minicnn
from minicnn.gradcheck import check_layer, check_model
from minicnn.layers import BatchNormalization, Conv2D, Dense, Flatten

# (input shape per sample, batch size, BatchNormalization kwargs)
GRID = [
    ((4, 5, 3), 2, {}),                                   # images: statistics over N, H, W
    ((3, 3, 1), 4, {}),
    ((2, 3, 4), 3, {"center": False}),
    ((3, 2, 2), 3, {"scale": False}),
    ((4, 3, 2), 2, {"axis": 1}),                          # normalise over the rows axis instead
    ((6,), 5, {}),                                        # features: statistics over N
    ((7,), 3, {"epsilon": 0.1, "momentum": 0.5}),
]


@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
@pytest.mark.parametrize("input_shape, batch_size, kwargs", GRID)
def test_batch_norm_gradcheck(input_shape, batch_size, kwargs, training):
    layer = BatchNormalization(**kwargs)
    layer.build(input_shape)
    rng = np.random.default_rng(5)
    # non-trivial gamma/beta and moving statistics, so no term hides behind a 1 or a 0
    for name, p in layer.params.items():
        p[...] = rng.uniform(0.5, 1.5, p.shape) if name == "gamma" else rng.normal(0, 1, p.shape)
    shape = layer.non_trainable_params["moving_mean"].shape
    layer.non_trainable_params["moving_mean"][...] = rng.normal(0, 1, shape)
    layer.non_trainable_params["moving_variance"][...] = rng.uniform(0.5, 2, shape)
    x = 3.0 + 2.0 * rng.standard_normal((batch_size,) + input_shape)   # off-centre, wide
    report = check_layer(layer, x=x, training=training)
    assert report.max_rel_error < 1e-6
    expected = [n for n, on in (("gamma", layer.scale), ("beta", layer.center)) if on]
    assert [t.name for t in report.tensors] == ["x"] + expected


def test_batch_norm_in_a_model_gradcheck(backend):
    model = minicnn.Sequential([Conv2D(3, 3, padding="same", use_bias=False), BatchNormalization(),
                                Flatten(), BatchNormalization(), Dense(4, activation="softmax")],
                               input_shape=(5, 4, 2))
    model.compile("sgd", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(2)
    report = check_model(model, rng.standard_normal((6, 5, 4, 2)), rng.integers(0, 4, 6))
    # The second BatchNormalization subtracts each feature's batch mean, which cancels any shift
    # of the first one's beta: its exact gradient is zero, and its numeric one is rounding noise
    # (about 1e-10 on some CPUs, exactly 0 on others) -- so it passes by the noise rule.
    beta = next(t for t in report.tensors if t.name == "batch_normalization/beta")
    assert abs(beta.analytic) < 1e-14 and beta.abs_error <= beta.noise


def test_a_bias_before_training_mode_batch_norm_gets_zero_gradient(rng):
    """BN subtracts the batch mean, so a per-channel constant added before it cancels: the
    bias's exact gradient is 0. (Finite differences then only see rounding noise ~1e-9, which a
    relative error cannot score -- that is why the gradchecks put use_bias=False before BN.)"""
    model = minicnn.Sequential([Conv2D(3, 3), BatchNormalization(), Flatten(),
                                Dense(2, activation="softmax")], input_shape=(5, 5, 2))
    model.compile("sgd", "sparse_categorical_crossentropy")
    x = rng.standard_normal((4, 5, 5, 2))
    with minicnn.gradcheck._Float64(model.layers):
        _, dy, through = model._loss_and_grad(np.array([0, 1, 1, 0]), model.forward(x, training=True))
        model.backward(dy, through)
        assert np.abs(model.layers[0].grads["bias"]).max() < 1e-14
        assert np.abs(model.layers[0].grads["kernel"]).max() > 1e-3


def test_training_forward_uses_batch_statistics_and_keras_moving_updates(rng):
    layer = BatchNormalization(momentum=0.9)
    layer.build((3, 4, 2))
    x = rng.normal(5.0, 3.0, (4, 3, 4, 2))
    y = layer.forward(x, training=True)
    mean = x.mean(axis=(0, 1, 2))
    var_biased = x.var(axis=(0, 1, 2))                     # divides by m = 4*3*4 = 48
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var_biased + 1e-3), rtol=1e-5, atol=1e-5)
    # moving = moving * momentum + batch * (1 - momentum), from zeros and ones, biased variance
    np.testing.assert_allclose(layer.non_trainable_params["moving_mean"], 0.1 * mean, rtol=1e-6)
    np.testing.assert_allclose(layer.non_trainable_params["moving_variance"],
                               0.9 + 0.1 * var_biased, rtol=1e-6)
    assert not np.allclose(0.9 + 0.1 * x.var(axis=(0, 1, 2), ddof=1),
                           layer.non_trainable_params["moving_variance"], rtol=1e-6)


def test_repeated_training_forwards_give_the_same_output(rng):
    """The output depends on the batch only; the moving statistics drift between calls."""
    layer = BatchNormalization()
    layer.build((5,))
    x = rng.standard_normal((8, 5))
    first = layer.forward(x, training=True)
    moving_after_one = layer.non_trainable_params["moving_mean"].copy()
    second = layer.forward(x, training=True)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(moving_after_one, layer.non_trainable_params["moving_mean"])


def test_inference_uses_moving_statistics(rng):
    layer = BatchNormalization(epsilon=0.01)
    layer.build((2, 2, 3))
    layer.params["gamma"][...] = [1.0, 2.0, 0.5]
    layer.params["beta"][...] = [0.0, -1.0, 3.0]
    layer.non_trainable_params["moving_mean"][...] = [1.0, 2.0, 3.0]
    layer.non_trainable_params["moving_variance"][...] = [4.0, 0.25, 1.0]
    before = {k: v.copy() for k, v in layer.non_trainable_params.items()}
    x = rng.standard_normal((3, 2, 2, 3)).astype(np.float32)
    y = layer.forward(x)                                   # training=False by default
    expected = (np.array([1.0, 2.0, 0.5]) * (x - [1.0, 2.0, 3.0]) / np.sqrt(np.array([4.0, 0.25, 1.0]) + 0.01)
                + [0.0, -1.0, 3.0])
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
    assert y.dtype == np.float32
    for k, v in before.items():
        np.testing.assert_array_equal(layer.non_trainable_params[k], v)   # inference: no update


def test_parameters_layout_and_counts():
    layer = BatchNormalization()
    layer.build((7, 7, 64))
    assert list(layer.weights()) == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert list(layer.params) == ["gamma", "beta"]
    assert all(w.shape == (64,) and w.dtype == np.float32 for w in layer.weights().values())
    assert layer.count_params() == 256 and layer.count_trainable_params() == 128
    np.testing.assert_array_equal(layer.params["gamma"], 1)
    np.testing.assert_array_equal(layer.non_trainable_params["moving_variance"], 1)
    np.testing.assert_array_equal(layer.non_trainable_params["moving_mean"], 0)
    no_center = BatchNormalization(center=False)
    no_center.build((1152,))
    assert list(no_center.weights()) == ["gamma", "moving_mean", "moving_variance"]
    assert no_center.count_params() == 3 * 1152


def test_gradcheck_leaves_moving_statistics_untouched(rng):
    layer = BatchNormalization()
    layer.build((3, 3, 2))
    layer.non_trainable_params["moving_mean"][...] = [0.5, -0.5]
    moving = layer.non_trainable_params["moving_mean"]
    check_layer(layer, x=rng.standard_normal((2, 3, 3, 2)), training=True)
    assert layer.non_trainable_params["moving_mean"] is moving
    np.testing.assert_array_equal(moving, [0.5, -0.5])


def test_fit_updates_moving_statistics_and_evaluate_uses_them(rng):
    model = minicnn.Sequential([Dense(4), BatchNormalization(), Dense(3, activation="softmax")],
                               input_shape=(5,))
    model.compile("adam", "sparse_categorical_crossentropy")
    x, y = rng.normal(2.0, 1.0, (64, 5)), rng.integers(0, 3, 64)
    bn = model.layers[1]
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert not np.allclose(bn.non_trainable_params["moving_mean"], 0)
    moving = {k: v.copy() for k, v in bn.non_trainable_params.items()}
    model.evaluate(x, y, verbose=0)
    model.predict(x)
    for k, v in moving.items():
        np.testing.assert_array_equal(bn.non_trainable_params[k], v)


@pytest.mark.parametrize("kwargs, input_shape, message", [
    ({"axis": 0}, (4, 4, 3), r"batch_normalization: axis=0 is not a channel axis of an input of "
                             r"shape \(None, 4, 4, 3\)"),
    ({"axis": 4}, (4, 4, 3), r"axis=4 is not a channel axis"),
    ({"axis": -3}, (5,), r"axis=-3 is not a channel axis of an input of shape \(None, 5\)"),
])
def test_bad_axis_is_a_clear_error(kwargs, input_shape, message):
    with pytest.raises(ValueError, match=message):
        BatchNormalization(**kwargs).build(input_shape)


@pytest.mark.parametrize("kwargs, message", [
    ({"momentum": 1.5}, r"momentum must be in \[0, 1\]"),
    ({"epsilon": 0}, "epsilon must be > 0"),
    ({"axis": "channels"}, "axis must be an int"),
    ({"gamma_initializer": "eye"}, "unknown gamma_initializer 'eye'"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BatchNormalization(**kwargs)


def test_config_rebuilds_the_layer():
    layer = BatchNormalization(axis=1, momentum=0.9, epsilon=1e-5, center=False)
    config = layer.get_config()
    assert config == {"name": "batch_normalization", "axis": 1, "momentum": 0.9, "epsilon": 1e-5,
                      "center": False, "scale": True}
    assert BatchNormalization(**config).get_config() == config
    assert repr(layer).startswith("BatchNormalization('batch_normalization', axis=1")
