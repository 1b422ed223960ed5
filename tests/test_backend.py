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


def _blas_threads():
    from threadpoolctl import threadpool_info

    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_training_threads_sets_and_restores_numba_blas_and_matmul_threads():
    import numba

    numba_before, blas_before = numba.get_num_threads(), _blas_threads()
    assert minicnn.backend.matmul_threads() == 1          # outside training: plain a @ b
    minicnn.set_kernel_threads(1)
    minicnn.set_matmul_threads(3)
    try:
        with minicnn.backend.training_threads():
            assert numba.get_num_threads() == 1
            assert _blas_threads() == [1] * len(blas_before)
            assert minicnn.backend.matmul_threads() == 3
            with minicnn.backend.training_threads():       # nested (predict in a callback)
                assert minicnn.backend.matmul_threads() == 3
            assert _blas_threads() == [1] * len(blas_before)
        assert (numba.get_num_threads(), _blas_threads()) == (numba_before, blas_before)
        assert minicnn.backend.matmul_threads() == 1
        minicnn.set_kernel_threads(None)
        minicnn.set_matmul_threads(None)
        with minicnn.backend.training_threads():
            assert numba.get_num_threads() == numba.config.NUMBA_NUM_THREADS
            assert minicnn.backend.matmul_threads() == numba.config.NUMBA_NUM_THREADS
    finally:
        minicnn.set_kernel_threads(1)
        minicnn.set_matmul_threads(None)


@pytest.mark.parametrize("setter", ["set_kernel_threads", "set_matmul_threads"])
@pytest.mark.parametrize("bad", [0, -2, 1.5, "2"])
def test_thread_counts_must_be_positive_ints(setter, bad):
    with pytest.raises(ValueError, match=f"{setter}: expected a positive int or None, got"):
        getattr(minicnn, setter)(bad)
