"""minicnn's worker threads: each waits for work by spinning briefly, then by sleeping.

``minicnn.backend.for_blocks`` hands blocks of a call to these threads and runs the first block
itself. Handing over to a sleeping thread costs the time it takes to wake up, each way: with
threads that only slept, 91 us for an empty hand-over on this project's virtual machine, and
99-260 us after the caller had computed alone for 50 us to 10 ms (``python
benchmarks/handover.py``, 2026-12-02) -- a LeNet-5 training step hands work over about five
times in 5-6 ms. So a thread that waits -- a worker for its next block, the caller for a
worker's result -- first watches a counter for up to ``SPIN_TURNS`` turns, giving up the CPU
at each turn (``sched_yield``), and only then sleeps on a condition variable:

    worker i:  spin until posted[i] == done + 1, else sleep until it is;
               run the block; finished[i] = done + 1 (and wake a sleeping caller)
    caller:    post the block to worker i (posted[i] += 1, wake it if it sleeps);
               run its own block; spin until finished[i] == posted[i], else sleep

The spinning runs in a small Numba function that holds no GIL, so it never slows the thread
that computes. It is bounded and yields at every turn: on a busy machine a spinning thread gives
its core to whoever needs it, unlike the barriers of OpenBLAS's threads, which wait for a
partner that is not running (docs/results/speed-history.md, "A busy machine"). Counters are
only changed with the condition's lock held, so a thread that goes to sleep cannot miss a
wake-up. Where neither ``sched_yield`` nor Windows' ``SwitchToThread`` can be found, or with
``NUMBA_DISABLE_JIT=1``, the threads only sleep. ``python benchmarks/handover.py --spin`` times
training both ways (docs/results/speed-history.md).
"""
import ctypes
import threading

import numpy as np

SPIN_TURNS = 5000        # about 2.5 ms of yields on this project's machine, then sleep


def _cpu_yield():
    """The C function that gives up the CPU for a moment, or None."""
    try:
        function = ctypes.CDLL(None).sched_yield              # Linux, macOS
    except (AttributeError, OSError, TypeError):
        try:
            function = ctypes.windll.kernel32.SwitchToThread   # Windows
        except (AttributeError, OSError):
            return None
    function.restype, function.argtypes = ctypes.c_int, []
    return function


_spin_until = None               # compiled once per process (a forked child keeps it)


def _compile_spin():
    """``spin_until(counters, slot, target, turns)``: True as soon as counters[slot] >= target,
    False after ``turns`` yields; None where it cannot be compiled (see the module docstring)."""
    global _spin_until
    from numba import config, njit

    cpu_yield = _cpu_yield()
    if cpu_yield is None or config.DISABLE_JIT:
        return None
    if _spin_until is None:
        @njit(nogil=True)      # not cached: it calls a C function found at run time
        def spin_until(counters, slot, target, turns):
            for _ in range(turns):
                if counters[slot] >= target:
                    return True
                cpu_yield()    # an outside call: counters is read again at the next turn
            return counters[slot] >= target
        _spin_until = spin_until
    return _spin_until


class WorkerPool:
    """``size`` worker threads named ``prefix-0``, ``prefix-1``, ...; ``run(calls)`` runs
    ``calls[0]`` on the calling thread and the others on the workers, at the same time.

    Per worker i, two counters that only grow: ``posted[i]`` (calls handed to it) and
    ``finished[i]`` (the ``posted`` value of the last call it finished). A call and its count
    are posted, and taken, together under the lock, so a worker never runs a call twice; and
    waits are for ``>=``, so a caller interrupted after posting (Ctrl-C) leaves nothing that
    makes the next caller wait forever."""

    def __init__(self, size, prefix):
        self.size = size
        self.spin_until = _compile_spin()
        self.lock = threading.Condition()            # guards counters and calls; wakes sleepers
        self.busy = threading.Lock()                 # one caller at a time
        self.posted = np.zeros(size, np.int64)
        self.finished = np.zeros(size, np.int64)
        self.calls = [None] * size
        self.outcomes = [None] * size                # (True, result) or (False, exception)
        self.closing = False
        for i in range(size):
            threading.Thread(target=self._work, args=(i,), name=f"{prefix}-{i}",
                             daemon=True).start()

    def _wait(self, counters, i, target):
        """Until counters[i] >= target: spin, then sleep."""
        if self.spin_until is not None and self.spin_until(counters, i, target, SPIN_TURNS):
            return
        with self.lock:
            while counters[i] < target:
                self.lock.wait()

    def _post(self, i, call):
        """Hand ``call`` to worker i; returns the ticket ``finished[i]`` reaches when done."""
        with self.lock:
            self.calls[i] = call
            self.posted[i] += 1
            self.lock.notify_all()
            return int(self.posted[i])

    def _work(self, i):
        while True:
            self._wait(self.posted, i, self.finished[i] + 1)
            with self.lock:
                call, ticket, self.calls[i] = self.calls[i], int(self.posted[i]), None
            if self.closing:
                return
            try:
                self.outcomes[i] = (True, call())
            except BaseException as error:            # handed back to the caller
                self.outcomes[i] = (False, error)
            with self.lock:
                self.finished[i] = ticket
                self.lock.notify_all()

    def close(self):
        """Let the workers end, once the caller using the pool (if any) is done."""
        with self.busy:
            self.closing = True
            for i in range(self.size):
                self._post(i, None)

    def run(self, calls):
        """The results of ``calls`` (functions of no argument), in order; the first exception
        is raised once every call has ended. With more calls than workers + 1, or while another
        thread is using the pool, the calls run one after the other on this thread."""
        if len(calls) - 1 > self.size or not self.busy.acquire(blocking=False):
            return [call() for call in calls]
        try:
            tickets = [self._post(i, call) for i, call in enumerate(calls[1:])]
            outcomes = [(True, None)] * len(calls)
            try:
                outcomes[0] = (True, calls[0]())
            except BaseException as error:
                outcomes[0] = (False, error)
            for i, ticket in enumerate(tickets):
                self._wait(self.finished, i, ticket)
                outcomes[i + 1] = self.outcomes[i]
                self.outcomes[i] = None                  # no result kept alive here
        finally:
            self.busy.release()
        for ok, value in outcomes:
            if not ok:
                raise value
        return [value for _, value in outcomes]
