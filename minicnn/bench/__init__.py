"""Benchmarks that ship with the package, so that ``minicnn bench ...`` works after install.
The scripts in ``benchmarks/`` are thin wrappers around these modules."""
