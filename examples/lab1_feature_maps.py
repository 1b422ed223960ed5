"""Report 000 (Swedish lab 1, Fashion-MNIST): section C's feature maps and section A's settings.

Section C of the report trains section B's dropout CNN (Conv 32/64/128 "same", each followed by
MaxPooling and Dropout 0.25, Dense 128-128, Dropout 0.5; 258,058 parameters, the Keras summary
it prints) and plots "the first 32 images" of layers 1-8 for one test image. This script trains
that model (``zoo.lab1_fashion.section_c_model()``, recipe "000/B: dropout": Adam, batch 32) and
draws:

    feature_maps.png   the input, then the first 32 channels of every convolution and pooling
                       output for one test image (viridis, each map on its own scale: bright =
                       strong activation). The report shows layers 1, 2, 3, 4, 5, 7 and 8; at
                       inference its layers 3 and 6 are Dropout, which passes its input through,
                       so the six maps drawn here (conv, pool x 3) are everything those show.
    filters.png        the 32 learned 3x3 kernels of the first convolution (red +, blue -)

It then trains section A's fully connected baseline (Flatten, Dense 128, Dense 10) and its CNN
(three Conv-MaxPool blocks, Dense 128, Dense 10) under some of the report's padding / window /
stride settings (applied to the first convolution, as docs/zoo.md explains) and prints section
A's table -- documented test accuracy next to the measured one -- with section B's dropout model
as its last line.

    python examples/lab1_feature_maps.py            # embedded subset (10,000 / 2,000 images),
                                                    # 2 epochs, 3 of the 8 settings
    python examples/lab1_feature_maps.py --full     # full Fashion-MNIST (minicnn data fetch
                                                    # fashion-mnist), 10 epochs, all 8 settings
    python examples/lab1_feature_maps.py --smoke    # a few hundred images, 1 epoch (tests)
    python examples/lab1_feature_maps.py --out figs --epochs 3 --image 7

Without --full the numbers come from a quick run on less data for fewer epochs: they show the
method, not the report's accuracies.
"""
import argparse
import time
from pathlib import Path

import minicnn
from minicnn import datasets, viz, zoo
from minicnn.zoo.lab1_fashion import SECTION_A_SETTINGS

BASELINE = "Fully connected"                                     # Flatten, Dense 128, Dense 10
QUICK_SETTINGS = ["No padding, small window, small strides",     # the plain CNN
                  "Padding, small window, small strides",        # + padding: the report's best
                  "No padding, large window, large strides"]     # the report's worst
DROPOUT_ROW = "Padding, small window, small strides, droput"    # the report's spelling
SMOKE_TRAIN, SMOKE_TEST = 500, 200
OUT = Path(__file__).resolve().parent.parent / "examples_output"   # in .gitignore


