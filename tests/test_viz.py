"""minicnn.viz: every figure renders to a PNG of the designed size, and shows what it claims."""
import os
import subprocess
import sys

os.environ.setdefault("MPLBACKEND", "Agg")     # before matplotlib is imported anywhere

import matplotlib.image
import numpy as np
import pytest

import minicnn
from minicnn import reproduce, viz
from minicnn.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from minicnn.metrics import confusion_matrix

NAMES = ("T-shirt/top", "Trouser", "Ankle boot")


@pytest.fixture(autouse=True)
def _numpy_backend():
    with minicnn.use_backend("numpy"):           # no JIT compilation: these tests stay fast
        yield


def tiny_model():
    """12x12x1 -> conv 4 -> pool -> conv 3 'same' -> Dropout -> Dense 3 (softmax), untrained."""
    return minicnn.Sequential([
        Conv2D(4, (3, 3), activation="relu", input_shape=(12, 12, 1)),   # (10, 10, 4)
        MaxPooling2D((2, 2)),                                             # (5, 5, 4)
        Conv2D(3, (3, 3), padding="same", activation="relu"),             # (5, 5, 3)
        Dropout(0.5),
        Flatten(),
        Dense(3, activation="softmax"),
    ])


@pytest.fixture
def model():
    return tiny_model()


@pytest.fixture
def images():
    return np.random.default_rng(0).random((20, 12, 12, 1), dtype=np.float32)


def read_png(path):
    """The PNG's pixels (height, width, channels), read back by matplotlib."""
    assert path.is_file() and path.stat().st_size > 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return matplotlib.image.imread(path)


def pixel_size(fig):
    width, height = fig.get_size_inches() * fig.dpi
    return round(height), round(width)


def texts(ax):
    return [t.get_text() for t in ax.texts]


def blocks(fig):
    """plot_feature_maps' blocks: the (nested) subfigures that carry a title, in reading order."""
    found = []
    for sub in fig.subfigs:
        if sub._suptitle is not None:
            found.append(sub)
        found += blocks(sub)
    return found


def image_axes(container):
    return [ax for ax in container.axes if ax.images]


# -- every function: a PNG of the designed pixel size ---------------------------------------------
def history_dict():
    return {"loss": [1.2, 0.7, 0.5], "accuracy": [0.5, 0.7, 0.8],
            "val_loss": [1.0, 0.8, 0.6], "val_accuracy": [0.55, 0.65, 0.75]}


def entries():
    return [{"documented": 0.99, "measured_mean": 0.985, "measured_std": 0.002,
             "verdict": "within tolerance"},
            {"documented": 0.90, "measured_mean": 0.85, "measured_std": 0.0,
             "verdict": "outside tolerance"},
            {"documented": 0.95, "measured_mean": None, "measured_std": None,
             "verdict": "not run"}]


