"""Write docs/api.md, the API reference, from the docstrings: ``python docs/make_api.py``.

tests/test_api_docs.py checks that the committed docs/api.md is what this script writes now,
so a public name cannot be added, renamed or re-documented without the reference following.
"""
import importlib
import inspect
import sys
from pathlib import Path

MODULES = ["minicnn", "minicnn.layers", "minicnn.optimizers", "minicnn.losses",
           "minicnn.initializers", "minicnn.regularizers", "minicnn.metrics", "minicnn.callbacks",
           "minicnn.saving", "minicnn.model_selection", "minicnn.gradcheck", "minicnn.trace",
           "minicnn.viz", "minicnn.datasets", "minicnn.zoo", "minicnn.reproduce"]


def public_names(module):
    """``__all__`` if the module has one, else what it defines itself without a leading _."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [name for name, value in vars(module).items()
            if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__
            and (inspect.isfunction(value) or inspect.isclass(value))]


def first_paragraph(obj):
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def describe(name, obj):
    if inspect.ismodule(obj):
        return f"- `{name}` (module) — {first_paragraph(obj)}"
    if inspect.isclass(obj) or inspect.isfunction(obj):
        try:
            signature = str(inspect.signature(obj))
        except (TypeError, ValueError):
            signature = "(...)"
        kind = "class " if inspect.isclass(obj) else ""
        return f"- `{kind}{name}{signature}` — {first_paragraph(obj)}"
    return f"- `{name}` — {type(obj).__name__}"


def render():
    lines = ["# API reference", "",
             "Generated from the docstrings by `python docs/make_api.py`; every public name of "
             "every module below, with its signature and the first paragraph of its docstring. "
             "Each module's own docstring (and each layer module's) has the full story.", ""]
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        lines += [f"## `{module_name}`", "", first_paragraph(module), ""]
        for name in public_names(module):
            lines.append(describe(name, getattr(module, name)))
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "api.md"
    target.write_text(render())
    print(f"wrote {target}", file=sys.stderr)