def train_row(row, data, epochs, seed, verbose):
    """Build, compile and fit the model of one documented row with its recipe; return the model
    and its test accuracy."""
    recipe = zoo.get_recipe(row)
    minicnn.set_seed(seed)
    model = zoo.build(recipe)
    model.compile(**zoo.compile_args(recipe))
    fit = zoo.fit_data(recipe, *data)
    model.fit(fit.x, fit.y, verbose=verbose, seed=seed,
              **{**zoo.fit_args(recipe, fit.validation_data), "epochs": epochs})
    _, accuracy = model.evaluate(fit.x_test, fit.y_test, verbose=0)
    return model, accuracy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true",
                      help="full Fashion-MNIST, the recipe's 10 epochs, all eight settings")
    mode.add_argument("--smoke", action="store_true",
                      help=f"{SMOKE_TRAIN} training images, 1 epoch (for the tests)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="default: 10 full, 2 quick, 1 smoke")
    parser.add_argument("--image", type=int, default=0, help="test image for the feature maps")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder for the PNGs (default: examples_output/ in the repository)")
    args = parser.parse_args(argv)
    start = time.perf_counter()

    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist(
        subset=None if args.full else "embedded")
    if args.smoke:
        x_train, y_train, x_test, y_test = (x_train[:SMOKE_TRAIN], y_train[:SMOKE_TRAIN],
                                            x_test[:SMOKE_TEST], y_test[:SMOKE_TEST])
    data = (datasets.prepare_images(x_train), y_train, datasets.prepare_images(x_test), y_test)
    names = datasets.class_names("fashion-mnist")
    recipe_epochs = zoo.get_recipe(zoo.get_row("000", DROPOUT_ROW)).epochs
    epochs = args.epochs or (recipe_epochs if args.full else 1 if args.smoke else 2)
    settings = list(SECTION_A_SETTINGS) if args.full else QUICK_SETTINGS
    setting = (f"{len(x_train):,} training / {len(x_test):,} test images, "
               f"{epochs} epoch{'s' if epochs > 1 else ''} "
               f"(the report: 60,000 / 10,000, {recipe_epochs} epochs; Adam, batch 32)")
    note = ("quick run on the embedded subset: not the documented setting" if not args.full
            else "" if epochs == recipe_epochs
            else f"--epochs {epochs} (the report: {recipe_epochs}): not the documented setting")
    print(f"Report 000 -- {setting}" + (f"\n*** {note} ***" if note else ""))

    # Section B/C: the dropout model, then its feature maps for one test image.
    print(f"\n== Section C: the dropout model ({DROPOUT_ROW!r})")
    model, dropout_accuracy = train_row(zoo.get_row("000", DROPOUT_ROW), data, epochs,
                                        args.seed, verbose=2)
    image, label = data[2][args.image], y_test[args.image]
    predicted = int(model.predict(image[None]).argmax())
    print(f"test image {args.image}: {names[label]!r}, predicted {names[predicted]!r}")
    args.out.mkdir(parents=True, exist_ok=True)
    maps = viz.plot_feature_maps(model, image, max_channels=32)
    width, height = maps.get_size_inches()
    maps.set_size_inches(width, height + 0.4)          # room for a title above the blocks
    maps.suptitle(f"Test image {args.image}: {names[label]}, predicted {names[predicted]}",
                  fontsize=12, fontweight="bold")
    maps.savefig(args.out / "feature_maps.png", dpi=maps.dpi)
    figures = {"feature_maps.png": maps,
               "filters.png": viz.plot_filters(model.layers[0], path=args.out / "filters.png")}

    # Section A: the fully connected baseline, then the CNN without dropout under several
    # padding / window / stride settings (the first Conv2D's).
    print(f"\n== Section A: the fully connected baseline and {len(settings)} of the 8 padding / "
          f"window / stride settings")
    results = []
    for experiment in [BASELINE] + settings:
        options = ", ".join(f"{k}={v!r}" for k, v in SECTION_A_SETTINGS.get(experiment, {}).items())
        print(f"-- {experiment}" + (f" (first Conv2D: {options})" if options else ""))
        started = time.perf_counter()
        row = zoo.get_row("000", experiment)
        _, accuracy = train_row(row, data, epochs, args.seed, verbose=2 if args.full else 0)
        print(f"   test accuracy {accuracy:.4f} ({time.perf_counter() - started:.0f} s)")
        results.append((experiment, row, accuracy))
    results.append((DROPOUT_ROW + " (section B)", zoo.get_row("000", DROPOUT_ROW),
                    dropout_accuracy))

    print(f"\nSection A / B: test accuracy ({setting})" + (f"\n{note}" if note else ""))
    print(f"{'setting':<62} {'documented':>10} {'measured':>9}")
    for label, row, accuracy in results:
        print(f"{label:<62} {row.documented:>10.4f} {accuracy:>9.4f}")

    for name, fig in figures.items():
        width, height = fig.get_size_inches() * fig.dpi
        print(f"wrote {args.out / name} ({width:.0f} x {height:.0f} px)")
    print(f"took {time.perf_counter() - start:.0f} s ({minicnn.get_backend()} backend)")


if __name__ == "__main__":
    main()
