"""docs/tutorial.md runs as written: its Python blocks, in order, pasted line by line into one
interactive Python session -- what a reader does after the tutorial's ``python``."""
import code
import os
import re
from pathlib import Path

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"


def test_tutorial_code_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)                       # the PNG and .h5 files land here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    blocks = re.findall(r"```python\n(.*?)```", TUTORIAL.read_text(), flags=re.S)
    assert len(blocks) >= 8
    console = PastingConsole()
    for block in blocks:
        console.paste(block)
    namespace = console.locals
    out = capsys.readouterr().out
    assert "Total params: 61,706" in out and "(5*5*1 + 1)*6 = 156" in out
    assert namespace["accuracy"] > 0.5                # LeNet-5 after 2 epochs on 8,750 images
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "lenet_confusion.png", "lenet_feature_maps.png", "lenet_history.png",
        "lenet_predictions.png"]
    assert "True" in out.splitlines()                 # the reloaded model predicts the same
    assert os.path.getsize(tmp_path / "fashion.h5") > 100_000


class PastingConsole(code.InteractiveConsole):
    """The ``>>>`` prompt: lines arrive one at a time, an indented block ends only at a blank
    line, and any error (a SyntaxError from a missing blank line included) fails the test."""

    def paste(self, block):
        for line in block.splitlines():
            self.push(line)
        assert not self.push(""), f"the block did not end where it should:\n{block}"

    def showsyntaxerror(self, filename=None, **kwargs):
        raise AssertionError(f"the prompt rejects this line: {self.buffer[-1:]}")

    def showtraceback(self):
        raise


def test_pasting_console_rejects_a_statement_right_after_an_indented_block():
    with __import__("pytest").raises(AssertionError, match="the prompt rejects"):
        PastingConsole().paste("for i in range(2):\n    i\nprint(i)\n")
