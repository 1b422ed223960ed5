"""Report 001 (CA2, MNIST): LeNet-5, its training curves, confusion matrices and Kaggle file.

The report trains LeNet-5 (61,706 parameters) with Adam(1e-4), batch 64, the last 1/8 of the
training images held out for validation (``fit(validation_split=1/8)``), accuracy and its own
batch-wise F1 metric (``f1_batchwise`` here), 20 epochs (recipe "001/LeNet-5"). It then plots the
training history, draws the confusion matrix of the training data next to the test data's and
asks: do both get the same digits wrong? ("the same missclassifications. Eksample is 7 predicted
as 2"). Its course hands in predictions as a Kaggle ``submission.csv`` (columns ID, Prediction).

This script does all of that and writes:

    training_curves.png    loss, accuracy and F1 per epoch, training vs validation
    confusion_train.png    confusion matrix of all training images (the report predicts on
                           X_train, validation part included): counts and share of each class
    confusion_test.png     the same for the test images
    submission.csv         ID,Prediction for every test image (``datasets.write_submission``;
                           the report's Kaggle entry was for its Fashion-MNIST model -- the file
                           format is the same)

and prints the most frequent mistakes of both matrices side by side, and the report's last
logged epoch next to ours.

    python examples/ca2_lenet_confusion.py          # embedded MNIST subset (10,000 / 2,000),
                                                    # 8 epochs
    python examples/ca2_lenet_confusion.py --full   # full MNIST (minicnn data fetch mnist),
                                                    # 20 epochs
    python examples/ca2_lenet_confusion.py --smoke   # a few hundred images, 1 epoch (tests)
    python examples/ca2_lenet_confusion.py --out figs --epochs 10

Without --full the numbers come from a quick run on less data for fewer epochs: they show the
method, not the report's accuracies.
"""
import argparse
import time
from pathlib import Path

import numpy as np

import minicnn
from minicnn import datasets, viz, zoo
from minicnn.metrics import confusion_matrix

EXPERIMENT = "LeNet-5"
# The rest of the report's last logged epoch (4.3.1, "Epoch 20/20"); its val_accuracy, 0.9837,
# is the zoo's documented row.
REPORT_LOG = {"accuracy": 0.9893, "f1_batchwise": 0.9870, "val_f1_batchwise": 0.9804}
SMOKE_TRAIN, SMOKE_TEST = 800, 200
OUT = Path(__file__).resolve().parent.parent / "examples_output"   # in .gitignore


def top_mistakes(cm, k=5):
    """The ``k`` largest off-diagonal cells of a confusion matrix: [(true, predicted, count)]."""
    off = cm.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(off, axis=None)[::-1][:k]
    return [(int(t), int(p), int(off[t, p])) for t, p in zip(*np.unravel_index(order, cm.shape))
            if off[t, p] > 0]


