"""Documented vs measured accuracy for every row of the five reports. See minicnn/reproduce.py.

    python benchmarks/reproduce.py --quick
    python benchmarks/reproduce.py --full [--report 003] [--experiment "test 7.1"] [--repeats K]
"""
from minicnn.reproduce import main

if __name__ == "__main__":
    main()
