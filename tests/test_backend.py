import os
import subprocess
import sys

import pytest

import minicnn


def test_default_backend_is_numba_and_switchable():
    assert minicnn.get_backend() in ("numba", "numpy")
    with minicnn.use_backend("numpy"):
        assert minicnn.get_backend() == "numpy"
    with minicnn.use_backend("numba"):
        assert minicnn.get_backend() == "numba"


def test_unknown_backend_lists_valid_ones():
    with pytest.raises(ValueError, match="unknown minicnn backend 'torch'.*'numba', 'numpy'"):
        minicnn.set_backend("torch")


@pytest.mark.parametrize("value, expected", [(None, "numba"), ("numpy", "numpy"), ("NUMBA", "numba")])
def test_environment_variable_selects_backend(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "MINICNN_BACKEND"}
    if value is not None:
        env["MINICNN_BACKEND"] = value
    out = subprocess.run([sys.executable, "-c", "import minicnn; print(minicnn.get_backend())"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected


def test_bad_environment_variable_is_a_clear_error():
    env = dict(os.environ, MINICNN_BACKEND="cuda")
    out = subprocess.run([sys.executable, "-c", "import minicnn; minicnn.get_backend()"],
                         env=env, capture_output=True, text=True)
    assert out.returncode != 0
    assert "MINICNN_BACKEND" in out.stderr and "'cuda'" in out.stderr


def test_kernel_threads_context_sets_and_restores():
    import numba

    before = numba.get_num_threads()
    minicnn.set_kernel_threads(1)
    with minicnn.backend.kernel_threads():
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == before
    minicnn.set_kernel_threads(None)
    with minicnn.backend.kernel_threads():
        assert numba.get_num_threads() == numba.config.NUMBA_NUM_THREADS
    minicnn.set_kernel_threads(1)
    with pytest.raises(ValueError, match="set_kernel_threads: expected a positive int or None"):
        minicnn.set_kernel_threads(0)
