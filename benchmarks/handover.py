"""What handing work to another thread costs on this machine, and what it saves.

    python benchmarks/handover.py [--calls 20000]
    python benchmarks/handover.py --training [--workloads lenet5 main004] [--rounds 6]
    python benchmarks/handover.py --spin [--workloads lenet5 main004] [--rounds 6]

minicnn splits a kernel call or a product into blocks run at the same time on its own threads
(``minicnn.backend.for_blocks``): the caller runs the first block, a pool thread the other
(``minicnn.pool``: it waits spinning for a while, then asleep). A thread that slept must be
woken, each way. This prints, in microseconds per call:

* ``lock ping-pong``: the floor -- one thread releases a lock the other sleeps on, and back;
* ``for_blocks, empty blocks``: minicnn's hand-over with nothing to do (2 blocks on 2 threads,
  against the same call on 1 thread);
* ``after an idle gap``: the same empty hand-over after the caller computed alone for a while --
  on a virtual machine a pool thread asleep for longer takes longer to wake;
* a memory-bound pass (``np.maximum(a, 0, out=a)``, a ReLU) over arrays of several sizes, whole
  on one thread and split on two: where splitting starts to pay (``MIN_SPLIT_VALUES`` in
  minicnn/backend.py).

``--training`` times training epochs on slices of the workloads of benchmarks/speed.py under
the thresholds that decide what is split (``SPLIT_POLICIES``: the ones before 2026-12-02 and
the current ones), interleaved in one process so that a noisy machine slows both alike, and
prints each policy's median epoch relative to the old one. ``--spin`` does the same with the
pool's threads only sleeping while they wait (``minicnn.pool.SPIN_TURNS = 0``, as before
2026-12-02 afternoon) and spinning first as they do now. docs/results/speed-history.md reads
the output; no time is asserted anywhere.
"""
import argparse
import statistics
import threading
import time

import numpy as np

import minicnn
from minicnn import ops, pool
from minicnn.backend import MIN_SPLIT_VALUES, for_blocks
from minicnn.kernels import blocks

# (ops.MIN_SPLIT_FLOPS, ops' elementwise passes' MIN_SPLIT_VALUES, by_images' MIN_SPLIT_VALUES)
SPLIT_POLICIES = {"old (before 2026-12-02)": (4_000_000, 1 << 17, 0),
                  "current": (ops.MIN_SPLIT_FLOPS, MIN_SPLIT_VALUES, MIN_SPLIT_VALUES)}
# minicnn.pool.SPIN_TURNS: how long a waiting thread spins before it sleeps
SPIN_POLICIES = {"sleep only": 0, "current": pool.SPIN_TURNS}


def per_call_us(fn, calls):
    fn()
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * 1e6


def lock_ping_pong_us(calls):
    ping, pong = threading.Lock(), threading.Lock()
    ping.acquire()
    pong.acquire()

    def partner():
        for _ in range(calls + 1):
            ping.acquire()
            pong.release()

    thread = threading.Thread(target=partner, daemon=True)
    thread.start()

    def round_trip():
        ping.release()
        pong.acquire()
    result = per_call_us(round_trip, calls)
    thread.join()
    return result


def compute_alone(us):
    """Keep the calling thread busy for ``us`` microseconds (the pool thread sleeps)."""
    end = time.perf_counter() + us / 1e6
    while time.perf_counter() < end:
        pass


def after_idle_gap_us(gap_us, calls, empty):
    costs = []
    for _ in range(calls):
        compute_alone(gap_us)
        start = time.perf_counter()
        for_blocks(2, empty)
        costs.append((time.perf_counter() - start) * 1e6)
    return statistics.median(costs)


def set_split_policy(policy):
    ops.MIN_SPLIT_FLOPS, ops.MIN_SPLIT_VALUES, blocks.MIN_SPLIT_VALUES = policy


def set_spin_policy(turns):
    pool.SPIN_TURNS = turns


def training_under_policies(policies, set_policy, workloads, rounds, samples):
    """Training epochs under each of ``policies`` ({name: value}, applied by ``set_policy``),
    interleaved; prints each one's median relative to the first. Restores "current"."""
    from minicnn.bench.speed import WORKLOADS, _compiled, _load

    names = list(policies)
    try:
        for name in workloads:
            batch = WORKLOADS[name][2]
            x, y = _load(WORKLOADS[name][1], samples)
            model = _compiled(name)
            seconds = {policy: [] for policy in names}
            with minicnn.use_backend("numba"):
                model.fit(x[:2 * batch], y[:2 * batch], batch_size=batch, verbose=0)  # compile
                for r in range(rounds):
                    for policy in (names if r % 2 else names[::-1]):
                        set_policy(policies[policy])
                        start = time.perf_counter()
                        model.fit(x, y, batch_size=batch, verbose=0)
                        seconds[policy].append(time.perf_counter() - start)
            first = statistics.median(seconds[names[0]])
            print(f"{name:10s} " + "   ".join(
                f"{policy}: {statistics.median(seconds[policy]) / first:.3f}" for policy in names)
                + f"   ({names[0]} median {first:.3f} s per {samples:,} samples)")
    finally:
        set_policy(policies["current"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--training", action="store_true",
                        help="time training epochs under the old and current split thresholds")
    parser.add_argument("--spin", action="store_true",
                        help="time training epochs with the pool's threads sleeping only, and "
                             "spinning first")
    parser.add_argument("--workloads", nargs="+",
                        default=["lenet5", "main004", "chollet", "swedish_b"])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--samples", type=int, default=12000)
    args = parser.parse_args(argv)
    minicnn.set_threads(2)
    try:
        if args.training or args.spin:
            policies, set_policy = ((SPLIT_POLICIES, set_split_policy) if args.training
                                    else (SPIN_POLICIES, set_spin_policy))
            training_under_policies(policies, set_policy, args.workloads, args.rounds,
                                    args.samples)
            return
        print(f"lock ping-pong between two threads: {lock_ping_pong_us(args.calls):6.1f} us")
        empty = lambda start, stop: None                                     # noqa: E731
        print(f"for_blocks, empty blocks: 2 threads "
              f"{per_call_us(lambda: for_blocks(2, empty), args.calls):6.1f} us, 1 thread "
              f"{per_call_us(lambda: for_blocks(2, empty, parts=1), args.calls):6.1f} us")
        gaps = (50, 200, 1000, 10000)
        print("after an idle gap of " + ", ".join(
            f"{gap:,d} us: {after_idle_gap_us(gap, max(20, args.calls // 100), empty):.1f}"
            for gap in gaps) + " us per hand-over (median)")
        print(f"{'ReLU pass over':>22s} {'1 thread':>9s} {'2 threads':>10s}  (us)")
        for values in (1 << 15, 1 << 17, 1 << 18, 1 << 19, 1 << 20, 1 << 21):
            a = np.random.default_rng(0).standard_normal(values).astype(np.float32)
            relu = lambda start, stop, a=a: np.maximum(a[start:stop], 0,            # noqa: E731
                                                       out=a[start:stop])
            calls = max(50, args.calls * (1 << 15) // values // 4)
            one = per_call_us(lambda: for_blocks(values, relu, parts=1), calls)
            two = per_call_us(lambda: for_blocks(values, relu, parts=2), calls)
            print(f"{values:>15,d} values {one:9.1f} {two:10.1f}")
    finally:
        minicnn.set_threads(None)


if __name__ == "__main__":
    main()
