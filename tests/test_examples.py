"""Every example runs (in a short setting) and prints what it promises."""
import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(script, *args):
    env = dict(os.environ, MPLBACKEND="Agg")
    out = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True,
                         text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def test_lenet5_mnist_one_epoch():
    out = _run("lenet5_mnist.py", "--epochs", "1")
    assert "Total params: 61,706" in out and "test accuracy" in out


def test_gradcheck_tour_passes_every_layer_and_catches_the_bug():
    out = _run("gradcheck_tour.py")
    assert out.count("max relative error") == 10 and "OK" in out
    assert "<-- FAIL" in out and out.rstrip().endswith("FAILED")


def test_backprop_step_by_step_lowers_the_loss():
    out = _run("backprop_step_by_step.py")
    after, before = (float(v) for v in out.strip().splitlines()[-1].split(": ")[1]
                     .replace("(was ", "").rstrip(")").split())
    assert after < before


def test_make_readme_figures(tmp_path):
    _run("make_readme_figures.py", "--out", str(tmp_path), "--epochs", "1", "--train-size", "300")
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == ["confusion_matrix.png", "feature_maps.png", "predictions.png",
                     "training_curves.png"]
