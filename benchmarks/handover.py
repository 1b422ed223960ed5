"""What handing work to another thread costs on this machine, and what it saves.

    python benchmarks/handover.py [--calls 20000]

minicnn splits a kernel call or a product into blocks run at the same time on its own threads
(``minicnn.backend.for_blocks``): the caller runs the first block, a pool thread -- asleep
until then -- the other. That costs a wake-up each way. This prints, in microseconds per call:

* ``lock ping-pong``: the floor -- one thread releases a lock the other sleeps on, and back;
* ``for_blocks, empty blocks``: minicnn's hand-over with nothing to do (2 blocks on 2 threads,
  against the same call on 1 thread);
* a memory-bound pass (``np.maximum(a, 0, out=a)``, a ReLU) over arrays of several sizes, whole
  on one thread and split on two: where splitting starts to pay (``MIN_SPLIT_VALUES`` in
  minicnn/backend.py; docs/results/speed-history.md reads the output). No time is asserted
  anywhere.
"""
import argparse
import threading
import time

import numpy as np

import minicnn
from minicnn.backend import for_blocks


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    args = parser.parse_args(argv)
    minicnn.set_threads(2)
    try:
        print(f"lock ping-pong between two threads: {lock_ping_pong_us(args.calls):6.1f} us")
        empty = lambda start, stop: None                                     # noqa: E731
        print(f"for_blocks, empty blocks: 2 threads "
              f"{per_call_us(lambda: for_blocks(2, empty), args.calls):6.1f} us, 1 thread "
              f"{per_call_us(lambda: for_blocks(2, empty, parts=1), args.calls):6.1f} us")
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
