"""Why a row's measured accuracy differs from the documented one: specific, with evidence.

Filled in from the full reproduction run (docs/results/reproduction.md): every row outside the
tolerance gets an entry here, keyed by ``Row.key`` = (report, experiment); the runner copies it into the table.
"""
EXPLANATIONS = {}


def explanation(row):
    """The written explanation for ``row`` ("" if none)."""
    return EXPLANATIONS.get(row.key, "")
