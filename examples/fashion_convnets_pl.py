"""Report 002 (Polish report, Fashion-MNIST): convNN_1 ... convNN_4 -- dropout and depth.

Section 3.2 of the report trains five small CNNs with one recipe -- SGD(lr=0.05), batch 500,
10 epochs, the test set passed as validation data -- and prints "Test N accuracy" for each:

    convNN_1   Conv 32 + pool, Dense 100                          0.8426
    convNN_2   convNN_1 + Dropout(0.15)                           0.8444
    convNN_3   three Conv 32 (pool after the first), Dense 100    0.8393
    convNN_3a  convNN_3 + Dropout(0.1) after each conv block      0.8511
    convNN_4   convNN_3a with Dense 1000-500-100                  0.8522

and section 3.3 swaps the convolution for SeparableConv2D (convNN_6, 0.8526), DepthwiseConv2D
(convNN_7, 0.3764) and Conv2DTranspose (convNN_8, 0.8603). This script trains the chosen models
with that recipe (``zoo.get_recipe("002/convNN_N")``), prints their test accuracies next to the
documented ones and draws

    test_accuracy.png   left: test accuracy after every epoch, one line per model (the
                        validation data *is* the test set, as in the report); right: the last
                        epoch's test accuracy next to the report's, per model

    python examples/fashion_convnets_pl.py                  # embedded subset (10,000 / 2,000),
                                                            # 3 epochs, convNN_1, 2, 3, 3a, 4
    python examples/fashion_convnets_pl.py --full           # full Fashion-MNIST, 10 epochs,
                                                            # all eight models
    python examples/fashion_convnets_pl.py --models 1,6,7,8 # pick models (names without convNN_)
    python examples/fashion_convnets_pl.py --smoke          # a few hundred images, 1 epoch

With batch 500 the embedded subset gives 20 SGD steps per epoch instead of the report's 120, so
a quick run is far from converged: its numbers show the method, not the report's accuracies.
"""
import argparse
import time
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure

import minicnn
from minicnn import datasets, zoo

ALL_MODELS = ["1", "2", "3", "3a", "4", "6", "7", "8"]
QUICK_MODELS = ["1", "2", "3", "3a", "4"]
SMOKE_TRAIN, SMOKE_TEST = 500, 200
OUT = Path(__file__).resolve().parent.parent / "examples_output"   # in .gitignore


