"""The minicnn command line: summary, train/evaluate, gradcheck, errors."""
import re
import subprocess
import sys

import pytest

from minicnn.cli import main


def test_summary_of_a_zoo_model_with_explanations(capsys):
    assert main(["summary", "ca2_lenet.lenet5", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "Total params: 61,706" in out and "(5*5*1 + 1)*6 = 156" in out


def test_a_builder_called_with_literal_arguments(capsys):
    """MODEL may call a builder: section A's "No padding, large window, large strides"."""
    assert main(["summary", "lab1_fashion.section_a_cnn(padding='valid', window=5, strides=2)"]) == 0
    out = capsys.readouterr().out
    assert "(None, 12, 12, 32)" in out and "Total params: 110,986" in out
    assert main(["summary", "lab1_fashion.section_a_cnn('valid', 3)"]) == 0     # positional
    assert "(None, 26, 26, 32)" in capsys.readouterr().out


@pytest.mark.parametrize("spec, message", [
    ("lab1_fashion.section_a_cnn(window=five)", "cannot read the builder arguments of "
                                                "'lab1_fashion.section_a_cnn\\(window=five\\)'"),
    ("lab1_fashion.section_a_cnn(window=5) + 1", "expected literal arguments"),
    ("lab1_fashion.section_a_cnn(**{'window': 5})", "expected literal arguments"),
    ("lab1_fashion.section_a_cnn(window=5)(3)", "expected literal arguments"),
    ("lab1_fashion.section_a_cnn(windw=5)", "unexpected keyword argument 'windw'"),
    ("lab1_fashion.section_a_cnn(padding='bogus')", "padding must be 'valid' or 'same', got 'bogus'"),
    ("nope.model(window=5)", "is neither a saved model file nor a zoo builder"),
])
def test_a_bad_builder_call_is_refused_before_anything_runs(spec, message):
    with pytest.raises(SystemExit, match=message):
        main(["summary", spec])


def test_train_save_evaluate_round_trip(tmp_path, capsys):
    path = tmp_path / "main.h5"
    assert main(["train", "feature_maps_sgd.main_model", "--dataset", "fashion-mnist",
                 "--subset", "embedded", "--epochs", "1", "--optimizer", "sgd",
                 "--learning-rate", "0.05", "--verbose", "2", "--save", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Epoch 1/1" in out and "test accuracy" in out and path.is_file()
    test_accuracy = float(out.split("test accuracy ")[1].split()[0])
    assert main(["evaluate", str(path), "--dataset", "fashion-mnist", "--subset", "embedded"]) == 0
    assert f"accuracy: {test_accuracy:.4f}" in capsys.readouterr().out
    assert main(["summary", str(path)]) == 0
    assert "Total params: 113,386" in capsys.readouterr().out


def test_learning_rate_is_checked_and_applied_to_a_saved_model(tmp_path, capsys):
    path = tmp_path / "lenet.h5"
    base = ["--dataset", "mnist", "--subset", "embedded", "--verbose", "0"]
    assert main(["train", "ca2_lenet.lenet5", *base, "--optimizer", "sgd", "--save",
                 str(path)]) == 0
    capsys.readouterr()
    for flag, value, message in [("--learning-rate", "-1", "must be > 0, got -1"),
                                 ("--learning-rate", "0", "must be > 0, got 0"),
                                 ("--epochs", "0", "must be > 0, got 0"),
                                 ("--batch-size", "x", "expected a positive int, got 'x'"),
                                 ("--validation-split", "1.5", r"must be in \[0, 1\), got 1.5")]:
        with pytest.raises(SystemExit):
            main(["train", str(path), *base, flag, value])
        assert re.search(f"argument {flag}: {message}", capsys.readouterr().err)
    import minicnn
    original = minicnn.load_model
    loaded = []

    def keep(spec):
        loaded.append(original(spec))
        return loaded[-1]

    minicnn.load_model = keep
    try:           # a saved, compiled model keeps its optimizer, at the rate given
        assert main(["train", str(path), *base, "--learning-rate", "0.5"]) == 0
    finally:
        minicnn.load_model = original
    assert repr(loaded[0].optimizer).startswith("SGD(learning_rate=0.5,")


def test_a_file_that_is_not_a_model_is_a_one_line_error(tmp_path):
    path = tmp_path / "notes.h5"
    path.write_text("not HDF5")
    with pytest.raises(SystemExit, match=r"minicnn: .*notes.h5: not a readable HDF5 file"):
        main(["summary", str(path)])


def test_gradcheck_every_layer_and_a_model(capsys):
    assert main(["gradcheck"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 17 and all(line.startswith("OK") for line in lines)
    assert main(["gradcheck", "ca2_lenet.lenet5", "--max-checks", "5"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("OK")


@pytest.mark.parametrize("spec, message", [
    ("nope.model", r"'nope.model' is neither a saved model file nor a zoo"),
    ("ca2_lenet.lenet6", r"'ca2_lenet.lenet6' is neither .*; did you mean 'ca2_lenet.lenet5'\?"),
    ("chollet_coursework.test7", r"did you mean 'chollet_coursework.test_7'"),
    ("lenet5", r"'lenet5' is neither .*; did you mean 'ca2_lenet.lenet5'\?"),
    ("ca2_lenet", r"; ca2_lenet has ca2_lenet.lenet5, ca2_lenet.model_l2, ca2_lenet.model_fash"),
    ("xyz", r"every builder is listed in docs/zoo.md"),
])
def test_an_unknown_model_is_named_with_what_was_meant(spec, message):
    with pytest.raises(SystemExit, match=message):
        main(["summary", spec])


def test_missing_arguments_and_help_are_clear():
    out = subprocess.run([sys.executable, "-m", "minicnn", "summary"], capture_output=True,
                         text=True)
    assert out.returncode == 2 and "the following arguments are required: model" in out.stderr
    out = subprocess.run([sys.executable, "-m", "minicnn", "--help"], capture_output=True,
                         text=True)
    for command in ("summary", "train", "evaluate", "gradcheck", "reproduce", "data", "bench"):
        assert command in out.stdout


def test_bench_speed_runs_on_a_few_samples_and_profiles_the_products(tmp_path, capsys):
    """The speed benchmark's machinery (timing, FLOP count, profile, table) on a tiny run; its
    numbers are not checked -- tests never assert wall time."""
    output = tmp_path / "speed.md"
    assert main(["bench", "speed", "--samples", "256", "--numpy-samples", "64", "--repeats", "1",
                 "--workloads", "lenet5", "--no-torch", "--threads", "2",
                 "--output", str(output)]) == 0
    text = output.read_text()
    assert "| lenet5 (001's LeNet-5 on MNIST, Adam 1e-4) | 61,706 | 64 |" in text
    assert "| kernel matmul |" in text and "| kernel im2col_matmul |" in text
    assert "| kernel im2col_matmul_backward |" in text
    assert "2 threads for minicnn (`set_threads`) and PyTorch" in text
    from minicnn.bench.speed import blas_description
    assert f"with {blas_description()}" in text            # which BLAS kernels ran the products
    # the peak: measured before the workload and at the end; the table uses the highest
    import re

    header = re.search(r"NumPy/BLAS (\d+) GFLOP/s -- the highest of 2 measurements, one before "
                       r"each workload and one at the end \(NumPy/BLAS: (\d+), (\d+);", text)
    assert header and int(header[1]) == max(int(header[2]), int(header[3]))


@pytest.mark.parametrize("core, flags, warned", [
    ("Haswell", "fma avx2 avx512f avx512bw", True),     # AVX-512 CPU, AVX2 kernels: the note
    ("SkylakeX", "fma avx2 avx512f avx512bw", False),   # AVX-512 kernels chosen: nothing to say
    ("Haswell", "fma avx2", False),                     # an AVX2 CPU: Haswell is its best
])
def test_speed_md_notes_openblas_running_avx2_kernels_on_an_avx512_cpu(core, flags, warned,
                                                                       monkeypatch):
    """The CPU and BLAS kernels vary between machines (this project's VM was seen as two CPU
    types, and its environment pins OpenBLAS's kernels); speed.md says which kernels NumPy's
    OpenBLAS runs, and warns when they leave half the CPU's vector width unused. The machine's
    own answer is whatever it is, so both inputs are set here."""
    import threadpoolctl
    from minicnn.bench import speed

    monkeypatch.setattr(threadpoolctl, "threadpool_info", lambda: [
        {"user_api": "blas", "internal_api": "openblas", "version": "0.3.31",
         "architecture": core}])
    monkeypatch.setenv("OPENBLAS_CORETYPE", core)      # how this project's VM pins OpenBLAS
    monkeypatch.setattr(speed, "_cpuinfo_field",
                        lambda name: {"flags": flags, "model name": "AMD EPYC",
                                      "cpu family": "26"}.get(name))
    assert speed.blas_description() == f"OpenBLAS 0.3.31 ({core} kernels)"
    assert "AMD EPYC (family 26)" in speed._machine()
    note = speed.blas_avx512_note()
    if warned:
        assert "Haswell (AVX2) kernels" in note and "`OPENBLAS_CORETYPE=Haswell`" in note
    else:
        assert note is None