CASES = {
    # name: (draw(model, images, path), designed (height, width) in pixels)
    "history": (lambda m, x, p: viz.plot_history(history_dict(), path=p), (330, 840)),
    "confusion": (lambda m, x, p: viz.plot_confusion_matrix(
        [0, 1, 2, 2, 1], [0, 1, 1, 2, 1], NAMES, path=p), None),
    "confusion_normalised": (lambda m, x, p: viz.plot_confusion_matrix(
        [0, 1, 2, 2, 1], [0, 1, 1, 2, 1], NAMES, normalize=True, path=p), None),
    "predictions": (lambda m, x, p: viz.plot_predictions(m, x, np.arange(20) % 3, NAMES, n=9,
                                                         path=p), None),
    "samples": (lambda m, x, p: viz.plot_samples(x, np.arange(20) % 3, n=4, path=p),
                (290, 250)),   # 2x2 cells of 1.25 in (+0.2 in for the titles), 100 dpi
    "class_distribution": (lambda m, x, p: viz.plot_class_distribution(
        np.arange(20) % 3, NAMES, path=p), None),
    "filters": (lambda m, x, p: viz.plot_filters(m.layers[0], path=p), None),
    "feature_maps": (lambda m, x, p: viz.plot_feature_maps(m, x[0], path=p), None),
    "reproduction": (lambda m, x, p: viz.plot_reproduction(entries(), path=p), (715, 715)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_every_figure_is_saved_as_a_png_of_its_size(name, model, images, tmp_path):
    draw, designed = CASES[name]
    path = tmp_path / "out" / f"{name}.png"               # the folder is created
    fig = draw(model, images, path)
    pixels = read_png(path)
    assert pixels.shape[:2] == pixel_size(fig)           # saved at the figure's own size and dpi
    if designed:
        assert pixels.shape[:2] == designed
    assert pixels.shape[2] in (3, 4) and pixels[..., :3].std() > 0.01   # not a blank canvas
    assert [p.name for p in path.parent.iterdir()] == [path.name]    # no temporary file left
    assert fig._repr_png_()[:4] == b"\x89PNG"            # Jupyter can show it as it is


def test_no_path_writes_nothing_and_pyplot_keeps_no_figures(model, images, tmp_path,
                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    figures = [draw(model, images, None) for draw, _ in CASES.values()]
    assert all(isinstance(f, matplotlib.figure.Figure) for f in figures)
    assert list(tmp_path.iterdir()) == []
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == []


def test_headless_import_keeps_the_users_backend(tmp_path):
    code = ("import matplotlib, sys; matplotlib.use('svg'); from minicnn import viz; "
            "viz.plot_class_distribution([0, 1, 1], path=sys.argv[1]); "
            "assert matplotlib.get_backend() == 'svg', matplotlib.get_backend(); "
            "assert 'matplotlib.pyplot' not in sys.modules")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), env.get("PYTHONPATH")]))
    out = tmp_path / "bars.png"
    done = subprocess.run([sys.executable, "-c", code, str(out)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    read_png(out)


# -- what each figure shows ------------------------------------------------------------------------
def test_predictions_are_green_when_right_and_red_when_wrong(model, images):
    predicted = model.predict(images).argmax(axis=1)
    truth = predicted.copy()
    truth[::3] = (truth[::3] + 1) % 3                    # every third one wrong: 7 of 20
    one_hot = np.eye(3)[truth]
    fig = viz.plot_predictions(model, images, one_hot, NAMES, n=20)
    axes = image_axes(fig)
    assert len(axes) == 20
    colours = [matplotlib.colors.to_hex(ax.title.get_color()) for ax in axes]
    assert colours.count(viz.WRONG) == int((predicted != truth).sum()) == 7
    assert colours.count(viz.RIGHT) == 13
    for ax, p, t in zip(axes, predicted, truth):
        assert ax.get_title() == f"{NAMES[p]} ({NAMES[t]})"
        assert matplotlib.colors.to_hex(ax.title.get_color()) == (viz.RIGHT if p == t else viz.WRONG)
    assert fig._suptitle.get_text().endswith("7 of 20 wrong")


def test_predictions_accept_uint8_images_without_channel_axis(model, images):
    pixels = np.round(images[..., 0] * 255).astype(np.uint8)         # (N, 12, 12) uint8
    expected = model.predict(pixels[..., None].astype(np.float32) / 255).argmax(axis=1)
    fig = viz.plot_predictions(model, pixels, expected, n=5)
    assert [ax.get_title() for ax in image_axes(fig)] == [f"{p} ({p})" for p in expected[:5]]
    assert image_axes(fig)[0].images[0].get_array().shape == (12, 12)


def test_confusion_matrix_cells_are_the_counts_and_row_fractions():
    rng = np.random.default_rng(3)
    y_true = rng.integers(0, 3, 60)
    probabilities = rng.random((60, 3))
    cm = confusion_matrix(y_true, probabilities, num_classes=3)
    fig = viz.plot_confusion_matrix(y_true, probabilities, NAMES, normalize=True)
    counts, fractions = fig.axes
    assert np.array(texts(counts), dtype=int).reshape(3, 3).tolist() == cm.tolist()
    rows = cm / cm.sum(axis=1, keepdims=True)
    assert texts(fractions) == ["" if v == 0 else f"{v:.2f}" for v in rows.ravel()]
    assert [t.get_text() for t in counts.get_xticklabels()] == list(NAMES)
    assert all(t.get_rotation() == 45 for t in counts.get_xticklabels())   # long names
    assert f"{np.trace(cm) / 60:.1%}" in fig._suptitle.get_text()
    single = viz.plot_confusion_matrix(y_true, probabilities)         # counts only, 0..2
    assert len(single.axes) == 1 and texts(single.axes[0]) == [str(v) for v in cm.ravel()]


def test_history_has_one_panel_per_quantity_train_and_validation():
    fig = viz.plot_history(history_dict())
    loss, accuracy = fig.axes
    assert (loss.get_title(), accuracy.get_title()) == ("loss", "accuracy")
    train, val = accuracy.get_lines()
    assert train.get_xdata().tolist() == [1, 2, 3]                    # epochs count from 1
    assert train.get_ydata().tolist() == [0.5, 0.7, 0.8]
    assert val.get_ydata().tolist() == [0.55, 0.65, 0.75]
    assert accuracy.get_xticks().tolist() == [1, 2, 3]
    only = viz.plot_history(history_dict(), metrics=["accuracy"])
    assert [ax.get_title() for ax in only.axes if ax.get_visible()] == ["accuracy"]
    with pytest.raises(KeyError, match="f1_score"):
        viz.plot_history(history_dict(), metrics=["f1_score"])


def test_history_from_fit_including_a_metric_without_validation(model, images):
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", "f1_score"])
    history = model.fit(images, np.arange(20) % 3, epochs=2, verbose=0)
    fig = viz.plot_history(history)
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["loss", "accuracy",
                                                                       "f1_score"]
    assert all(len(ax.get_lines()) == 1 for ax in fig.axes)           # no validation data


def test_samples_and_class_distribution_show_the_labels():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (30, 12, 12), dtype=np.uint8)
    y = np.array([0] * 20 + [2] * 10)                   # class 1 absent
    fig = viz.plot_samples(x, y, NAMES, n=25)
    assert [ax.get_title() for ax in image_axes(fig)] == [NAMES[v] for v in y[:25]]
    assert image_axes(fig)[0].images[0].get_clim() == (0, 255)       # not rescaled per image
    bars = viz.plot_class_distribution(y, NAMES).axes[0]
    assert [b.get_height() for b in bars.patches] == [20, 0, 10]
    assert [t.get_text() for t in bars.get_xticklabels()] == list(NAMES)


def test_filters_one_image_per_kernel_mean_over_input_channels(model):
    first = viz.plot_filters(model.layers[0])
    kernel = model.layers[0].params["kernel"]                        # (3, 3, 1, 4)
    shown = image_axes(first)
    assert len(shown) == 4
    assert np.array_equal(shown[2].images[0].get_array(), kernel[:, :, 0, 2])
    assert first._suptitle.get_text() == "conv2d: 4 kernels 3×3"
    second = viz.plot_filters(model.layers[2])                        # (3, 3, 4, 3)
    assert "mean over 4 input channels" in second._suptitle.get_text()
    assert np.allclose(image_axes(second)[1].images[0].get_array(),
                       model.layers[2].params["kernel"][:, :, :, 1].mean(axis=2))
    with pytest.raises(ValueError, match="KH, KW, C_in, F"):
        viz.plot_filters(model.layers[-1])                           # Dense: (75, 3)


def test_feature_maps_one_block_per_layer_at_most_max_channels(model, images):
    image = images[4]
    fig = viz.plot_feature_maps(model, image, max_channels=3)
    found = blocks(fig)
    # The input, then every layer with an (H, W, C) output except Dropout (the identity).
    assert [b._suptitle.get_text() for b in found] == [
        "input (12, 12, 1)", "conv2d (10, 10, 4), first 3 of 4 channels",
        "max_pooling2d (5, 5, 4), first 3 of 4 channels", "conv2d_1 (5, 5, 3)"]
    assert [len(image_axes(b)) for b in found] == [1, 3, 3, 3]
    # The pictures are the layers' inference outputs, channel by channel.
    x = image[None]
    for layer, block in zip(model.layers[:3], found[1:]):
        x = layer.forward(x, training=False)
        for c, ax in enumerate(image_axes(block)):
            assert np.array_equal(ax.images[0].get_array(), x[0, :, :, c])


def test_feature_maps_chosen_layers(model, images):
    by_name = viz.feature_maps(model, images[0], layers=["conv2d_1", "dropout"])
    assert list(by_name) == ["conv2d_1", "dropout"]
    assert np.array_equal(by_name["dropout"], by_name["conv2d_1"])   # identity at inference
    fig = viz.plot_feature_maps(model, images[0, :, :, 0], layers=[0, model.layers[1]])
    assert len(blocks(fig)) == 3 and [len(image_axes(b)) for b in blocks(fig)] == [1, 4, 4]
    with pytest.raises(ValueError, match=r"flatten outputs \(None, 75\)"):
        viz.plot_feature_maps(model, images[0], layers=["flatten"])
    with pytest.raises(KeyError, match="no layer named 'conv9'"):
        viz.plot_feature_maps(model, images[0], layers=["conv9"])


def test_reproduction_plot_and_reproduce_plot_results(tmp_path):
    fig = viz.plot_reproduction(entries(), title="t")
    points = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
    assert sorted(x for line in points for x in line.get_xdata()) == pytest.approx([90, 99])
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels == [f"±{reproduce.TOLERANCE_PP} pp", "within tolerance (1)",
                      "outside tolerance (1)"]
    reproduce.plot_results(entries(), tmp_path / "r.png", quick=True)
    assert read_png(tmp_path / "r.png").shape[:2] == (715, 715)
