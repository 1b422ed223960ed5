"""The one-channel first layer: Conv2D's one-channel path against im2col + GEMM, in training.

    python benchmarks/first_layer.py [--workloads main004 chollet] [--steps 30] [--repeats 4]

Conv2D computes a one-channel, stride-1 layer's forward pass tap by tap, without im2col, and
its kernel gradient from a few images' columns at a time (``layer.one_channel``; see
``minicnn/layers/conv.py``). This trains each workload of benchmarks/speed.py on random images
with that path on and off -- the same model and process, the two alternating, ``--repeats``
times each -- and prints the best milliseconds per training step of each. A ratio below 1 means
the one-channel path is faster for that first layer. No time is asserted anywhere
(docs/results/speed-history.md reads the output).
"""
import argparse
import time

import numpy as np

from minicnn.bench.speed import WORKLOADS, _compiled


def step_ms(model, x, y, batch, steps):
    """Milliseconds per training step of one pass over ``x`` (after a one-batch warm-up)."""
    model.fit(x[:batch], y[:batch], batch_size=batch, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    return 1000 * (time.perf_counter() - start) / steps


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--steps", type=int, default=30, help="training steps per timing")
    parser.add_argument("--repeats", type=int, default=4, help="timings per path (best is kept)")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    print(f"ms per training step, best of {args.repeats} alternating runs of {args.steps} steps")
    print(f"{'workload':10s} {'first layer':28s} {'one-channel':>11s} {'im2col':>8s} {'ratio':>6s}")
    for name in args.workloads:
        batch = WORKLOADS[name][2]
        model = _compiled(name)
        first = model.layers[0]
        if not getattr(first, "one_channel", False):           # a Conv2D on one channel
            print(f"{name:10s} (first layer has no one-channel path)")
            continue
        x = rng.random((batch * args.steps,) + tuple(first.input_shape), dtype=np.float32)
        y = rng.integers(0, 10, len(x))
        best = {True: float("inf"), False: float("inf")}
        for _ in range(args.repeats):
            for one_channel in (True, False):
                first.one_channel = one_channel
                best[one_channel] = min(best[one_channel], step_ms(model, x, y, batch, args.steps))
        first.one_channel = True
        kh, kw = first.kernel_size
        layer = f"{kh}x{kw}, {first.filters} filters, batch {batch}"
        print(f"{name:10s} {layer:28s} {best[True]:11.2f} {best[False]:8.2f} "
              f"{best[True] / best[False]:6.3f}")


if __name__ == "__main__":
    main()
