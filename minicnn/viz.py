"""Pictures of training and of the network's insides: one call per figure the reports show.

    from minicnn import viz
    viz.plot_history(history, path="curves.png")                 # loss, accuracy: train vs val
    viz.plot_confusion_matrix(y_test, model.predict(x_test), class_names, normalize=True)
    viz.plot_predictions(model, x_test, y_test, class_names)     # "predicted (true)", green/red
    viz.plot_samples(x_train, y_train, class_names)
    viz.plot_class_distribution(y_train, class_names)
    viz.plot_filters(model.layers[0])                            # first-layer kernels
    viz.plot_feature_maps(model, x_test[0])                      # every (H, W, C) activation
    viz.plot_reproduction(entries)                               # documented vs measured

Every function returns a ``matplotlib.figure.Figure`` and, given ``path``, also writes it there
(PNG unless the suffix names another format such as ``.pdf`` or ``.svg``) atomically.

The figures are made with matplotlib's Figure API, not ``pyplot``: importing and calling this
module never opens a window, needs no display and leaves your backend and pyplot's list of
open figures alone (a loop that draws a thousand figures does not leak them). In Jupyter the
returned figure shows as the cell's result (once). In a script, save it with ``path=`` or
``fig.savefig(...)``, or, with matplotlib 3.11 or later, hand it to pyplot to get a window
(older versions refuse a figure pyplot did not make)::

    import matplotlib.pyplot as plt
    fig = viz.plot_history(history)
    plt.figure(fig)      # pyplot adopts the figure (matplotlib >= 3.11)
    plt.show()

Images may be given as the loaders return them, uint8 ``(N, 28, 28)``, or as the model takes
them, float ``(N, 28, 28, 1)`` in [0, 1]; labels as class indices ``(N,)`` or one-hot ``(N, K)``.
"""
import io
import math
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from minicnn.atomic import atomic_path
from minicnn.metrics import class_indices, confusion_matrix

DPI = 100                      # every figure: pixels = figsize (inches) x 100
RIGHT, WRONG = "#1a7f37", "#cf222e"   # title colours of plot_predictions (green / red)
IMAGE_CMAP = "gray_r"          # dark ink on white, as printed digits look
MAP_CMAP = "viridis"           # feature maps: each scaled to its own min..max
KERNEL_CMAP = "RdBu_r"         # kernels: red positive, blue negative, white 0

__all__ = ["plot_history", "plot_confusion_matrix", "plot_predictions", "plot_samples",
           "plot_class_distribution", "plot_filters", "feature_maps", "plot_feature_maps",
           "plot_reproduction"]


class VizFigure(Figure):
    """A plain matplotlib ``Figure`` that Jupyter also renders when pyplot was never imported."""

    def _repr_png_(self):
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=self.dpi)
        return buffer.getvalue()


def _figure(width, height, dpi=DPI, layout="constrained"):
    """A figure of ``width`` x ``height`` inches; "compressed" suits grids of square images."""
    return VizFigure(figsize=(width, height), dpi=dpi, layout=layout)


def _finish(fig, path):
    """Save ``fig`` to ``path`` (if given) atomically, at the figure's own dpi; return it."""
    if path is not None:
        path = Path(path)
        fmt = path.suffix.lstrip(".").lower() or "png"
        with atomic_path(path) as tmp:     # tmp ends in ".partial": name the format explicitly
            fig.savefig(tmp, format=fmt, dpi=fig.dpi)
    return fig


# -- images and labels as the user has them ----------------------------------------------------
def _display_images(x):
    """Images for imshow: (N, H, W) grey or (N, H, W, 3) colour, plus the (vmin, vmax) to use."""
    x = np.asarray(x)
    if x.ndim == 4 and x.shape[-1] != 3:
        x = x[..., 0]                        # grey (C = 1); other non-RGB: channel 0
    if x.ndim not in (3, 4):
        raise ValueError(f"images must be (N, H, W) or (N, H, W, C), got shape {x.shape}")
    if np.issubdtype(x.dtype, np.integer):
        return x, (0, 255)
    if x.size and x.min() >= 0 and x.max() <= 1:
        return x, (0.0, 1.0)
    return x, (None, None)                   # standardised or otherwise scaled: autoscale


