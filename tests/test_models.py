"""Sequential: building, Keras-identical summaries, training, evaluation, errors, determinism."""
import io

import numpy as np
import pytest

import minicnn
from minicnn import zoo
from minicnn.layers import (Activation, Conv2D, Dense, Dropout, Flatten, Input, LeakyReLU,
                            MaxPool2D, MaxPooling2D)
from minicnn.losses import TargetError


lenet5 = zoo.ca2_lenet.lenet5
main004 = zoo.feature_maps_sgd.main_model
section_c000 = zoo.lab1_fashion.section_c_model


def test_report_output_shapes_layer_by_layer():
    """000 section C and 001 LeNet-5, as the reports' summaries print them."""
    shapes = [layer.output_shape for layer in section_c000().layers]
    assert shapes == [(28, 28, 32), (14, 14, 32), (14, 14, 32), (14, 14, 64), (7, 7, 64),
                      (7, 7, 64), (7, 7, 128), (3, 3, 128), (3, 3, 128), (1152,), (128,), (128,),
                      (128,), (10,)]
    assert [layer.output_shape for layer in lenet5().layers] == [
        (28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16), (400,), (120,), (84,), (10,)]
    assert [layer.count_params() for layer in lenet5().layers] == [
        156, 0, 2416, 0, 0, 48120, 10164, 850]


def test_summary_is_keras_2_text():
    """004's main model, as the report pastes it (Keras 2 format, 65 columns)."""
    out = io.StringIO()
    main004().summary(print_fn=lambda line: print(line, file=out))
    expected = """\
Model: "sequential"
_________________________________________________________________
Layer (type)                 Output Shape              Param #   
=================================================================
conv2d (Conv2D)              (None, 26, 26, 32)        320       
_________________________________________________________________
max_pooling2d (MaxPooling2D) (None, 13, 13, 32)        0         
_________________________________________________________________
conv2d_1 (Conv2D)            (None, 11, 11, 32)        9248      
_________________________________________________________________
max_pooling2d_1 (MaxPooling2 (None, 5, 5, 32)          0         
_________________________________________________________________
flatten (Flatten)            (None, 800)               0         
_________________________________________________________________
dense (Dense)                (None, 128)               102528    
_________________________________________________________________
dense_1 (Dense)              (None, 10)                1290      
=================================================================
Total params: 113,386
Trainable params: 113,386
Non-trainable params: 0
_________________________________________________________________
"""
    assert out.getvalue() == expected


def test_keras_layer_names_and_repr():
    model = zoo.fashion_convnets_pl.convNN_1()
    assert [layer.layer_name for layer in model.layers] == [
        "conv2d", "max_pooling2d", "flatten", "dense", "activation", "dense_1", "activation_1"]
    assert repr(model) == "Sequential('sequential', layers=7, params=542,230)"
    leaky = minicnn.Sequential([Dense(3), LeakyReLU()], input_shape=(2,))
    assert leaky.layers[1].layer_name == "leaky_re_lu"
    with pytest.raises(ValueError, match="a layer named 'dense' already exists"):
        leaky.add(Dense(2, name="dense"))


def test_three_ways_to_give_the_input_shape():
    a = minicnn.Sequential([Input((28, 28, 1)), Conv2D(4, 3)])
    b = minicnn.Sequential([Conv2D(4, 3)], input_shape=(28, 28, 1))
    c = minicnn.Sequential([Conv2D(4, 3, input_shape=(28, 28, 1))])
    d = minicnn.Sequential([Conv2D(4, 3)]).build((None, 28, 28, 1))
    assert a.output_shape == b.output_shape == c.output_shape == d.output_shape == (26, 26, 4)
    e = minicnn.Sequential([Conv2D(4, 3)])
    with pytest.raises(ValueError, match="the input shape is unknown"):
        e.build()


