"""Report 004 (SGD study, Fashion-MNIST): accuracy vs epochs (table 5) and feature maps (table 3).

The report's "main model" is Conv 32 3x3 - MaxPool - Conv 32 3x3 - MaxPool - Dense 128 - Dense 10
(113,386 parameters), compiled with ``optimizer='sgd'`` (lr 0.01), batch 32. Two of its
experiments:

    table 5     How many epochs are optimal? Test accuracy after 5, 10, 20, 25, 30, 50 and 100
                epochs: 0.8670, 0.8946, 0.9033, 0.9028, 0.9059, 0.9025, 0.9072 -- it rises
                fast, then flattens while the test loss grows again after ~25 epochs.
    tables 3.1  How many feature maps (filters per Conv2D) does it need? Training accuracy after
    and 3.2     5 epochs: 32 -> 0.8500, 16 -> 0.8490, 64 -> 0.8500, 8 -> 0.8340, 4 -> 0.8280,
                3 -> 0.7999, 2 -> 0.7800, 1 -> 0.7860.

This script trains the main model once, evaluating the test set after every epoch (recipe
"004/tab 5: main model 1-1-1-1, 100 epochs"; one run read at several epochs, as docs/zoo.md
explains), then trains the main model with several feature-map counts (recipes "004/main
model 1-1-1-1, N feature maps"), prints both tables next to the documented values and draws

    accuracy_vs_epochs.png   test and training accuracy after every epoch (log-scaled epochs),
                             with table 5's documented test accuracies
    feature_map_count.png    training accuracy of the last epoch per feature-map count,
                             documented (grey) vs measured

    python examples/feature_maps_sgd_epochs.py          # embedded subset (10,000 / 2,000): 10
                                                        # epochs; 1, 2, 4, 8, 32 maps, 3 epochs
    python examples/feature_maps_sgd_epochs.py --full   # full Fashion-MNIST: 100 epochs; all
                                                        # eight counts, 5 epochs each (hours)
    python examples/feature_maps_sgd_epochs.py --smoke  # a few hundred images, 1 epoch
    python examples/feature_maps_sgd_epochs.py --epochs 20 --maps-epochs 5 --maps 4,32

Without --full the numbers come from a quick run on less data for fewer epochs: they show the
method, not the report's accuracies.
"""
import argparse
import time
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullLocator

import minicnn
from minicnn import datasets, zoo
from minicnn.callbacks import Callback

EPOCHS_RECIPE = "004/tab 5: main model 1-1-1-1, 100 epochs"
ALL_MAPS = [32, 16, 64, 8, 4, 3, 2, 1]        # the report's order: table 3.1, then 3.2
QUICK_MAPS = [1, 2, 4, 8, 32]
SMOKE_TRAIN, SMOKE_TEST = 500, 200
OUT = Path(__file__).resolve().parent.parent / "examples_output"   # in .gitignore


class TestAccuracyPerEpoch(Callback):
    """Evaluates the test set at the end of every epoch: ``self.accuracy[epoch - 1]``."""

    def __init__(self, x_test, y_test):
        self.x_test, self.y_test, self.accuracy = x_test, y_test, []

    def on_epoch_end(self, epoch, logs=None):
        predicted = self.model.predict(self.x_test, batch_size=256).argmax(axis=1)
        self.accuracy.append(float(np.mean(predicted == self.y_test)))


def maps_row(count):
    """The documented row of table 3.1 / 3.2 for ``count`` feature maps (32 is the main model)."""
    if count == 32:
        return zoo.get_row("004", "tab 3.1: 32 feature maps (repeat)")
    table = "3.1" if count in (16, 64) else "3.2"
    return zoo.get_row("004", f"tab {table}: {count} feature maps")


def train(recipe, x_train, y_train, x_test, y_test, epochs, seed, callbacks=(), verbose=0):
    minicnn.set_seed(seed)
    model = zoo.build(recipe)
    model.compile(**zoo.compile_args(recipe))
    data = zoo.fit_data(recipe, x_train, y_train, x_test, y_test)
    history = model.fit(data.x, data.y, verbose=verbose, seed=seed,
                        **{**zoo.fit_args(recipe, callbacks=callbacks), "epochs": epochs})
    return model, history