def _model_inputs(model, x):
    """What the model takes: float in [0, 1] with the channel axis (uint8 / (N, H, W) accepted)."""
    x = np.asarray(x)
    if np.issubdtype(x.dtype, np.integer):
        x = x.astype(np.float32) / np.float32(255)
    expected = getattr(model, "input_shape", None)
    if x.ndim == 3 and (expected is None or len(expected) == 3):
        x = x[..., np.newaxis]
    return x


def _labels(y, n):
    return None if y is None else class_indices(y)[:n]


def _name(class_names, label):
    if class_names is not None and 0 <= label < len(class_names):
        return str(class_names[label])
    return str(label)


def _image_grid(images, n, titles, colours=None, suptitle=None):
    """``n`` images in a near-square grid, one title each: 1.25 in per cell, 1.7 in when a
    title is longer than 8 characters (Fashion's "predicted (true)" pairs)."""
    images, (vmin, vmax) = _display_images(images[:n])
    n = len(images)
    cols = max(1, math.ceil(math.sqrt(n)))
    rows = max(1, math.ceil(n / cols))
    longest = max((len(t) for t in titles), default=0)
    cell = 1.25 if longest <= 8 else 1.7        # long Fashion names need wider cells
    fig = _figure(cols * cell, rows * (cell + 0.2) + (0.35 if suptitle else 0))
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= n:
            continue
        ax.imshow(images[i], cmap=IMAGE_CMAP, vmin=vmin, vmax=vmax, interpolation="nearest")
        colour = {} if colours is None else {"color": colours[i]}
        ax.set_title(titles[i], fontsize=9, pad=3, **colour)
    if suptitle:
        fig.suptitle(suptitle, fontsize=11)
    return fig


# -- training ----------------------------------------------------------------------------------
def plot_history(history, metrics=None, path=None):
    """Training curves: one panel per quantity, training vs validation, epochs 1, 2, ... on x.

    history : the ``History`` that ``fit`` returns, or its ``history`` dict of lists
              (``{"loss": [...], "val_loss": [...], "accuracy": [...], ...}``)
    metrics : names of the quantities to draw, one panel each, e.g. ``["loss", "accuracy"]``;
              default: ``loss`` then every other quantity logged (``val_x`` joins ``x``'s panel)
    Each legend entry gives the last epoch's value.
    """
    logs = getattr(history, "history", history)
    if not logs:
        raise ValueError("plot_history: the history is empty (was fit run for 0 epochs?)")
    base = [key for key in logs if not key.startswith("val_")]
    base += [key[4:] for key in logs if key.startswith("val_") and key[4:] not in logs]
    if metrics is None:
        metrics = sorted(base, key=lambda key: key != "loss")          # loss first, stable
    else:
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        unknown = [m for m in metrics if m not in base]
        if unknown:
            raise KeyError(f"plot_history: no {unknown} in the history; it has "
                           f"{sorted(logs)}")
    cols = min(len(metrics), 3)
    rows = math.ceil(len(metrics) / cols)
    fig = _figure(4.2 * cols, 3.3 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, name in zip(axes, metrics):
        for key, label, style in ((name, "training", "-"), (f"val_{name}", "validation", "--")):
            if key not in logs:
                continue
            values = np.asarray(logs[key], dtype=float)
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, style, marker="o" if len(values) <= 30 else None, ms=4,
                    label=f"{label} (last {values[-1]:.4g})")
        ax.set_title(name)
        ax.set_xlabel("epoch")
        epochs_logged = max(len(logs[key]) for key in (name, f"val_{name}") if key in logs)
        if epochs_logged <= 12:                  # every epoch a tick, 1..n, never 0.95 or 1.5
            ax.set_xticks(range(1, epochs_logged + 1))
            ax.set_xlim(0.7, epochs_logged + 0.3)
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    return _finish(fig, path)


