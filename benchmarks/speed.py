"""Training speed of minicnn vs PyTorch, side by side. See minicnn/bench/speed.py.

    python benchmarks/speed.py [--samples N] [--repeats K] [--workloads lenet5 ...]
"""
from minicnn.bench.speed import main

if __name__ == "__main__":
    main()
