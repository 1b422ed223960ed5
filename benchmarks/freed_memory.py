"""Training epochs with malloc keeping freed memory during fit (as shipped) and without.

    python benchmarks/freed_memory.py [--workloads swedish_b chollet] [--rounds 4]
                                      [--samples 12000]

Inside fit, minicnn asks glibc's malloc to serve arrays of up to 32 MB from its heap and to keep
freed memory for the next training step (``minicnn.backend``, "memory during training"), so
that a step does not page-fault its large arrays in again. This trains the workloads of
benchmarks/speed.py for one epoch of ``--samples`` samples in fresh processes, alternating
``minicnn.backend.KEEP_FREED_MEMORY`` True (as shipped) and False (glibc's own behaviour: a
fresh process, so its dynamic mmap threshold is untouched), and prints each setting's median
seconds per epoch and the page faults (minor faults) the epoch caused. A separate process per
epoch, because the setting changes the process's malloc for good. No time is asserted anywhere
(docs/results/speed-history.md reads the output).
"""
import argparse
import json
import statistics
import subprocess
import sys

CHILD = """
import json, resource, sys, time
import minicnn
from minicnn import backend
from minicnn.bench.speed import WORKLOADS, _compiled, _load
name, samples, keep = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
backend.KEEP_FREED_MEMORY = keep
batch = WORKLOADS[name][2]
x, y = _load(WORKLOADS[name][1], samples)
model = _compiled(name)
model.fit(x[:2 * batch], y[:2 * batch], batch_size=batch, verbose=0)       # compile, warm up
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
start = time.perf_counter()
model.fit(x, y, batch_size=batch, verbose=0, seed=0)
seconds = time.perf_counter() - start
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
print(json.dumps({"seconds": seconds, "faults": faults}))
"""


def epoch(name, samples, keep):
    """{"seconds", "faults"} of one epoch in a fresh process."""
    out = subprocess.run([sys.executable, "-c", CHILD, name, str(samples), "1" if keep else "0"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def main(argv=None):
    from minicnn.bench.speed import WORKLOADS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS),
                        default=["swedish_b", "chollet"])
    parser.add_argument("--rounds", type=int, default=4, help="epochs per setting, alternating")
    parser.add_argument("--samples", type=int, default=12_000)
    args = parser.parse_args(argv)
    print(f"seconds per epoch of {args.samples:,} samples (median of {args.rounds}, alternating "
          f"fresh processes) and minor page faults in it")
    print(f"{'workload':10s} {'kept s':>8s} {'glibc s':>8s} {'ratio':>6s} {'kept faults':>12s} "
          f"{'glibc faults':>12s}")
    for name in args.workloads:
        runs = {True: [], False: []}
        for r in range(args.rounds):
            for keep in ((True, False) if r % 2 else (False, True)):
                runs[keep].append(epoch(name, args.samples, keep))
        seconds = {k: statistics.median(run["seconds"] for run in v) for k, v in runs.items()}
        faults = {k: statistics.median(run["faults"] for run in v) for k, v in runs.items()}
        print(f"{name:10s} {seconds[True]:8.3f} {seconds[False]:8.3f} "
              f"{seconds[True] / seconds[False]:6.3f} {faults[True]:12,.0f} {faults[False]:12,.0f}")


if __name__ == "__main__":
    main()