def plot_confusion_matrix(y_true, y_pred, class_names=None, normalize=False, path=None):
    """Confusion matrix ``cm[true, predicted]`` as annotated cells.

    y_true, y_pred : class indices or one-hot rows; ``y_pred`` may be the model's probabilities
    normalize      : False -- the counts; True -- the counts and, beside them, each row divided
                     by its total (row t, column p = the fraction of class t predicted as p; the
                     diagonal is each class's recall), so unequal class sizes don't mislead
    The title gives the accuracy, trace(cm) / N.
    """
    k = len(class_names) if class_names is not None else None
    cm = confusion_matrix(y_true, y_pred, num_classes=k)
    k = cm.shape[0]
    names = [_name(class_names, i) for i in range(k)]
    total = int(cm.sum())
    accuracy = np.trace(cm) / total if total else float("nan")
    panels = [("counts", cm)]
    if normalize:
        rows = cm.sum(axis=1, keepdims=True)
        panels.append(("share of each true class",
                       np.divide(cm, rows, out=np.zeros(cm.shape), where=rows > 0)))
    side = max(k * 0.55, 2.6)                      # inches per matrix: 3-digit counts fit
    longest = max(len(n) for n in names)
    label_room = 0.3 + 0.075 * longest             # the class names left of the matrix
    fig = _figure(side * len(panels) + label_room + 0.5 * len(panels),
                  side + 0.055 * longest + 1.3,    # names below, rotated 45 degrees
                  layout="compressed")
    axes = fig.subplots(1, len(panels), squeeze=False).ravel()
    for ax, (title, values) in zip(axes, panels):
        top = values.max() if values.size and values.max() > 0 else 1
        ax.imshow(values, cmap="Blues", vmin=0, vmax=top, interpolation="nearest")
        for t in range(k):
            for p in range(k):
                v = values[t, p]
                text = f"{v:d}" if values.dtype.kind in "iu" else ("" if v == 0 else f"{v:.2f}")
                colour = "white" if v > 0.55 * top else ("0.6" if v == 0 else "black")
                ax.text(p, t, text, ha="center", va="center", fontsize=8 if k > 6 else 10,
                        color=colour)
        ax.set_xticks(range(k), names, rotation=45 if longest > 2 else 0, ha="right"
                      if longest > 2 else "center", rotation_mode="anchor", fontsize=9)
        ax.set_xlabel("predicted")
        if ax is axes[0]:
            ax.set_yticks(range(k), names, fontsize=9)
            ax.set_ylabel("true")
        else:                                       # same rows as the counts on its left
            ax.set_yticks(range(k), [])
        ax.set_title(title, fontsize=10)
    fig.suptitle(f"confusion matrix: accuracy {accuracy:.1%} of {total:,} samples", fontsize=11)
    return _finish(fig, path)


# -- data ------------------------------------------------------------------------------------
def plot_predictions(model, x, y, class_names=None, n=25, path=None):
    """The first ``n`` images with the model's prediction: title "predicted (true)", green when
    right, red when wrong; the figure title counts the mistakes.

    x : uint8 (N, H, W) or float (N, H, W, C) as the model takes it;  y : labels or one-hot
    """
    x = np.asarray(x)[:n]
    true = _labels(y, n)
    predicted = class_indices(model.predict(_model_inputs(model, x)))
    right = predicted == true
    titles = [f"{_name(class_names, p)} ({_name(class_names, t)})"
              for p, t in zip(predicted, true)]
    fig = _image_grid(x, n, titles, colours=[RIGHT if r else WRONG for r in right],
                      suptitle=f"predicted (true): {int((~right).sum())} of {len(right)} wrong")
    return _finish(fig, path)


