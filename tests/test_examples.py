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


# -- one example per report: --smoke runs on a few hundred embedded images for 1 epoch --------
def _smoke(script, tmp_path, *args):
    """Run ``script --smoke --out tmp_path``; return its stdout and the names of the files it
    wrote (each checked to be non-empty)."""
    out = _run(script, "--smoke", "--out", str(tmp_path), *args)
    files = {p.name: p.stat().st_size for p in tmp_path.iterdir()}
    assert all(size > 0 for size in files.values()), files
    assert "quick run on the embedded subset: not the documented setting" in out
    return out, set(files)


def _table_line(out, *cells):
    """The printed line that holds every one of ``cells`` (a table row), or fail."""
    lines = [line for line in out.splitlines() if all(cell in line for cell in cells)]
    assert lines, f"no line with {cells} in:\n{out}"
    return lines[0]


def test_lab1_feature_maps_smoke(tmp_path):
    out, files = _smoke("lab1_feature_maps.py", tmp_path)
    assert files == {"feature_maps.png", "filters.png"}
    for setting, documented in [("Fully connected", "0.8837"),
                                ("No padding, small window, small strides", "0.8854"),
                                ("Padding, small window, small strides", "0.9091"),
                                ("No padding, large window, large strides", "0.8790"),
                                ("droput (section B)", "0.9135")]:
        _table_line(out, setting, documented)


def test_ca2_lenet_confusion_smoke(tmp_path):
    from minicnn.datasets import read_submission
    out, files = _smoke("ca2_lenet_confusion.py", tmp_path)
    assert files == {"training_curves.png", "confusion_train.png", "confusion_test.png",
                     "submission.csv"}
    assert "Total params: 61,706" in out
    _table_line(out, "val_accuracy", "0.9837")
    _table_line(out, "val_f1_batchwise", "0.9804")
    ids, predictions = read_submission(tmp_path / "submission.csv")
    assert list(ids) == list(range(200)) and set(predictions) <= set(range(10))
    assert "in both top lists" in out


def test_fashion_convnets_pl_smoke(tmp_path):
    out, files = _smoke("fashion_convnets_pl.py", tmp_path)
    assert files == {"test_accuracy.png"}
    for model, params, documented in [("convNN_1 ", "542,230", "0.8426"),
                                      ("convNN_2 ", "542,230", "0.8444"),
                                      ("convNN_3 ", "279,126", "0.8393"),
                                      ("convNN_3a", "279,126", "0.8511"),
                                      ("convNN_4 ", "3,163,426", "0.8522")]:
        _table_line(out, model, params, documented)


def test_chollet_predictions_smoke(tmp_path):
    out, files = _smoke("chollet_predictions.py", tmp_path)
    assert files == {"training_curves.png", "predictions.png"}
    assert "Total params: 130,890" in out
    _table_line(out, "best validation accuracy", "0.9150")
    _table_line(out, "test accuracy", "0.9035")
    assert "of 16 random test images wrong" in out


def test_feature_maps_sgd_epochs_smoke(tmp_path):
    out, files = _smoke("feature_maps_sgd_epochs.py", tmp_path)
    assert files == {"accuracy_vs_epochs.png", "feature_map_count.png"}
    for epochs, documented in [("5", "0.8670"), ("10", "0.8946"), ("100", "0.9072")]:
        assert f"{epochs:>6} {documented:>10}" in out
    for maps, params, documented in [("1", "4,638", "0.7860"), ("8", "27,682", "0.8340"),
                                     ("32", "113,386", "0.8500")]:
        _table_line(out, f"{maps:>4} {params:>8} {documented:>10}")
