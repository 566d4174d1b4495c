"""Jobs shared with forked helpers: each runs once, results come back in order, a helper holds
at most one job at a time, and what goes wrong in a helper is raised here.

No test waits on time: where a test needs a helper to have taken a job, the job says so through
a pipe and the parent's own work waits for that.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from generator.docs import shared_jobs
from generator.docs.shared_jobs import run_shared


def _where(number: int) -> tuple[int, int]:
    return number, os.getpid()


@pytest.mark.parametrize("helpers", [0, 1, 3])
def test_every_job_runs_once_and_the_results_come_in_job_order(helpers: int) -> None:
    meanwhile: list[int] = []
    results = run_shared(
        [partial(_where, n) for n in range(40)], helpers, lambda: meanwhile.append(os.getpid())
    )
    assert [number for number, _ in results] == list(range(40))
    assert meanwhile == [os.getpid()]  # the caller's own work, once, in the caller
    if helpers == 0:
        assert {pid for _, pid in results} == {os.getpid()}


def test_no_helper_is_forked_for_a_single_job() -> None:
    assert run_shared([partial(_where, 0)], 3, lambda: None) == [(0, os.getpid())]


class _Signal:
    """A pipe one process writes a byte to and another waits on."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()

    def send(self, data: bytes = b"x") -> None:
        os.write(self.write_fd, data)

    def wait(self, size: int = 1) -> bytes:
        return os.read(self.read_fd, size)

    def close(self) -> None:
        os.close(self.read_fd)
        os.close(self.write_fd)


@pytest.fixture
def signal() -> Iterator[Callable[[], _Signal]]:
    made: list[_Signal] = []

    def make() -> _Signal:
        made.append(_Signal())
        return made[-1]

    yield make
    for one in made:
        one.close()


def _jobs(count: int, in_helper: Callable[[int], object]) -> list[Callable[[], object]]:
    """``count`` jobs giving their number here, and running ``in_helper`` in a helper."""
    parent = os.getpid()

    def job(number: int) -> object:
        return number if os.getpid() == parent else in_helper(number)

    return [partial(job, n) for n in range(count)]


def test_a_starved_helper_holds_one_job_and_the_caller_does_the_others(
    signal: Callable[[], _Signal],
) -> None:
    """The helper's first job does not end before every other job is done, as if the machine
    gave the helper no CPU: the caller does all the others, it is not held up by a share."""
    taken, others_done = signal(), signal()
    count, parent, done_here = 12, os.getpid(), []

    def job(number: int) -> tuple[int, int]:
        if os.getpid() != parent:
            taken.send()
            others_done.wait()
        else:
            done_here.append(number)
            if len(done_here) == count - 1:
                others_done.send()
        return number, os.getpid()

    results = run_shared([partial(job, n) for n in range(count)], 1, taken.wait)
    assert [number for number, _ in results] == list(range(count))
    assert len([pid for _, pid in results if pid != parent]) == 1
    assert len(done_here) == count - 1


class _Unpicklable(Exception):
    def __reduce__(self) -> object:
        raise TypeError("cannot pickle this")


def _fail(error: Exception, taken: _Signal, number: int) -> object:
    taken.send()
    raise error


@pytest.mark.parametrize(
    "error, raised_as, message",
    [
        (ValueError("a job failed"), ValueError, "a job failed"),
        (_Unpicklable("a job failed"), RuntimeError, "_Unpicklable: a job failed"),
        (KeyError(threading.Lock()), KeyError, "unlocked _thread.lock"),
    ],
    ids=["as itself", "unpicklable, as a RuntimeError", "unpicklable, built-in, as its kind"],
)
def test_an_error_in_a_helper_is_raised_in_the_caller_with_the_helper_traceback(
    signal: Callable[[], _Signal], error: Exception, raised_as: type[Exception], message: str
) -> None:
    taken = signal()
    with pytest.raises(raised_as, match=message) as raised:
        run_shared(_jobs(6, partial(_fail, error, taken)), 1, taken.wait)
    told = str(raised.value) + "".join(getattr(raised.value, "__notes__", []))
    assert "in a helper process:" in told and "in _fail" in told


def _die(taken: _Signal, number: int) -> object:
    taken.send()
    os._exit(3)


def test_a_helper_that_dies_is_an_error_not_a_hang(signal: Callable[[], _Signal]) -> None:
    taken = signal()
    with pytest.raises(RuntimeError, match=r"ended without its results \(exit code 3\)"):
        run_shared(_jobs(6, partial(_die, taken)), 1, taken.wait)


def test_when_the_caller_fails_its_helpers_are_ended(signal: Callable[[], _Signal]) -> None:
    """A helper in the middle of a job that would never end is ended and reaped when the
    caller's own work raises."""
    taken, never = signal(), signal()

    def in_helper(number: int) -> object:
        taken.send(os.getpid().to_bytes(4, "little"))
        never.wait()
        return number

    def meanwhile() -> None:
        nonlocal helper
        helper = int.from_bytes(taken.wait(4), "little")
        raise KeyError("the caller's own work failed")

    helper = 0
    with pytest.raises(KeyError, match="the caller's own work failed"):
        run_shared(_jobs(4, in_helper), 1, meanwhile)
    with pytest.raises(ChildProcessError):
        os.waitpid(helper, os.WNOHANG)  # ended and reaped: no such child any more


@pytest.mark.parametrize("forks_allowed", [0, 1])
def test_when_the_system_refuses_a_process_those_started_do_the_work(
    monkeypatch: pytest.MonkeyPatch, forks_allowed: int
) -> None:
    real_fork, forks = os.fork, []

    def fork() -> int:
        if len(forks) == forks_allowed:
            raise BlockingIOError("Resource temporarily unavailable")
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(shared_jobs.os, "fork", fork)
    results = run_shared([partial(_where, n) for n in range(20)], 3, lambda: None)
    assert [number for number, _ in results] == list(range(20))
    assert len({pid for _, pid in results} - {os.getpid()}) <= forks_allowed


def test_a_process_that_dies_taking_a_job_leaves_the_others_going() -> None:
    """A helper killed in the middle of taking a job (the OOM killer, a SIGKILL) does not
    leave the number of the next job held: the kernel lets go of a dead process's lock."""
    next_job = shared_jobs._NextJob(3)
    try:
        assert next_job.take() == 0
        pid = os.fork()
        if pid == 0:  # the helper: dies while it holds the number
            with next_job.held():
                os._exit(9)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 9
        taken: list[int | None] = []
        taker = threading.Thread(target=lambda: taken.append(next_job.take()), daemon=True)
        taker.start()
        taker.join(timeout=30)  # a held number would block it for ever
        assert taken == [1]
        assert [next_job.take(), next_job.take()] == [2, None]
    finally:
        next_job.close()
