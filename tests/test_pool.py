"""minicnn.pool: worker threads that spin briefly, then sleep, while they wait."""
import threading
import time

import numpy as np
import pytest

from minicnn import pool


def _names(count):
    """``count`` calls that return the name of the thread they run on."""
    return [lambda: threading.current_thread().name] * count


@pytest.fixture(params=["spin", "sleep only"])
def workers(request, monkeypatch):
    """A pool of 2 workers; "sleep only" as where no yield function can be found."""
    from numba import config

    if request.param == "sleep only":
        monkeypatch.setattr(pool, "_cpu_yield", lambda: None)
    made = pool.WorkerPool(2, "test-worker")
    assert (made.spin_until is None) == (request.param == "sleep only" or config.DISABLE_JIT)
    yield made
    made.close()


def _within(seconds, function):
    """``function()``'s result, or a test failure if it has not returned in ``seconds`` (a hang
    would otherwise stop the whole suite)."""
    result = []
    thread = threading.Thread(target=lambda: result.append(function()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"no result after {seconds} s: the pool hangs"
    return result[0]


def test_calls_run_on_the_caller_and_the_workers_in_order(workers):
    for _ in range(50):                                # counters move on, round after round
        names = workers.run(_names(3))
        assert names[0] == threading.current_thread().name
        assert names[1:] == ["test-worker-0", "test-worker-1"]
    assert workers.run([lambda: 1, lambda: 2]) == [1, 2]       # fewer calls than workers + 1


def test_calls_run_at_the_same_time(workers):
    """Each call waits for the other two at a barrier: run one after the other, they could not
    pass it."""
    barrier = threading.Barrier(3, timeout=5)
    assert sorted(workers.run([barrier.wait] * 3)) == [0, 1, 2]    # one arrival index each


def test_workers_asleep_after_a_long_wait_wake_up(workers, monkeypatch):
    monkeypatch.setattr(pool, "SPIN_TURNS", 10)        # spin ends at once: the workers sleep
    workers.run(_names(3))
    deadline = time.monotonic() + 5
    while len(workers.lock._waiters) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(workers.lock._waiters) == 2              # both workers asleep on the condition
    assert workers.run([lambda k=k: k for k in range(3)]) == [0, 1, 2]


def test_a_caller_interrupted_after_posting_does_not_block_the_next(workers):
    """Ctrl-C can stop a caller between handing a call to a worker and waiting for it: the
    worker's counters then run ahead of any caller's. The next call must not wait forever."""
    workers._post(0, lambda: "orphan")                  # posted, never waited for
    workers._post(0, lambda: "orphan too")
    assert _within(10, lambda: workers.run([lambda: 0, lambda: 1, lambda: 2])) == [0, 1, 2]


def test_a_closed_pool_lets_its_workers_end():
    made = pool.WorkerPool(2, "closing-worker")
    made.run(_names(3))
    made.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
            t.name.startswith("closing-worker") for t in threading.enumerate()):
        time.sleep(0.01)
    assert not any(t.name.startswith("closing-worker") for t in threading.enumerate())


def test_the_first_exception_is_raised_after_every_call_ended(workers):
    ended = []

    def slow_then_record():
        time.sleep(0.05)
        ended.append("slow")
        return "slow"

    def fail():
        raise ValueError("block 1 failed")

    with pytest.raises(ValueError, match="block 1 failed"):
        workers.run([lambda: ended.append("own"), fail, slow_then_record])
    assert sorted(ended) == ["own", "slow"]             # nothing still running behind our back
    assert workers.run(_names(3))[1:] == ["test-worker-0", "test-worker-1"]   # still usable


def test_a_second_caller_runs_its_calls_itself(workers):
    """Two threads using one pool at once: the one that finds it busy does not wait for it."""
    inside, release = threading.Event(), threading.Event()

    def hold():
        inside.set()
        release.wait(5)
        return "held"

    first = []
    caller = threading.Thread(target=lambda: first.extend(workers.run([hold, lambda: 1])))
    caller.start()
    assert inside.wait(5)
    here = threading.current_thread().name
    assert workers.run(_names(3)) == [here, here, here]
    release.set()
    caller.join(5)
    assert first == ["held", 1]


def test_more_calls_than_workers_run_on_the_caller(workers):
    here = threading.current_thread().name
    assert workers.run(_names(4)) == [here] * 4


def test_spin_until_sees_a_counter_reach_its_target_or_gives_up():
    spin_until = pool._compile_spin()              # sched_yield (POSIX) or SwitchToThread
    if spin_until is None:                             # NUMBA_DISABLE_JIT=1: nothing to test
        from numba import config
        assert config.DISABLE_JIT
        return
    counters = np.array([3, 7], np.int64)
    assert spin_until(counters, 1, 7, 0)                # already there
    assert spin_until(counters, 1, 6, 0)                # past it
    assert not spin_until(counters, 0, 4, 100)          # never changes: gives up
    threading.Timer(0.01, counters.__setitem__, (0, 4)).start()
    assert spin_until(counters, 0, 4, 10_000_000)       # another thread changes it
