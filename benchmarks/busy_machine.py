"""Training speed on a busy machine: minicnn's own threads vs OpenBLAS's spinning threads.

    python benchmarks/busy_machine.py [--steps 10] [--batch 128]

Starts one CPU-bound process in its own session (as if another terminal ran a job; Linux puts
each session in its own scheduler group), then times training steps of report 000's section B
CNN on the embedded Fashion-MNIST subset, on every core:

* "minicnn threads": the default -- BLAS single-threaded inside fit, products and kernels split
  over minicnn's worker threads, which spin briefly (yielding the CPU), then sleep while they
  wait;
* "OpenBLAS threads": BLAS keeps its own threads inside fit (minicnn's products unsplit), which
  is how minicnn trained before 2026-12-01.

Each setting is timed idle and with the busy process. Prints milliseconds per step; the ratios
are what to compare (docs/results/speed-history.md).
"""
import argparse
import contextlib
import os
import subprocess
import sys
import time

import minicnn
from minicnn import backend, datasets
from minicnn.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D

BUSY_LOOP = "import numpy as np\nx = np.random.rand(256, 256)\nwhile True:\n    x.sum()\n"


def section_b_cnn():
    return minicnn.Sequential([
        Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(28, 28, 1)),
        MaxPooling2D((2, 2)), Dropout(0.25),
        Conv2D(64, (3, 3), padding="same", activation="relu"), MaxPooling2D((2, 2)), Dropout(0.25),
        Conv2D(128, (3, 3), padding="same", activation="relu"), MaxPooling2D((2, 2)),
        Dropout(0.25), Flatten(),
        Dense(128, activation="relu"), Dense(128, activation="relu"), Dropout(0.5),
        Dense(10, activation="softmax")])


@contextlib.contextmanager
def openblas_threads():
    """Training as before the thread policy: BLAS keeps its threads, products are not split."""
    saved = backend._limit_blas_to_one_thread
    backend._limit_blas_to_one_thread = lambda: _NoLimit()
    minicnn.set_threads(1)                       # ops.matmul: one piece; kernels: one thread
    try:
        yield
    finally:
        backend._limit_blas_to_one_thread = saved
        minicnn.set_threads(None)


class _NoLimit:
    def restore_original_limits(self):
        pass


@contextlib.contextmanager
def busy_process():
    """One single-threaded CPU hog in a new session, for the duration of the block."""
    hog = subprocess.Popen([sys.executable, "-c", BUSY_LOOP], start_new_session=True,
                           env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    try:
        time.sleep(1.0)
        yield
    finally:
        hog.kill()
        hog.wait()


def ms_per_step(model, x, y, batch, steps):
    model.fit(x[:2 * batch], y[:2 * batch], batch_size=batch, verbose=0)     # warm-up
    start = time.perf_counter()
    model.fit(x[:steps * batch], y[:steps * batch], batch_size=batch, verbose=0)
    return 1000 * (time.perf_counter() - start) / steps


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args(argv)
    (x, y), _ = datasets.load_fashion_mnist(subset="embedded", verbose=False)
    x = datasets.prepare_images(x)
    minicnn.set_seed(0)
    model = section_b_cnn()
    model.compile("adam", "sparse_categorical_crossentropy")
    settings = {"minicnn threads": contextlib.nullcontext, "OpenBLAS threads": openblas_threads}
    print(f"report 000's section B CNN, batch {args.batch}, {args.steps} steps, "
          f"{backend.threads()} CPUs; ms per step")
    print(f"{'threading':18s} {'idle':>8s} {'busy':>8s} {'busy/idle':>10s}")
    for name, setting in settings.items():
        with setting():
            idle = ms_per_step(model, x, y, args.batch, args.steps)
            with busy_process():
                busy = ms_per_step(model, x, y, args.batch, args.steps)
        print(f"{name:18s} {idle:8.0f} {busy:8.0f} {busy / idle:10.1f}")


if __name__ == "__main__":
    main()