def plot_test_accuracy(curves, documented, report_epochs, title, path):
    """Left: test accuracy after every epoch, one line per model. Right: the last epoch's test
    accuracy next to the report's (after its ``report_epochs`` epochs), one pair of bars each."""
    fig = Figure(figsize=(11, 4.4), dpi=100, layout="constrained")
    curve_ax, bar_ax = fig.subplots(1, 2, width_ratios=[1, 1.1])
    colours = matplotlib.colormaps["tab10"].colors
    for i, (name, values) in enumerate(curves.items()):
        curve_ax.plot(range(1, len(values) + 1), values, "-o", ms=4,
                      color=colours[i % len(colours)], label=name)
    longest = max(len(v) for v in curves.values())
    curve_ax.set_xticks(range(1, longest + 1))
    curve_ax.set_xlim(0.7, longest + 0.3)
    curve_ax.set_xlabel("epoch")
    curve_ax.set_ylabel("test accuracy")
    curve_ax.set_title("measured, after every epoch", fontsize=10)
    curve_ax.grid(alpha=0.3)
    curve_ax.legend(fontsize=8)

    names = list(curves)
    x = np.arange(len(names))
    pairs = [("the report, epoch %d" % report_epochs, [documented[n] for n in names], "0.7"),
             (f"measured, epoch {longest}", [curves[n][-1] for n in names], None)]
    for k, (label, values, colour) in enumerate(pairs):
        bars = bar_ax.bar(x + (k - 0.5) * 0.4, values, 0.4, label=label,
                          color=colour or [colours[i % len(colours)] for i in range(len(names))])
        bar_ax.bar_label(bars, [f"{v:.3f}" for v in values], fontsize=7, padding=2)
    bar_ax.set_xticks(x, names, fontsize=9)
    bar_ax.set_ylim(0, 1.08)
    bar_ax.set_ylabel("test accuracy")
    bar_ax.set_title("last epoch: documented (grey) vs measured", fontsize=10)
    bar_ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title, fontsize=11)
    fig.savefig(path, dpi=fig.dpi)
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true",
                      help="full Fashion-MNIST, the report's 10 epochs, all eight models")
    mode.add_argument("--smoke", action="store_true",
                      help=f"{SMOKE_TRAIN} training images, 1 epoch (for the tests)")
    parser.add_argument("--models", default=None,
                        help=f"comma-separated, from {','.join(ALL_MODELS)} (default: all full, "
                             f"{','.join(QUICK_MODELS)} otherwise)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="default: 10 full, 3 quick, 1 smoke")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder for the PNG (default: examples_output/ in the repository)")
    args = parser.parse_args(argv)
    start = time.perf_counter()

    models = (args.models.split(",") if args.models
              else ALL_MODELS if args.full else QUICK_MODELS)
    unknown = set(models) - set(ALL_MODELS)
    if unknown:
        parser.error(f"--models: no convNN_{', convNN_'.join(sorted(unknown))} in report 002 "
                     f"(it has {', '.join(ALL_MODELS)}; there is no convNN_5)")
    rows = [zoo.get_row("002", f"convNN_{m}") for m in models]
    report_epochs = zoo.get_recipe(rows[0]).epochs
    epochs = args.epochs or (report_epochs if args.full else 1 if args.smoke else 3)

    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist(
        subset=None if args.full else "embedded")
    if args.smoke:
        x_train, y_train, x_test, y_test = (x_train[:SMOKE_TRAIN], y_train[:SMOKE_TRAIN],
                                            x_test[:SMOKE_TEST], y_test[:SMOKE_TEST])
    x_train, x_test = datasets.prepare_images(x_train), datasets.prepare_images(x_test)
    recipe = zoo.get_recipe(rows[0])
    setting = (f"{len(x_train):,} training / {len(x_test):,} test images, {epochs} "
               f"epoch{'s' if epochs > 1 else ''} (the report: 60,000 / 10,000, {report_epochs} "
               f"epochs; SGD lr {recipe.optimizer_kwargs['learning_rate']}, batch "
               f"{recipe.batch_size})")
    note = ("quick run on the embedded subset: not the documented setting" if not args.full
            else "" if epochs == report_epochs
            else f"--epochs {epochs} (the report: {report_epochs}): not the documented setting")
    tag = "" if not note else (" (quick run, not the report's setting)" if not args.full
                               else " (not the report's epochs)")
    print(f"Report 002 -- {setting}" + (f"\n*** {note} ***" if note else ""))

    results, curves = [], {}
    for row in rows:
        recipe = zoo.get_recipe(row)
        print(f"\n== {row.experiment} ({recipe.builder}(): SGD lr "
              f"{recipe.optimizer_kwargs['learning_rate']}, batch {recipe.batch_size})")
        minicnn.set_seed(args.seed)
        model = zoo.build(recipe)
        model.compile(**zoo.compile_args(recipe))
        data = zoo.fit_data(recipe, x_train, y_train, x_test, y_test)  # validation = test set
        started = time.perf_counter()
        history = model.fit(data.x, data.y, verbose=2, seed=args.seed,
                            **{**zoo.fit_args(recipe, data.validation_data), "epochs": epochs})
        seconds = (time.perf_counter() - started) / epochs
        # As in the report, the last epoch's val_accuracy is the test accuracy.
        curves[row.experiment] = history.history["val_accuracy"]
        results.append((row, model.count_params(), curves[row.experiment][-1], seconds))

    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "test_accuracy.png"
    fig = plot_test_accuracy(
        curves, {row.experiment: row.documented for row in rows}, report_epochs,
        f"Report 002 on Fashion-MNIST: {len(x_train):,} training images{tag}", path)

    print(f"\nTest accuracy ({setting})" + (f"\n{note}" if note else ""))
    print(f"{'model':<10} {'params':>10} {'documented':>10} {'measured':>9} {'s/epoch':>8}")
    for row, params, accuracy, seconds in results:
        print(f"{row.experiment:<10} {params:>10,} {row.documented:>10.4f} {accuracy:>9.4f} "
              f"{seconds:>8.1f}")
    width, height = fig.get_size_inches() * fig.dpi
    print(f"wrote {path} ({width:.0f} x {height:.0f} px)")
    print(f"took {time.perf_counter() - start:.0f} s ({minicnn.get_backend()} backend)")


if __name__ == "__main__":
    main()
