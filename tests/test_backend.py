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


def test_training_threads_makes_blas_single_threaded_and_restores_it():
    from minicnn import backend

    blas_before = _blas_threads()
    assert not backend.in_training()
    with backend.training_threads():
        assert backend.in_training() and _blas_threads() == [1] * len(blas_before)
        with backend.training_threads():               # nested (predict in a callback)
            assert backend.in_training()
        assert backend.in_training() and _blas_threads() == [1] * len(blas_before)
    assert not backend.in_training() and _blas_threads() == blas_before


def test_training_asks_malloc_once_to_keep_freed_memory(monkeypatch):
    """The first training_threads calls mallopt with both settings, once for the process; later
    and nested ones do not; KEEP_FREED_MEMORY = False, or malloc settings in the environment,
    leave malloc alone."""
    from minicnn import backend

    for name in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"):
        monkeypatch.delenv(name, raising=False)

    calls = []
    monkeypatch.setattr(backend, "_glibc_mallopt", lambda: lambda *args: calls.append(args) or 1)
    monkeypatch.setattr(backend, "_malloc_asked", False)
    with backend.training_threads():
        with backend.training_threads():
            pass
    with backend.training_threads():
        pass
    assert calls == [(backend._M_MMAP_THRESHOLD, 32 * 1024 * 1024),
                     (backend._M_TRIM_THRESHOLD, 1 << 30)]
    monkeypatch.setattr(backend, "_malloc_asked", False)
    monkeypatch.setattr(backend, "KEEP_FREED_MEMORY", False)
    with backend.training_threads():
        pass
    assert len(calls) == 2
    monkeypatch.setattr(backend, "KEEP_FREED_MEMORY", True)       # the user's own settings win
    for name, value in (("MALLOC_TRIM_THRESHOLD_", "65536"),
                        ("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=65536")):
        with monkeypatch.context() as env:
            env.setenv(name, value)
            with backend.training_threads():
                pass
    assert len(calls) == 2


def test_glibc_takes_both_malloc_settings():
    """Where the C library is glibc (Linux here) mallopt is found and accepts both values;
    elsewhere (macOS, Windows, musl) it is not looked for."""
    import platform

    from minicnn import backend

    mallopt = backend._glibc_mallopt()
    if platform.libc_ver()[0] == "glibc":
        assert mallopt(backend._M_MMAP_THRESHOLD, backend._KEEP_ARRAYS_UP_TO) == 1
        assert mallopt(backend._M_TRIM_THRESHOLD, backend._KEEP_FREED_UP_TO) == 1
    else:
        assert mallopt is None


def test_set_threads_and_its_default():
    from minicnn import backend

    try:
        minicnn.set_threads(3)
        assert backend.threads() == 3
        minicnn.set_threads(None)
        assert backend.threads() == len(os.sched_getaffinity(0))
    finally:
        minicnn.set_threads(None)


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_thread_count_must_be_a_positive_int(bad):
    with pytest.raises(ValueError, match="set_threads: expected a positive int or None, got"):
        minicnn.set_threads(bad)


@pytest.mark.parametrize("length, parts", [(10, 3), (2, 4), (0, 2), (7, 1)])
def test_for_blocks_covers_the_range_in_order_on_several_threads(length, parts):
    import threading

    from minicnn import backend

    seen = backend.for_blocks(length, lambda start, stop: (start, stop,
                                                           threading.current_thread().name),
                              parts=parts)
    assert [(a, b) for a, b, _ in seen] == list(zip(backend.block_bounds(length, len(seen)),
                                                    backend.block_bounds(length, len(seen))[1:]))
    assert sum(b - a for a, b, _ in seen) == length
    assert len(seen) == max(1, min(parts, length))
    workers = {name for _, _, name in seen[1:]}
    assert all(name.startswith(backend.WORKER_PREFIX) for name in workers)


def test_for_blocks_reraises_a_blocks_exception():
    from minicnn import backend

    def block(start, stop):
        if start > 0:
            raise RuntimeError(f"block {start}:{stop} failed")
        return start

    with pytest.raises(RuntimeError, match="block 5:10 failed"):
        backend.for_blocks(10, block, parts=2)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork exists on POSIX systems only")
def test_for_blocks_works_in_a_forked_child():
    """GridSearch forks worker processes; a child inherits the parent's pool object but not its
    threads, and must not wait on it forever (it starts a pool of its own)."""
    import signal
    import time

    from minicnn.backend import for_blocks

    minicnn.set_threads(2)
    try:
        assert for_blocks(4, lambda start, stop: stop - start) == [2, 2]   # the parent's pool
        pid = os.fork()
        if pid == 0:                                        # the child: exit code says it all
            ok = for_blocks(6, lambda start, stop: (start, stop)) == [(0, 3), (3, 6)]
            os._exit(0 if ok else 1)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("for_blocks in a forked child hung")
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        minicnn.set_threads(None)


def test_busy_machine_benchmark_runs_and_restores_the_thread_policy(capsys):
    """benchmarks/busy_machine.py on a tiny setting: both threadings timed idle and busy, and
    the emulated old policy leaves minicnn's own in place afterwards (no timing asserted)."""
    import importlib.util
    from pathlib import Path

    from minicnn import backend

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "busy_machine.py"
    spec = importlib.util.spec_from_file_location("busy_machine", path)
    busy_machine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(busy_machine)
    limit = backend._limit_blas_to_one_thread
    busy_machine.main(["--steps", "1", "--batch", "8"])
    out = capsys.readouterr().out
    assert "busy/idle" in out
    assert any(line.startswith("minicnn threads") for line in out.splitlines())
    assert any(line.startswith("OpenBLAS threads") for line in out.splitlines())
    assert backend._limit_blas_to_one_thread is limit and backend._threads is None
