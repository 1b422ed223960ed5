"""Every public name is documented, and docs/api.md is what docs/make_api.py writes today."""
import importlib.util
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
spec = importlib.util.spec_from_file_location("make_api", DOCS / "make_api.py")
make_api = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_api)


@pytest.mark.parametrize("module_name", make_api.MODULES)
def test_every_public_name_has_a_docstring(module_name):
    module = importlib.import_module(module_name)
    assert make_api.first_paragraph(module), f"{module_name} has no module docstring"
    undocumented = [name for name in make_api.public_names(module)
                    if not make_api.first_paragraph(getattr(module, name))]
    assert undocumented == [], f"{module_name}: no docstring for {undocumented}"


def test_api_reference_is_up_to_date():
    assert (DOCS / "api.md").read_text() == make_api.render(), \
        "docs/api.md is stale: run python docs/make_api.py"


def test_layer_pages_are_up_to_date():
    """docs/layers/*.md carry each layer's math and links to its code lines: regenerate them
    with python docs/make_layer_pages.py whenever a layer module changes."""
    spec = importlib.util.spec_from_file_location("make_layer_pages", DOCS / "make_layer_pages.py")
    pages_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pages_module)
    expected = {**pages_module.pages(), "README.md": pages_module.index()}
    for name, text in expected.items():
        assert (DOCS / "layers" / name).read_text() == text, \
            f"docs/layers/{name} is stale: run python docs/make_layer_pages.py"
    exported = {name for name in __import__("minicnn").layers.__all__}
    documented = {cls.__name__ for cls in pages_module.LAYERS}
    aliases = {"MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "GlobalMaxPool2D", "Layer", "Input"}
    assert exported - documented - aliases == set()


def test_debugging_breakpoints_point_at_the_lines_they_describe():
    """docs/debugging.md says ``b minicnn/models.py:<line>`` (the line `...`): each such line
    number must still hold the code quoted right after it, or the walk-through misleads."""
    import re

    text = (DOCS / "debugging.md").read_text()
    breakpoints = re.findall(r"`b (minicnn/[\w/]+\.py):(\d+)`[^`]*`([^`]+)`", text)
    assert len(breakpoints) >= 2
    for path, line, quoted in breakpoints:
        source = (DOCS.parent / path).read_text().splitlines()[int(line) - 1]
        assert " ".join(quoted.split()) in " ".join(source.split()), \
            f"docs/debugging.md: {path}:{line} is now {source.strip()!r}, not {quoted!r}"
