"""Saving: weights round-trip, whole models resume exactly, mismatches are named, writes are atomic."""
import numpy as np
import pytest

import minicnn
from minicnn import saving, zoo
from minicnn.layers import Conv2D, Dense, Dropout, Flatten, LeakyReLU, MaxPooling2D
from minicnn.saving import SavingError


def _cnn():
    return minicnn.Sequential([
        Conv2D(4, 3, padding="same", activation="relu"), MaxPooling2D(2), Dropout(0.2),
        Flatten(), Dense(6), LeakyReLU(0.1), Dense(3, activation="softmax"),
    ], input_shape=(8, 8, 1))


def _data(n=24):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, 8, 8, 1)).astype(np.float32), rng.integers(0, 3, n)


@pytest.mark.parametrize("suffix", [".h5", ".npz"])
def test_weights_round_trip(tmp_path, suffix):
    model, other = _cnn(), _cnn()
    x, _ = _data()
    model.save_weights(tmp_path / f"w{suffix}")
    other.load_weights(tmp_path / f"w{suffix}")
    np.testing.assert_array_equal(model.predict(x), other.predict(x))


def test_loading_into_a_different_architecture_names_the_layer(tmp_path):
    zoo.feature_maps_sgd.main_model().save_weights(tmp_path / "main.h5")
    other = zoo.feature_maps_sgd.main_model(feature_maps=16)
    with pytest.raises(SavingError, match=r"layer 0 \(conv2d, Conv2D\) expects kernel of shape "
                                          r"\(3, 3, 1, 16\) but the file's layer 'conv2d' has "
                                          r"\(3, 3, 1, 32\)"):
        other.load_weights(tmp_path / "main.h5")
    with pytest.raises(SavingError, match=r"holds weights for 4 layers but sequential has 5"):
        zoo.ca2_lenet.lenet5().load_weights(tmp_path / "main.h5")


@pytest.mark.parametrize("optimizer", [minicnn.optimizers.Adam(0.01),
                                       minicnn.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
                                       minicnn.optimizers.RMSprop(0.01)])
