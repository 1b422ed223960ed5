"""LeNet-5 on MNIST, the way report 001 trains it: Adam(1e-4), batch 64, 1/8 validation split.

    python examples/lenet5_mnist.py            # embedded real subset (10,000 / 2,000), 3 epochs
    python examples/lenet5_mnist.py --full     # the full data set (minicnn data fetch mnist), 20 epochs

The report's own result after 20 epochs on all 60,000 images: val_accuracy 0.9837. A quick run
on the embedded subset trains on 1/6 of the data for fewer epochs, so expect less.
"""
import argparse
import time

import minicnn
from minicnn import datasets
from minicnn.zoo.ca2_lenet import lenet5


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="train on the full MNIST (fetched)")
    parser.add_argument("--epochs", type=int, default=None, help="default: 3 quick, 20 full")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    epochs = args.epochs or (20 if args.full else 3)

    (x_train, y_train), (x_test, y_test) = datasets.load_mnist(subset=None if args.full else "embedded")
    x_train, x_test = datasets.prepare_images(x_train), datasets.prepare_images(x_test)
    y_train, y_test = datasets.to_categorical(y_train, 10), datasets.to_categorical(y_test, 10)

    minicnn.set_seed(args.seed)
    model = lenet5()
    model.summary()
    model.compile(optimizer=minicnn.optimizers.Adam(learning_rate=1e-4),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=64, epochs=epochs, validation_split=1 / 8,
                        seed=args.seed, verbose=2)
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"\nLeNet-5 on {'full' if args.full else 'embedded-subset'} MNIST, {epochs} epochs, "
          f"{seconds / epochs:.1f} s/epoch ({minicnn.get_backend()} backend)")
    print(f"  val_accuracy  {history.history['val_accuracy'][-1]:.4f}   "
          f"(report 001 after 20 epochs on 60,000 images: 0.9837)")
    print(f"  test accuracy {test_accuracy:.4f}   test loss {test_loss:.4f}")
    return history


if __name__ == "__main__":
    main()
