"""docs/tutorial.md runs as written: its Python blocks, in order, in one namespace."""
import os
import re
from pathlib import Path

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"


def test_tutorial_code_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)                       # the PNG and .h5 files land here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    blocks = re.findall(r"```python\n(.*?)```", TUTORIAL.read_text(), flags=re.S)
    assert len(blocks) >= 8
    namespace = {}
    for block in blocks:
        exec(compile(block, str(TUTORIAL), "exec"), namespace)
    out = capsys.readouterr().out
    assert "Total params: 61,706" in out and "(5*5*1 + 1)*6 = 156" in out
    assert namespace["accuracy"] > 0.5                # LeNet-5 after 2 epochs on 8,750 images
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "lenet_confusion.png", "lenet_feature_maps.png", "lenet_history.png",
        "lenet_predictions.png"]
    assert "True" in out.splitlines()                 # the reloaded model predicts the same
    assert os.path.getsize(tmp_path / "fashion.h5") > 100_000