def test_save_and_load_model_resumes_training_exactly(tmp_path, optimizer):
    x, y = _data()
    minicnn.set_seed(3)
    straight = _cnn()
    straight.compile(optimizer, "sparse_categorical_crossentropy", ["accuracy"])
    initial = straight.get_weights()
    straight.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0, seed=1)

    minicnn.set_seed(3)
    resumed = _cnn()
    resumed.set_weights(initial)
    resumed.compile(type(optimizer)(**optimizer.get_config()), "sparse_categorical_crossentropy",
                    ["accuracy"])
    resumed.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0, seed=1)
    resumed.save(tmp_path / "model.h5")
    loaded = minicnn.load_model(tmp_path / "model.h5")
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in resumed.layers]
    assert loaded.optimizer.get_config() == resumed.optimizer.get_config()
    assert loaded.optimizer.iterations == 3 and [m.name for m in loaded.metrics] == ["accuracy"]
    # Same dropout stream as the uninterrupted run's second epoch: replay its generators.
    for a, b in zip(loaded.layers, resumed.layers):
        if hasattr(b, "rng"):
            a.rng = b.rng
    loaded.fit(x, y, epochs=2, initial_epoch=1, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(loaded.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_interrupted_save_leaves_the_previous_file(tmp_path, monkeypatch):
    model = _cnn()
    path = tmp_path / "model.h5"
    model.save(path)
    before = model.get_weights()
    for w in model.layers[0].params.values():
        w += 1.0

    def crash(group, m):
        group.create_group("half-written")
        raise KeyboardInterrupt

    monkeypatch.setattr(saving, "_write_weights", crash)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    with pytest.raises(KeyboardInterrupt):
        model.save_weights(path)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["model.h5"]      # no temporary left over
    for a, b in zip(minicnn.load_model(path).get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_clear_errors_for_wrong_files(tmp_path):
    model = _cnn()
    model.save_weights(tmp_path / "weights.h5")
    with pytest.raises(SavingError, match="holds no model architecture .* load_weights"):
        minicnn.load_model(tmp_path / "weights.h5")
    (tmp_path / "junk.h5").write_bytes(b"not hdf5")
    with pytest.raises(SavingError, match="not a readable HDF5 file"):
        model.load_weights(tmp_path / "junk.h5")
    with pytest.raises(SavingError, match="no such file"):
        minicnn.load_model(tmp_path / "missing.h5")
    import h5py
    with h5py.File(tmp_path / "keras.h5", "w") as h5:      # what a Keras 2 model.save writes
        h5.attrs["model_config"] = '{"class_name": "Sequential", "config": {"name": "s"}}'
    with pytest.raises(SavingError, match=r"keras.h5: not a file saved by minicnn \(a Keras .h5 "
                                          r"file\?"):
        minicnn.load_model(tmp_path / "keras.h5")
    model.save(tmp_path / "broken.h5")
    with h5py.File(tmp_path / "broken.h5", "a") as h5:
        h5.attrs["model_config"] = "{not json"
    with pytest.raises(SavingError, match=r"broken.h5: its model_config is not valid JSON"):
        minicnn.load_model(tmp_path / "broken.h5")


def test_a_metric_of_ones_own_needs_custom_objects(tmp_path):
    def hits(y_true, y_pred):
        return np.mean(y_pred.argmax(-1) == y_true)

    model = _cnn()
    model.compile("sgd", "sparse_categorical_crossentropy", [hits])
    model.save(tmp_path / "m.h5")
    with pytest.raises(SavingError, match=r"m.h5: unknown metric 'hits'.*custom_objects="
                                          r"\{'name': function\}"):
        minicnn.load_model(tmp_path / "m.h5")
    loaded = minicnn.load_model(tmp_path / "m.h5", custom_objects={"hits": hits})
    assert [m.name for m in loaded.metrics] == ["hits"]


def test_uncompiled_model_round_trips_without_training_config(tmp_path):
    model = zoo.ca2_lenet.lenet5()
    model.save(tmp_path / "lenet.h5")
    loaded = minicnn.load_model(tmp_path / "lenet.h5")
    assert loaded.loss is None and loaded.count_params() == 61_706


def _every_layer_model():
    from minicnn.layers import (AveragePooling2D, BatchNormalization, Conv2DTranspose,
                                DepthwiseConv2D, GlobalAveragePooling2D, Reshape, Residual,
                                SeparableConv2D, ZeroPadding2D)
    from minicnn.regularizers import l2
    return minicnn.Sequential([
        ZeroPadding2D(1),
        Conv2D(4, 3, kernel_regularizer=l2(0.01)), BatchNormalization(),
        DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
        SeparableConv2D(4, 3, padding="same", activation="relu"),
        Residual(main=[Conv2D(4, 3, padding="same"), BatchNormalization()],
                 shortcut=[Conv2D(4, 1)], activation="relu"),
        Conv2DTranspose(3, 2, strides=2), AveragePooling2D(2), MaxPooling2D(2, padding="same"),
        GlobalAveragePooling2D(), Reshape((3, 1)), Flatten(), Dropout(0.1),
        Dense(3, activation="softmax", kernel_regularizer="l2"),
    ], input_shape=(8, 8, 1))


@pytest.mark.parametrize("suffix", [".h5", ".npz"])
def test_every_layer_type_round_trips(tmp_path, suffix):
    model = _every_layer_model()
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    x, y = _data(16)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    other = _every_layer_model()
    assert model.save_weights(tmp_path / f"w{suffix}") is None       # Keras returns None
    other.load_weights(tmp_path / f"w{suffix}")
    np.testing.assert_array_equal(model.predict(x), other.predict(x))
    model.save(tmp_path / "m.h5")
    loaded = minicnn.load_model(tmp_path / "m.h5")
    assert [layer.get_config() for layer in loaded.layers] == \
        [layer.get_config() for layer in model.layers]
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert loaded.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0))
    # Adam's slots of the block's params ("residual", "conv2d/kernel") come back under their keys
    assert loaded.optimizer.state.keys() == model.optimizer.state.keys()
    assert ("residual", "conv2d/kernel") in loaded.optimizer.state
    loaded.fit(x, y, epochs=1, batch_size=8, verbose=0)
    loaded.save(tmp_path / "m.h5")                       # and it trains and saves again