# -- training --------------------------------------------------------------------------------
def _blobs(rng, n=96, size=8, classes=3):
    """Synthetic separable images: class k has a bright square in its own corner."""
    x = rng.normal(0.0, 0.1, (n, size, size, 1)).astype(np.float32)
    y = np.arange(n) % classes
    for k in range(classes):
        r, c = [(0, 0), (0, size // 2), (size // 2, 0)][k]
        x[y == k, r:r + size // 2, c:c + size // 2, 0] += 1.0
    return x, y


def _small_cnn(dropout=0.0, classes=3):
    layers = [Conv2D(4, 3, padding="same", activation="relu"), MaxPooling2D(2)]
    if dropout:
        layers.append(Dropout(dropout))
    layers += [Flatten(), Dense(classes, activation="softmax")]
    return minicnn.Sequential(layers, input_shape=(8, 8, 1))


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop"])
def test_learns_separable_task_to_full_train_accuracy(optimizer, backend, rng):
    x, y = _blobs(rng)
    model = _small_cnn()
    lr = {"sgd": 0.1, "adam": 0.01, "rmsprop": 0.01}[optimizer]
    opt = minicnn.optimizers.get(optimizer)
    opt.learning_rate = lr
    model.compile(opt, "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=15, verbose=0, seed=0)
    assert history.history["accuracy"][-1] == 1.0
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert model.evaluate(x, y, verbose=0)[1] == 1.0


def test_every_parameter_changes(backend, rng):
    """A linear head can score well on random filters; make sure the conv layers learn too."""
    x, y = _blobs(rng, n=32)
    model = _small_cnn(dropout=0.25)
    model.compile("adam", "sparse_categorical_crossentropy")
    before = model.get_weights()
    for _ in range(5):
        model.train_on_batch(x, y)
    for w0, w1 in zip(before, model.get_weights()):
        assert not np.allclose(w0, w1)


def test_loss_decreases_on_a_real_shaped_batch(backend, rng):
    x, y = _blobs(rng, n=32, size=28, classes=3)
    model = lenet5()
    model.compile("adam", "sparse_categorical_crossentropy")
    losses = [model.train_on_batch(x, y) for _ in range(20)]
    assert losses[-1] < 0.5 * losses[0]
    assert sum(b < a for a, b in zip(losses, losses[1:])) >= 17


def test_history_keys_validation_split_takes_last_fraction(rng):
    x, y = _blobs(rng, n=40)
    model = _small_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    seen = []

    class Record(minicnn.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(dict(logs))

    history = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0, callbacks=[Record()])
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 2 and history.epoch == [0, 1]
    # The validation numbers are those of the last 10 samples, evaluated after the epoch.
    val_loss, val_acc = model.evaluate(x[30:], y[30:], verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(val_loss)
    assert history.history["val_accuracy"][-1] == pytest.approx(val_acc)
    assert seen[-1]["val_loss"] == history.history["val_loss"][-1]


def test_validation_data_and_one_hot_labels(rng):
    x, y = _blobs(rng, n=30)
    model = _small_cnn()
    model.compile("adam", "categorical_crossentropy", ["accuracy"])
    y1 = np.eye(3, dtype=np.float32)[y]
    history = model.fit(x, y1, epochs=1, batch_size=7, validation_data=(x[:9], y1[:9]), verbose=0)
    assert "val_accuracy" in history.history
    probs = model.predict(x)
    assert probs.shape == (30, 3) and np.allclose(probs.sum(axis=1), 1, atol=1e-5)


def test_last_partial_batch_is_kept_and_running_mean_is_per_sample(rng):
    x, y = _blobs(rng, n=10)
    model = _small_cnn()
    model.compile(minicnn.optimizers.SGD(learning_rate=1e-12), "sparse_categorical_crossentropy")
    steps = []

    class Count(minicnn.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            steps.append(batch)

    history = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[Count()])
    assert steps == [0, 1, 2]                          # ceil(10 / 4) = 3 steps
    # With a negligible learning rate the epoch mean equals the loss of the whole set.
    assert history.history["loss"][0] == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-5)


def test_progress_output_one_line_per_epoch_when_not_a_terminal(rng, capsys):
    x, y = _blobs(rng, n=20)
    model = _small_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(x, y, epochs=2, batch_size=10, validation_split=0.5, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    assert lines[1].startswith("1/1 [==============================] - ")
    assert " - loss: " in lines[1] and " - accuracy: " in lines[1] and " - val_accuracy: " in lines[1]


def test_same_seed_gives_same_weights(backend, rng):
    x, y = _blobs(rng, n=48)

    def run():
        minicnn.set_seed(42)
        model = _small_cnn(dropout=0.3)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(x, y, epochs=2, batch_size=8, verbose=0, seed=7)
        return model.get_weights()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


def test_training_on_one_or_three_threads_gives_the_same_model(rng):
    """Kernels split by images and products split by rows change nothing; a kernel gradient
    split over its long axis is summed per block, so float64 agrees to rounding."""
    x, y = _blobs(rng, n=64, size=28)

    def train(threads):
        minicnn.set_threads(threads)
        try:
            minicnn.set_seed(3)
            model = lenet5()                                  # products large enough to split
            model.compile("adam", "sparse_categorical_crossentropy")
            model.fit(x, y, epochs=1, batch_size=32, verbose=0, seed=5)
            return model.get_weights()
        finally:
            minicnn.set_threads(None)

    minicnn.set_floatx("float64")
    try:
        one, three = train(1), train(3)
    finally:
        minicnn.set_floatx("float32")
    for a, b in zip(one, three):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_float64_training_works_end_to_end(rng):
    x, y = _blobs(rng, n=24)
    minicnn.set_floatx("float64")
    try:
        model = _small_cnn()
    finally:
        minicnn.set_floatx("float32")
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    assert all(w.dtype == np.float64 for w in model.get_weights())
    assert model.predict(x).dtype == np.float64


def test_get_and_set_weights_round_trip(rng):
    model, other = _small_cnn(), _small_cnn()
    x, _ = _blobs(rng, n=5)
    other.set_weights(model.get_weights())
    np.testing.assert_array_equal(model.predict(x), other.predict(x))
    weights = model.get_weights()
    weights[0] = np.zeros((5, 5, 1, 4))
    with pytest.raises(ValueError, match=r"weight 0 \(conv2d/kernel\) has shape \(3, 3, 1, 4\) in "
                                         r"the model but \(5, 5, 1, 4\) was given"):
        other.set_weights(weights)
    with pytest.raises(ValueError, match="has 4 weight arrays, got 3"):
        other.set_weights(weights[:3])


# -- clear errors ----------------------------------------------------------------------------------
def test_fit_before_compile():
    with pytest.raises(RuntimeError, match=r"call compile\(optimizer=..., loss=...\) before fit"):
        _small_cnn().fit(np.zeros((2, 8, 8, 1)), np.zeros(2))


def test_missing_channel_axis_is_explained():
    model = main004()
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 28, 28, 1\) but x has shape "
                                         r"\(4, 28, 28\) -- add the channel axis: x\[\.\.\., None\]"):
        model.fit(np.zeros((4, 28, 28)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 28, 28, 1\) but x has "
                                         r"shape \(4, 32, 32, 3\)"):
        model.predict(np.zeros((4, 32, 32, 3)))


def test_mismatched_lengths_nan_inputs_and_bad_labels():
    model = _small_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy")
    x = np.zeros((4, 8, 8, 1))
    with pytest.raises(ValueError, match="x has 4 samples but y has 3"):
        model.fit(x, np.zeros(3, dtype=int))
    bad = x.copy()
    bad[2, 1, 3, 0] = np.nan
    with pytest.raises(ValueError, match=r"x contains NaN or inf \(first at index \(2, 1, 3, 0\)\)"):
        model.fit(bad, np.zeros(4, dtype=int))
    with pytest.raises(TargetError, match=r"labels must lie in \[0, 2\].*0 to 3"):
        model.fit(x, np.array([0, 1, 2, 3]))
    with pytest.raises(TargetError, match="one-hot"):
        model.compile("sgd", "categorical_crossentropy")
        model.fit(x, np.array([0, 1, 2, 1]))


@pytest.mark.parametrize("kwargs, message", [
    ({"optimizer": "adamw", "loss": "categorical_crossentropy"}, "unknown optimizer 'adamw'; valid names"),
    ({"optimizer": "sgd", "loss": "hinge"}, "unknown loss 'hinge'; valid names"),
    ({"optimizer": "sgd", "loss": "categorical_crossentropy", "metrics": ["f2"]},
     "unknown metric 'f2'; valid names"),
    ({"optimizer": "sgd"}, "a loss is required"),
])
def test_unknown_names_in_compile(kwargs, message):
    with pytest.raises(ValueError, match=message):
        _small_cnn().compile(**kwargs)


@pytest.mark.parametrize("call, message", [
    (lambda m, x, y: m(x[..., 0]), r"model\(x\): sequential expects input of shape "
                                   r"\(None, 8, 8, 1\) but x has shape \(6, 8, 8\) -- add the "
                                   r"channel axis"),
    (lambda m, x, y: m(x[:0]), r"model\(x\): x must hold at least one sample .* \(0, 8, 8, 1\)"),
    (lambda m, x, y: m.predict(np.full(x.shape, 1e39)),
     r"predict: x contains NaN or inf \(first at index \(0, 0, 0, 0\); 1e\+39 is beyond "
     r"float32's range\)"),
    (lambda m, x, y: m.fit(x, None), r"fit: y must be an array with one label .* got None"),
    (lambda m, x, y: m.fit(x, y, epochs=2.0), r"fit: epochs must be an int >= 0, got 2.0"),
    (lambda m, x, y: m.fit(x, y, initial_epoch=-1), r"fit: initial_epoch must be an int >= 0"),
    (lambda m, x, y: m.fit(x, y, augment=True), r"fit: augment must be a callable "
                                                r"augment\(x_batch, rng\)"),
    (lambda m, x, y: m.fit(x, y, verbose=0, augment=lambda batch, rng: batch[..., 0]),
     r"fit: augment returned shape \(6, 8, 8\) for a batch of shape \(6, 8, 8, 1\)"),
    (lambda m, x, y: m.fit(x, y, verbose=0, callbacks=[
        minicnn.callbacks.LearningRateScheduler(lambda epoch, lr: None)]),
     r"LearningRateScheduler: schedule\(epoch, lr\) must return a positive number, returned "
     r"None at epoch 0"),
    (lambda m, x, y: m.evaluate(x, y, batch_size=0), r"evaluate: batch_size must be a positive "
                                                     r"int, got 0"),
    (lambda m, x, y: m.predict(x, batch_size=-1), r"predict: batch_size must be a positive int"),
    (lambda m, x, y: m.compile("sgd", "sparse_categorical_crossentropy", "accuracy"),
     r"sequential.compile: metrics must be a list, e.g. metrics=\['accuracy'\]"),
    (lambda m, x, y: m.compile(minicnn.optimizers.Adam, "sparse_categorical_crossentropy"),
     r"optimizer: pass an instance, Adam\(\), not the class"),
    (lambda m, x, y: m.fit(x, y, callbacks=[minicnn.callbacks.EarlyStopping]),
     r"fit: callbacks holds the class EarlyStopping; pass an instance, EarlyStopping\(...\)"),
    (lambda m, x, y: m.fit(x, y, callbacks=minicnn.callbacks.EarlyStopping()),
     r"fit: callbacks must be a list, e.g. callbacks=\[<minicnn.callbacks.EarlyStopping"),
    (lambda m, x, y: m.fit(x, y, callbacks=[object()]), r"fit: <object object .*> is not a "
                                                        r"callback"),
    (lambda m, x, y: m.fit(x, y, seed="abc"), r"fit: seed must be an int >= 0 \(or None\), "
                                              r"got 'abc'"),
    (lambda m, x, y: m.fit(x, y, seed=-1), r"fit: seed must be an int >= 0"),
    (lambda m, x, y: minicnn.set_seed(2.5), r"set_seed: seed must be an int >= 0"),
    (lambda m, x, y: m.fit(x, y, validation_split="0.1"), r"fit: validation_split must be a "
                                                          r"number in \[0, 1\), got '0.1'"),
    (lambda m, x, y: m.fit(x, y, validation_data={"x": x, "y": y}),
     r"fit: validation_data must be a tuple \(x_val, y_val\)"),
    (lambda m, x, y: m.set_weights([np.full_like(w, np.nan) for w in m.get_weights()]),
     r"set_weights: weight 0 \(conv2d/kernel\) contains NaN or inf"),
    (lambda m, x, y: minicnn.Sequential(Dense(3), input_shape=(4,)),
     r"Sequential takes a list of layers: Sequential\(\[Dense"),
    (lambda m, x, y: Conv2D(4, 3, dilation_rate=2), r"Conv2D: unsupported argument\(s\) "
                                                    r"dilation_rate; see docs/layers.md"),
    (lambda m, x, y: Dense(64, input_dim=784), r"Dense: unsupported argument\(s\) input_dim "
                                               r"\(use input_shape=\(D,\)\)"),
    (lambda m, x, y: Conv2D(4, 3.0), r"conv2d: kernel_size must be a positive int .*got 3.0"),
    (lambda m, x, y: Conv2D(4, 3, input_shape=(28.0, 28, 1)),
     r"input_shape must be positive ints, one per axis of one sample"),
    (lambda m, x, y: Input(784), r"Input: input_shape must be a tuple of positive ints"),
    (lambda m, x, y: minicnn.Sequential([Conv2D(4, 3)], input_shape=(32, 28, 28, 1)),
     r"expects images \(H, W, C\) per sample, got input shape \(32, 28, 28, 1\); it looks "
     r"like it includes the batch axis: use x.shape\[1:\]"),
])
def test_student_mistakes_get_a_clear_error(call, message, rng):
    """Each of these gave a raw NumPy/Numba error (or passed silently) before."""
    x, y = _blobs(rng, n=6)
    model = _small_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises((ValueError, TypeError), match=message):
        call(model, x, y)


def test_an_augment_returning_float64_is_cast_to_the_models_dtype(rng):
    x, y = _blobs(rng, n=6)
    model = _small_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy")
    seen = []
    original = model.layers[0].forward

    def spy(batch, training=False):
        seen.append(batch.dtype)
        return original(batch, training=training)

    model.layers[0].forward = spy
    model.fit(x, y, verbose=0, augment=lambda batch, rng: batch + rng.normal(0, 0.1, batch.shape))
    assert seen == [np.float32]


def test_from_logits_after_a_softmax_warns_as_keras_does(rng):
    x, y = _blobs(rng, n=6)
    model = _small_cnn()                         # ends in Dense(3, activation="softmax")
    model.compile("sgd", minicnn.losses.SparseCategoricalCrossentropy(from_logits=True))
    with pytest.warns(UserWarning, match=r"fit: sparse_categorical_crossentropy has "
                                         r"from_logits=True, but sequential ends in a softmax"):
        model.fit(x, y, verbose=0)


def test_a_dense_head_on_images_without_flatten_is_named(rng):
    """Dense on (N, H, W, C) keeps the spatial axes; the loss needs (N, K): say Flatten."""
    x, y = _blobs(rng, n=6)
    model = minicnn.Sequential([Conv2D(4, 3, activation="relu"), Dense(3, activation="softmax")],
                               input_shape=(8, 8, 1))
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"fit: sequential's output has shape \(None, 6, 6, 3\), "
                                         r"but sparse_categorical_crossentropy needs one vector "
                                         r"per sample, \(None, K\): add Flatten\(\)"):
        model.fit(x, y)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow is the point
def test_an_update_that_overflows_is_named_at_once(rng):
    """Finite loss and gradients, but an absurd learning rate makes the update itself inf: fit
    stops at that step and names the parameter (before, the next step found a NaN loss, or fit
    returned inf weights if it was the last step)."""
    x, y = _blobs(rng, n=8)
    model = _small_cnn()
    model.compile(minicnn.optimizers.SGD(learning_rate=1e300), "sparse_categorical_crossentropy")
    with pytest.raises(minicnn.NonFiniteLossError,
                       match=r"the update by SGD\(learning_rate=1e\+300.*\) made conv2d/kernel "
                             r"non-finite at epoch 1/1, batch 1/1; the weights now hold inf/NaN"):
        model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    with pytest.raises(minicnn.NonFiniteLossError, match=r"the update by SGD.*made"):
        _small_cnn_compiled = _small_cnn()
        _small_cnn_compiled.compile(minicnn.optimizers.SGD(learning_rate=1e300),
                                    "sparse_categorical_crossentropy")
        _small_cnn_compiled.train_on_batch(x, y)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow is the point
def test_nan_loss_stops_training_and_keeps_last_finite_weights(rng):
    x, y = _blobs(rng, n=64)
    model = _small_cnn()
    model.compile(minicnn.optimizers.SGD(learning_rate=1e30), "sparse_categorical_crossentropy")
    with pytest.raises(minicnn.NonFiniteLossError,
                       match=r"loss became (nan|inf) at epoch \d+/50, batch \d+/8.*last finite weights") as info:
        model.fit(x, y, epochs=50, batch_size=8, verbose=0)
    assert all(np.all(np.isfinite(w)) for w in model.get_weights())
    assert info.value.history is not None


def test_training_skips_the_first_layers_input_gradient(rng):
    """In training nothing needs dL/d(images): the first Conv2D skips it (as Keras/PyTorch)."""
    x, y = _blobs(rng, n=8)
    model = _small_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy")
    first = model.layers[0]
    calls = []
    original = first.backward

    def spy(dy, **kwargs):
        dx = original(dy, **kwargs)
        calls.append(dx)
        return dx

    first.backward = spy
    model.train_on_batch(x, y)
    assert calls == [None] and first.input_gradient_needed      # restored afterwards
    y_pred = model.forward(x, training=True)
    _, dy, through = model._loss_and_grad(y, y_pred)
    assert model.backward(dy, through).shape == x.shape          # public backward: full dx


def test_train_on_batch_returns_like_keras(rng):
    x, y = _blobs(rng, n=8, size=28, classes=3)
    model = lenet5()
    model.compile("sgd", "sparse_categorical_crossentropy")
    loss = model.train_on_batch(x, y)                      # no metrics: the loss alone
    assert isinstance(loss, float) and loss > 0
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, accuracy = model.train_on_batch(x, y)            # [loss, metric, ...]
    assert loss > 0 and 0.0 <= accuracy <= 1.0
    logs = model.train_on_batch(x, y, return_dict=True)
    assert list(logs) == ["loss", "accuracy"]
    assert model.compile("sgd", "sparse_categorical_crossentropy") is None   # Keras: None
