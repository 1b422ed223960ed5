"""Report 003 (Chollet 5.1 coursework, Fashion-MNIST): hold-out curves and coloured predictions.

Part 2 of the report adapts the book's convnet to Fashion-MNIST: the first 5,000 training
images are held out for validation (``p_train[:5000]``), the model is trained on the other
55,000 with RMSprop, batch 64, 20 epochs; it plots the training and validation curves
(section 2.8), evaluates on the test set (2.9) and draws test images titled "predicted (true)",
green when right and red when wrong (2.10). Its table 2.11 regularises the model step by step:

    test 7     no dropout                                   best val 0.9170   test 0.8925
    test 7.1   Dropout(0.3) after both pooling layers       best val 0.9140   test 0.9026
    test 7.2   test 7.1 + Dropout(0.3) after Flatten        best val 0.9150   test 0.9035
    final      test 7's layers, 15 epochs, no validation                      test 0.9070

(130,890 parameters each). This script trains one of them with its recipe
(``zoo.get_recipe("003/test 7.2")``, default test 7.2, the run sections 2.8-2.10 show) and writes

    training_curves.png   loss and accuracy per epoch, training vs hold-out validation
    predictions.png       16 random test images, "predicted (true)", green right / red wrong

    python examples/chollet_predictions.py                 # embedded subset, 8 epochs, the
                                                           # first 1,000 images held out
    python examples/chollet_predictions.py --full          # full Fashion-MNIST, 20 epochs,
                                                           # the report's 5,000 held out
    python examples/chollet_predictions.py --test 7.1      # 7, 7.1, 7.2 or final
    python examples/chollet_predictions.py --smoke         # a few hundred images, 1 epoch

The embedded subset has 10,000 training images, so a quick run holds out its first 1,000 (the
report's 1/12 would be 833) and trains on 9,000: its numbers show the method, not the report's
accuracies.
"""
import argparse
import dataclasses
import time
from pathlib import Path

import numpy as np

import minicnn
from minicnn import datasets, viz, zoo

TESTS = {"7": "test 7", "7.1": "test 7.1", "7.2": "test 7.2",
         "final": "final Fashion-MNIST model"}
QUICK_HOLDOUT, SMOKE_HOLDOUT = 1000, 100
SMOKE_TRAIN, SMOKE_TEST = 600, 200
N_PREDICTIONS = 16
OUT = Path(__file__).resolve().parent.parent / "examples_output"   # in .gitignore


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true",
                      help="full Fashion-MNIST, the recipe's epochs, 5,000 images held out")
    mode.add_argument("--smoke", action="store_true",
                      help=f"{SMOKE_TRAIN} training images, 1 epoch (for the tests)")
    parser.add_argument("--test", choices=list(TESTS), default="7.2",
                        help="which model of table 2.11 (default 7.2)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="default: the recipe's (20; final: 15) full, 8 quick, 1 smoke")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder for the PNGs (default: examples_output/ in the repository)")
    args = parser.parse_args(argv)
    start = time.perf_counter()

    experiment = TESTS[args.test]
    recipe = zoo.get_recipe(zoo.get_row("003", experiment))
    report_holdout = recipe.holdout
    if not args.full:     # keep a hold-out the subset can afford
        recipe = dataclasses.replace(recipe,
                                     holdout=SMOKE_HOLDOUT if args.smoke else QUICK_HOLDOUT)
    epochs = args.epochs or (recipe.epochs if args.full else 1 if args.smoke else 8)
    documented = [row for row in zoo.rows("003") if row.recipe == recipe.name]

    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist(
        subset=None if args.full else "embedded")
    if args.smoke:
        x_train, y_train, x_test, y_test = (x_train[:SMOKE_TRAIN], y_train[:SMOKE_TRAIN],
                                            x_test[:SMOKE_TEST], y_test[:SMOKE_TEST])
    x_train, x_test = datasets.prepare_images(x_train), datasets.prepare_images(x_test)
    names = datasets.class_names("fashion-mnist")
    validated = recipe.validation == "holdout"
    setting = (f"{len(x_train) - recipe.holdout:,} training images"
               + (f", the first {recipe.holdout:,} held out for validation" if validated
                  else f" (the first {recipe.holdout:,} set aside, unused)")
               + f", {len(x_test):,} test, {epochs} epoch{'s' if epochs > 1 else ''} "
               f"(the report: 55,000 / {report_holdout:,} / 10,000, {recipe.epochs} epochs; "
               f"RMSprop, batch {recipe.batch_size})")
    note = ("quick run on the embedded subset: not the documented setting" if not args.full
            else "" if epochs == recipe.epochs
            else f"--epochs {epochs} (the report: {recipe.epochs}): not the documented setting")
    tag = "" if not note else (" (quick run, not the report's setting)" if not args.full
                               else " (not the report's epochs)")
    print(f"Report 003, {experiment} -- {setting}" + (f"\n*** {note} ***" if note else ""))

    minicnn.set_seed(args.seed)
    model = zoo.build(recipe)
    model.compile(**zoo.compile_args(recipe))
    model.summary()
    data = zoo.fit_data(recipe, x_train, y_train, x_test, y_test)   # hold-out, one-hot labels
    history = model.fit(data.x, data.y, verbose=2, seed=args.seed,
                        **{**zoo.fit_args(recipe, data.validation_data), "epochs": epochs})
    _, test_accuracy = model.evaluate(data.x_test, data.y_test, verbose=0)

    args.out.mkdir(parents=True, exist_ok=True)
    curves = viz.plot_history(history)
    curves.suptitle(f"{experiment} on Fashion-MNIST: {len(data.x):,} training images"
                    + (f", {recipe.holdout:,} held out" if validated else "") + tag,
                    fontsize=11)
    curves.savefig(args.out / "training_curves.png", dpi=curves.dpi)
    pick = np.random.default_rng(args.seed).choice(len(x_test), N_PREDICTIONS, replace=False)
    grid = viz.plot_predictions(model, x_test[pick], y_test[pick], names, n=N_PREDICTIONS,
                                path=args.out / "predictions.png")

    print(f"\n{experiment} ({setting})" + (f"\n{note}" if note else ""))
    print(f"{'':<34} {'documented':>10} {'measured':>9}")
    for row in documented:
        if row.split == "validation":
            values = history.history["val_accuracy"]
            best = int(np.argmax(values))
            label = f"best validation accuracy (epoch {best + 1})"
            measured = values[best]
        else:
            label, measured = "test accuracy", test_accuracy
        print(f"{label:<34} {row.documented:>10.4f} {measured:>9.4f}")
    wrong = int((model.predict(x_test[pick]).argmax(axis=1) != y_test[pick]).sum())
    print(f"predictions.png: {wrong} of {N_PREDICTIONS} random test images wrong (red)")

    for name, fig in (("training_curves.png", curves), ("predictions.png", grid)):
        width, height = fig.get_size_inches() * fig.dpi
        print(f"wrote {args.out / name} ({width:.0f} x {height:.0f} px)")
    print(f"took {time.perf_counter() - start:.0f} s ({minicnn.get_backend()} backend)")


if __name__ == "__main__":
    main()