def plot_samples(x, y, class_names=None, n=25, path=None):
    """The first ``n`` images, each titled with its class (``y=None``: no titles)."""
    labels = _labels(y, n)
    count = min(n, len(x))
    titles = [""] * count if labels is None else [_name(class_names, t) for t in labels[:count]]
    return _finish(_image_grid(np.asarray(x), count, titles), path)


def plot_class_distribution(y, class_names=None, path=None):
    """Bar chart of the number of samples of each class, counts written on the bars."""
    labels = class_indices(y)
    k = len(class_names) if class_names is not None else int(labels.max(initial=-1)) + 1
    counts = np.bincount(labels, minlength=k)
    names = [_name(class_names, i) for i in range(len(counts))]
    longest = max((len(s) for s in names), default=1)
    fig = _figure(max(4.0, 0.55 * len(counts) + 1.2), 3.6 + (0.07 * longest if longest > 2 else 0))
    ax = fig.subplots()
    bars = ax.bar(range(len(counts)), counts, color="tab:blue")
    ax.bar_label(bars, [f"{c:,}" for c in counts], fontsize=8, padding=2)
    ax.set_xticks(range(len(counts)), names, rotation=45 if longest > 2 else 0,
                  ha="right" if longest > 2 else "center", rotation_mode="anchor")
    ax.set_ylabel("samples")
    ax.set_ylim(0, counts.max(initial=0) * 1.12 + 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{len(labels):,} samples in {len(counts)} classes", fontsize=11)
    return _finish(fig, path)


# -- inside the network ------------------------------------------------------------------------
def plot_filters(layer, path=None):
    """A convolution's kernels ``(KH, KW, C_in, F)`` as F small images on one shared colour scale
    centred at 0 (red positive, blue negative). With C_in > 1 each image is the mean over the
    input channels, and the title says so.

    layer : a built Conv2D-like layer (``layer.params["kernel"]``) or the kernel array itself
    """
    name = getattr(layer, "layer_name", "kernel")
    if hasattr(layer, "params") and "kernel" not in layer.params:
        raise ValueError(f"plot_filters: {name} has no kernel (build the model first, "
                         f"or choose a convolution)")
    kernel = np.asarray(layer.params["kernel"] if hasattr(layer, "params") else layer)
    if kernel.ndim != 4:
        raise ValueError(f"plot_filters: {name} has a kernel of shape {kernel.shape}; "
                         f"expected a convolution's (KH, KW, C_in, F)")
    kh, kw, c_in, filters = kernel.shape
    images = kernel.mean(axis=2) if c_in > 1 else kernel[:, :, 0, :]
    limit = float(np.abs(images).max()) or 1.0
    cols = min(filters, 8)
    rows = math.ceil(filters / cols)
    cell = 0.9
    fig = _figure(cols * cell + 0.9, rows * (cell + 0.15) + 0.55)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for i, ax in enumerate(axes):
        if i >= filters:
            ax.set_axis_off()
            continue
        shown = ax.imshow(images[:, :, i], cmap=KERNEL_CMAP, vmin=-limit, vmax=limit,
                          interpolation="nearest")
        ax.set_title(str(i), fontsize=8, pad=2)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():            # a thin frame: near-0 weights are white
            spine.set_edgecolor("0.75")
    fig.colorbar(shown, ax=axes.tolist(), shrink=0.8, aspect=15 * max(rows, 1))
    channels = f", mean over {c_in} input channels" if c_in > 1 else ""
    fig.suptitle(f"{name}: {filters} kernels {kh}×{kw}{channels}", fontsize=11)
    return _finish(fig, path)


def _chosen_layers(model, layers):
    """The model's layers to show: default every layer with an (H, W, C) output except Dropout
    (the identity at inference: its maps would repeat the row above)."""
    if layers is None:
        return [layer for layer in model.layers if len(layer.output_shape) == 3
                and "Dropout" not in type(layer).__name__]
    chosen = []
    for item in ([layers] if isinstance(layers, (str, int)) else layers):
        if isinstance(item, (int, np.integer)):
            layer = model.layers[item]
        elif isinstance(item, str):
            matches = [layer for layer in model.layers if layer.layer_name == item]
            if not matches:
                raise KeyError(f"plot_feature_maps: no layer named {item!r}; the model has "
                               f"{[layer.layer_name for layer in model.layers]}")
            layer = matches[0]
        else:
            layer = item
        if layer not in model.layers:
            raise ValueError(f"plot_feature_maps: {layer!r} is not a layer of this model")
        if len(layer.output_shape) != 3:
            raise ValueError(f"plot_feature_maps: {layer.layer_name} outputs "
                             f"{(None,) + tuple(layer.output_shape)}, not an image (H, W, C); "
                             f"choose layers with 3-D outputs")
        chosen.append(layer)
    return chosen


def feature_maps(model, image, layers=None):
    """``{layer name: activation (H, W, C)}`` of the chosen layers for one image, in model order.

    Runs ``x = layer.forward(x, training=False)`` layer by layer (inference: Dropout is the
    identity, BatchNormalization uses its moving statistics) and keeps the chosen outputs.
    """
    image = np.asarray(image)
    if image.ndim == 4:
        if image.shape[0] != 1:
            raise ValueError(f"feature maps are for one image; got a batch of {image.shape[0]}")
        image = image[0]
    x = _model_inputs(model, image[np.newaxis])
    if not model.built:
        model.build(x.shape[1:])
    x = model._check_x(x, "plot_feature_maps")
    chosen = _chosen_layers(model, layers)
    wanted = {id(layer) for layer in chosen}
    maps = {}
    for layer in model.layers:
        if len(maps) == len(chosen):
            break
        x = layer.forward(x, training=False)
        if id(layer) in wanted:
            maps[layer.layer_name] = x[0]
    return maps


def plot_feature_maps(model, image, layers=None, max_channels=32, path=None):
    """What each chosen layer makes of one image (000 section C): the input, then one block per
    layer -- titled with its name and output shape -- showing its first ``max_channels``
    channels, each on its own colour scale (viridis: bright = strong activation).

    image  : one image, (H, W), (H, W, C) or (1, H, W, C); uint8 or float as the model takes it
    layers : names, indices or layer objects; default every layer with an (H, W, C) output
             except Dropout (at inference it passes its input through: the same maps again)

    Layout: every map is the same size, at most 16 per row; blocks of one row share a line
    when they fit (LeNet-5: input, conv2d and max_pooling2d side by side).
    """
    maps = feature_maps(model, image, layers)
    image = np.asarray(image)
    pixels, (vmin, vmax) = _display_images((image[0] if image.ndim == 4 else image)[np.newaxis])
    # One block = (title, the images, imshow options); the input first.
    blocks = [(f"input {tuple(model.input_shape)}", [pixels[0]],
               dict(cmap=IMAGE_CMAP, vmin=vmin, vmax=vmax))]
    for name, activation in maps.items():
        channels = activation.shape[-1]
        count = min(channels, max_channels)
        more = f", first {count} of {channels} channels" if count < channels else ""
        blocks.append((f"{name} {tuple(activation.shape)}{more}",
                       [activation[:, :, c] for c in range(count)], dict(cmap=MAP_CMAP)))

    cell, title_height, gap = 0.72, 0.36, 0.5       # inches per map; gap in maps
    cols = min(16, max(len(images) for _, images, _ in blocks))
    # Width of each block in cells: its maps, or its title if longer (~0.08 in per character).
    widths = [max(min(len(images), cols), math.ceil(len(title) * 0.08 / cell))
              for title, images, _ in blocks]
    cols = max([cols] + widths)
    rows = [math.ceil(len(images) / cols) for _, images, _ in blocks]
    lines = []                                       # block indices drawn side by side
    for i in range(len(blocks)):
        line = lines[-1] if lines else None
        if (line and rows[i] == 1 and all(rows[j] == 1 for j in line)
                and sum(widths[j] + gap for j in line) + widths[i] <= cols):
            line.append(i)
        else:
            lines.append([i])
    line_heights = [max(rows[j] for j in line) * cell + title_height for line in lines]
    fig = _figure(cols * cell + 0.2, sum(line_heights))
    fig.get_layout_engine().set(w_pad=0.01, h_pad=0.01, wspace=0.02, hspace=0.02)
    line_figs = fig.subfigures(len(lines), 1, height_ratios=line_heights, squeeze=False)
    for line_fig, line in zip(line_figs.ravel(), lines):
        ratios = []
        for j in line:
            ratios += [widths[j], gap]
        ratios[-1] = cols - sum(ratios[:-1])        # the rest of the line stays empty
        if ratios[-1] <= 0:
            ratios.pop()
        parts = line_fig.subfigures(1, len(ratios), width_ratios=ratios, squeeze=False).ravel()
        for part, j in zip(parts[::2], line):
            title, images, options = blocks[j]
            axes = part.subplots(rows[j], widths[j], squeeze=False).ravel()
            for k, ax in enumerate(axes):
                if k >= len(images):
                    ax.set_axis_off()
                    continue
                ax.imshow(images[k], interpolation="nearest", **options)
                ax.set_xticks([])
                ax.set_yticks([])
                for spine in ax.spines.values():     # frames the white input image too
                    spine.set_edgecolor("0.75")
            part.suptitle(title, fontsize=10, x=0.06 / (widths[j] * cell), ha="left")
    return _finish(fig, path)


# -- the reproduction ----------------------------------------------------------------------------
VERDICT_COLOURS = {"within tolerance": "tab:green", "outside tolerance": "tab:red",
                   "quick run (not comparable)": "tab:blue"}


def plot_reproduction(entries, path=None, title="minicnn vs the reports", tolerance_pp=None):
    """Documented vs measured accuracy, one point per row of the reproduction (error bar = the
    std of our runs), coloured by verdict, with the diagonal and the ±tolerance band.

    entries : dicts with ``documented``, ``measured_mean``, ``measured_std`` (fractions) and
              ``verdict``, as ``minicnn.reproduce`` writes them; rows not measured are skipped
    tolerance_pp : the band's half-width in percentage points; default ``reproduce.TOLERANCE_PP``
    """
    if tolerance_pp is None:
        from minicnn.reproduce import TOLERANCE_PP as tolerance_pp
    shown = [e for e in entries if e.get("measured_mean") is not None
             and e.get("documented") is not None]
    fig = _figure(6.5, 6.5, dpi=110)
    ax = fig.subplots()
    lowest = min([e["documented"] for e in shown] + [e["measured_mean"] for e in shown] + [0.7])
    lo = math.floor((100 * lowest - 1) / 5) * 5          # a margin: no point on the frame
    ax.plot([lo, 100], [lo, 100], color="grey", lw=1)
    ax.fill_between([lo, 100], [lo - tolerance_pp, 100 - tolerance_pp],
                    [lo + tolerance_pp, 100 + tolerance_pp], color="grey", alpha=0.15,
                    label=f"±{tolerance_pp} pp")
    verdicts = list(VERDICT_COLOURS) + sorted({e["verdict"] for e in shown} - set(VERDICT_COLOURS))
    for verdict in verdicts:
        group = [e for e in shown if e["verdict"] == verdict]
        if group:
            ax.errorbar([100 * e["documented"] for e in group],
                        [100 * e["measured_mean"] for e in group],
                        yerr=[100 * (e["measured_std"] or 0) for e in group], fmt="o", ms=4,
                        color=VERDICT_COLOURS.get(verdict, "grey"),
                        label=f"{verdict} ({len(group)})")
    ax.set_xlabel("documented accuracy (%)")
    ax.set_ylabel("measured accuracy (%)")
    ax.set_title(title)
    ax.set_xlim(lo, 100)
    ax.set_ylim(lo, 100)
    ax.set_aspect("equal")
    ax.legend(loc="lower right")
    return _finish(fig, path)
