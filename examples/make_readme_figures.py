"""The README's pictures: LeNet-5 (report 001) trained briefly on the embedded MNIST subset.

    python examples/make_readme_figures.py                  # writes docs/images/*.png
    python examples/make_readme_figures.py --out /tmp/figs --epochs 2

Trains for 5 epochs on the first 3,000 embedded training images (1/8 of them held out for
validation; about half a minute on a laptop) with a fixed seed -- enough epochs for the curves
to be curves -- then draws, with ``minicnn.viz``:

    training_curves.png    loss and accuracy, training vs validation, per epoch
    predictions.png        25 test images titled "predicted (true)", green right / red wrong
    feature_maps.png       every convolution and pooling output for one test image
    confusion_matrix.png   counts and row fractions on the 2,000 embedded test images
"""
import argparse
from pathlib import Path

import minicnn
from minicnn import datasets, viz
from minicnn.zoo.ca2_lenet import lenet5

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--train-size", type=int, default=3000, help="training images used")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    (x_train, y_train), (x_test, y_test) = datasets.load_mnist(subset="embedded")
    x_train, x_test = datasets.prepare_images(x_train), datasets.prepare_images(x_test)
    names = datasets.MNIST_CLASS_NAMES

    minicnn.set_seed(args.seed)
    model = lenet5()
    model.compile(optimizer=minicnn.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train[:args.train_size], y_train[:args.train_size], batch_size=64, epochs=args.epochs,
                        validation_split=1 / 8, seed=args.seed, verbose=2)

    written = {
        "training_curves.png": viz.plot_history(history, path=args.out / "training_curves.png"),
        "predictions.png": viz.plot_predictions(model, x_test, y_test, names,
                                                path=args.out / "predictions.png"),
        "feature_maps.png": viz.plot_feature_maps(model, x_test[0],
                                                  path=args.out / "feature_maps.png"),
        "confusion_matrix.png": viz.plot_confusion_matrix(
            y_test, model.predict(x_test), names, normalize=True,
            path=args.out / "confusion_matrix.png"),
    }
    for name, fig in written.items():
        width, height = fig.get_size_inches() * fig.dpi
        print(f"wrote {args.out / name} ({width:.0f} x {height:.0f} px)")


if __name__ == "__main__":
    main()