def plot_accuracy_vs_epochs(train_accuracy, test_accuracy, documented, title, path):
    fig = Figure(figsize=(7.5, 4.4), dpi=100, layout="constrained")
    ax = fig.subplots()
    epochs = np.arange(1, len(test_accuracy) + 1)
    ax.plot(epochs, train_accuracy, "-", marker="o" if len(epochs) <= 30 else None, ms=3,
            color="tab:blue",
            label=f"training, measured: mean over each epoch (last {train_accuracy[-1]:.4f})")
    ax.plot(epochs, test_accuracy, "-", marker="o" if len(epochs) <= 30 else None, ms=3,
            color="tab:orange", label=f"test, measured (last {test_accuracy[-1]:.4f})")
    ax.plot(list(documented), list(documented.values()), "s--", color="0.35", ms=6,
            label="test, the report (table 5)")
    ax.set_xscale("log")
    ticks = [t for t in (1, 2, 5, 10, 20, 50, 100) if t <= max(100, len(epochs))]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([str(t) for t in ticks])
    ax.set_xlim(0.85, max(ticks) * 1.15)
    ax.set_xlabel("epoch (log scale)")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title, fontsize=10)
    fig.savefig(path, dpi=fig.dpi)
    return fig


def plot_feature_map_count(results, epochs, title, path):
    fig = Figure(figsize=(7.5, 4.2), dpi=100, layout="constrained")
    ax = fig.subplots()
    results = sorted(results, key=lambda r: r[0])
    x = np.arange(len(results))
    for k, (label, values, colour) in enumerate(
            (("the report, 5 epochs", [r[1].documented for r in results], "0.7"),
             (f"measured, {epochs} epoch{'s' if epochs > 1 else ''}", [r[2] for r in results],
              "tab:blue"))):
        bars = ax.bar(x + (k - 0.5) * 0.4, values, 0.4, color=colour, label=label)
        ax.bar_label(bars, [f"{v:.3f}" for v in values], fontsize=7, padding=2)
    ax.set_xticks(x, [str(r[0]) for r in results])
    ax.set_xlabel("feature maps (filters in each Conv2D)")
    ax.set_ylabel("training accuracy, last epoch")
    ax.set_ylim(0, 1.08)
    ax.legend(fontsize=8, loc="upper left", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=10)
    fig.savefig(path, dpi=fig.dpi)
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true",
                      help="full Fashion-MNIST, 100 epochs, all eight counts at 5 epochs")
    mode.add_argument("--smoke", action="store_true",
                      help=f"{SMOKE_TRAIN} training images, 1 epoch (for the tests)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="epochs of the accuracy-vs-epochs run (default 100 full, 10 quick, "
                             "1 smoke)")
    parser.add_argument("--maps", default=None,
                        help="comma-separated feature-map counts, from "
                             f"{','.join(map(str, ALL_MAPS))} (default: all full, "
                             f"{','.join(map(str, QUICK_MAPS))} otherwise)")
    parser.add_argument("--maps-epochs", type=int, default=None,
                        help="epochs per feature-map count (default 5 full, 3 quick, 1 smoke)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder for the PNGs (default: examples_output/ in the repository)")
    args = parser.parse_args(argv)
    start = time.perf_counter()

    maps = ([int(m) for m in args.maps.split(",")] if args.maps
            else ALL_MAPS if args.full else QUICK_MAPS)
    if set(maps) - set(ALL_MAPS):
        parser.error(f"--maps: the report has {ALL_MAPS}, not {sorted(set(maps) - set(ALL_MAPS))}")
    epochs_recipe = zoo.get_recipe(EPOCHS_RECIPE)
    maps_epochs_report = zoo.get_recipe(maps_row(32)).epochs
    epochs = args.epochs or (epochs_recipe.epochs if args.full else 1 if args.smoke else 10)
    maps_epochs = args.maps_epochs or (maps_epochs_report if args.full else 1 if args.smoke
                                       else 3)

    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist(
        subset=None if args.full else "embedded")
    if args.smoke:
        x_train, y_train, x_test, y_test = (x_train[:SMOKE_TRAIN], y_train[:SMOKE_TRAIN],
                                            x_test[:SMOKE_TEST], y_test[:SMOKE_TEST])
    x_train, x_test = datasets.prepare_images(x_train), datasets.prepare_images(x_test)
    images = f"{len(x_train):,} training / {len(x_test):,} test images"
    note = ("quick run on the embedded subset: not the documented setting" if not args.full
            else "" if (epochs, maps_epochs) == (epochs_recipe.epochs, maps_epochs_report)
            else "other epochs than the report's: not the documented setting")
    tag = "" if not note else (" (quick run, not the report's setting)" if not args.full
                               else " (not the report's epochs)")
    print(f"Report 004 -- {images} (the report: 60,000 / 10,000); SGD lr 0.01, batch "
          f"{epochs_recipe.batch_size}" + (f"\n*** {note} ***" if note else ""))
    args.out.mkdir(parents=True, exist_ok=True)

    # Table 5: one run, the test set evaluated after every epoch.
    print(f"\n== Table 5: the main model for {epochs} epochs (the report: "
          f"{epochs_recipe.epochs}), test accuracy after every epoch")
    tester = TestAccuracyPerEpoch(x_test, y_test)
    _, history = train(epochs_recipe, x_train, y_train, x_test, y_test, epochs, args.seed,
                       callbacks=[tester], verbose=2)
    table5 = {row.at_epoch: row for row in zoo.rows("004")
              if row.recipe == EPOCHS_RECIPE and row.split == "test"}
    fig_epochs = plot_accuracy_vs_epochs(
        history.history["accuracy"], tester.accuracy,
        {epoch: row.documented for epoch, row in sorted(table5.items())},
        f"Main model 1-1-1-1, SGD: {len(x_train):,} training images{tag}",
        args.out / "accuracy_vs_epochs.png")

    # Tables 3.1 / 3.2: the number of feature maps.
    print(f"\n== Tables 3.1 / 3.2: feature maps {', '.join(map(str, maps))}, "
          f"{maps_epochs} epoch{'s' if maps_epochs > 1 else ''} each "
          f"(the report: {maps_epochs_report})")
    results = []
    for count in maps:
        row = maps_row(count)
        started = time.perf_counter()
        model, history_maps = train(zoo.get_recipe(row), x_train, y_train, x_test, y_test,
                                    maps_epochs, args.seed)
        _, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
        results.append((count, row, history_maps.history["accuracy"][-1], test_accuracy,
                        model.count_params()))
        print(f"-- {count:>2} feature maps: {model.count_params():>7,} parameters, training "
              f"accuracy {results[-1][2]:.4f} ({time.perf_counter() - started:.0f} s)")
    fig_maps = plot_feature_map_count(
        results, maps_epochs, f"Main model, SGD: {len(x_train):,} training images{tag}",
        args.out / "feature_map_count.png")

    print(f"\nTable 5: test accuracy after N epochs ({images})" + (f"\n{note}" if note else ""))
    print(f"{'epochs':>6} {'documented':>10} {'measured':>9}")
    for epoch, row in sorted(table5.items()):
        measured = (f"{tester.accuracy[epoch - 1]:>9.4f}" if epoch <= len(tester.accuracy)
                    else f"{'(not run)':>9}")
        print(f"{epoch:>6} {row.documented:>10.4f} {measured}")
    best = int(np.argmax(tester.accuracy))
    print(f"best measured: {tester.accuracy[best]:.4f} after epoch {best + 1}")

    print(f"\nTables 3.1 / 3.2: training accuracy of the last epoch, {maps_epochs} "
          f"epoch{'s' if maps_epochs > 1 else ''} ({images})" + (f"\n{note}" if note else ""))
    print(f"{'maps':>4} {'params':>8} {'documented':>10} {'measured':>9} {'test (ours)':>11}")
    for count, row, train_accuracy, test_accuracy, params in results:
        print(f"{count:>4} {params:>8,} {row.documented:>10.4f} {train_accuracy:>9.4f} "
              f"{test_accuracy:>11.4f}")

    for name, fig in (("accuracy_vs_epochs.png", fig_epochs),
                      ("feature_map_count.png", fig_maps)):
        width, height = fig.get_size_inches() * fig.dpi
        print(f"wrote {args.out / name} ({width:.0f} x {height:.0f} px)")
    print(f"took {time.perf_counter() - start:.0f} s ({minicnn.get_backend()} backend)")


if __name__ == "__main__":
    main()