def confusion_figure(y_true, y_pred, names, title, path):
    """``viz.plot_confusion_matrix`` (counts and shares) with the data set named in its title."""
    fig = viz.plot_confusion_matrix(y_true, y_pred, names, normalize=True)
    accuracy = np.mean(np.argmax(y_pred, axis=1) == y_true)
    fig.suptitle(f"{title}: accuracy {accuracy:.1%} of {len(y_true):,} images", fontsize=11)
    fig.savefig(path, dpi=fig.dpi)
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true", help="full MNIST, the report's 20 epochs")
    mode.add_argument("--smoke", action="store_true",
                      help=f"{SMOKE_TRAIN} training images, 1 epoch (for the tests)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="default: 20 full, 8 quick, 1 smoke")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder for the PNGs and submission.csv "
                             "(default: examples_output/ in the repository)")
    args = parser.parse_args(argv)
    start = time.perf_counter()

    row = zoo.get_row("001", EXPERIMENT)
    recipe = zoo.get_recipe(row)
    epochs = args.epochs or (recipe.epochs if args.full else 1 if args.smoke else 8)
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist(
        subset=None if args.full else "embedded")
    if args.smoke:
        x_train, y_train, x_test, y_test = (x_train[:SMOKE_TRAIN], y_train[:SMOKE_TRAIN],
                                            x_test[:SMOKE_TEST], y_test[:SMOKE_TEST])
    x_train, x_test = datasets.prepare_images(x_train), datasets.prepare_images(x_test)
    names = datasets.class_names("mnist")
    setting = (f"{len(x_train):,} training images (the last 1/8 for validation) / "
               f"{len(x_test):,} test, {epochs} epoch{'s' if epochs > 1 else ''} (the report: "
               f"60,000 / 10,000, {recipe.epochs} epochs; Adam 1e-4, batch {recipe.batch_size})")
    note = ("quick run on the embedded subset: not the documented setting" if not args.full
            else "" if epochs == recipe.epochs
            else f"--epochs {epochs} (the report: {recipe.epochs}): not the documented setting")
    tag = "" if not note else (" (quick run, not the report's setting)" if not args.full
                               else " (not the report's epochs)")
    print(f"Report 001, {EXPERIMENT} -- {setting}" + (f"\n*** {note} ***" if note else ""))

    minicnn.set_seed(args.seed)
    model = zoo.build(recipe)
    model.compile(**zoo.compile_args(recipe))          # metrics: accuracy, f1_batchwise
    model.summary()
    data = zoo.fit_data(recipe, x_train, y_train, x_test, y_test)   # one-hot labels
    history = model.fit(data.x, data.y, verbose=2, seed=args.seed,
                        **{**zoo.fit_args(recipe, data.validation_data), "epochs": epochs})
    _, test_accuracy, test_f1 = model.evaluate(data.x_test, data.y_test, verbose=0)

    # The report's question: do training and test data get the same digits wrong?
    train_pred = model.predict(x_train, batch_size=256)
    test_pred = model.predict(x_test, batch_size=256)
    args.out.mkdir(parents=True, exist_ok=True)
    figures = {
        "training_curves.png": viz.plot_history(history),
        "confusion_train.png": confusion_figure(y_train, train_pred, names, "Training data",
                                                args.out / "confusion_train.png"),
        "confusion_test.png": confusion_figure(y_test, test_pred, names, "Test data",
                                               args.out / "confusion_test.png"),
    }
    curves = figures["training_curves.png"]
    n_val = len(x_train) - int(len(x_train) * (1 - recipe.validation_size))
    curves.suptitle(f"LeNet-5 on MNIST: {len(x_train) - n_val:,} training, {n_val:,} validation "
                    f"images{tag}", fontsize=11)
    curves.savefig(args.out / "training_curves.png", dpi=curves.dpi)
    submission = datasets.write_submission(args.out / "submission.csv", test_pred)

    logs = {key: values[-1] for key, values in history.history.items()}
    print(f"\nLeNet-5 after {epochs} epoch{'s' if epochs > 1 else ''} ({setting})"
          + (f"\n{note}" if note else ""))
    print(f"{'':<18} {'report (epoch 20/20)':>20} {'measured':>9}")
    documented = {**REPORT_LOG, "val_accuracy": row.documented}
    for key in ("accuracy", "f1_batchwise", "val_accuracy", "val_f1_batchwise"):
        print(f"{key:<18} {documented[key]:>20.4f} {logs[key]:>9.4f}")
    print(f"{'test accuracy':<18} {'(not printed)':>20} {test_accuracy:>9.4f}")
    print(f"{'test F1':<18} {'(not printed)':>20} {test_f1:>9.4f}")

    train_mistakes = top_mistakes(confusion_matrix(y_train, train_pred, num_classes=10))
    test_mistakes = top_mistakes(confusion_matrix(y_test, test_pred, num_classes=10))
    print("\nMost frequent mistakes (true -> predicted: count); the report: '7 predicted as 2'")
    print(f"{'training data':<24} {'test data':<24}")
    for i in range(max(len(train_mistakes), len(test_mistakes))):
        cells = [f"{m[i][0]} -> {m[i][1]}: {m[i][2]}" if i < len(m) else ""
                 for m in (train_mistakes, test_mistakes)]
        print(f"{cells[0]:<24} {cells[1]:<24}".rstrip())
    shared = {(t, p) for t, p, _ in train_mistakes} & {(t, p) for t, p, _ in test_mistakes}
    print("in both top lists: " + (", ".join(f"{t} -> {p}" for t, p in sorted(shared))
                                   or "none"))

    for name, fig in figures.items():
        width, height = fig.get_size_inches() * fig.dpi
        print(f"wrote {args.out / name} ({width:.0f} x {height:.0f} px)")
    print(f"wrote {submission} ({len(x_test):,} rows: ID,Prediction)")
    print(f"took {time.perf_counter() - start:.0f} s ({minicnn.get_backend()} backend)")


if __name__ == "__main__":
    main()
