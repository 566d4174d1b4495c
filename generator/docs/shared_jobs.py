"""Independent jobs shared by this process and forked helpers, each taking the next job as soon
as it is free.

The split is decided as the work goes, never beforehand: a helper holds at most one job at a
time, so when the machine is busy and a helper is starved of CPU, this process takes the jobs
it would have taken and waits at most for the one it holds (a static half-and-half split made
the whole wait for a starved helper's half: slower than one process alone). The helpers are
forked, so they share everything built before (a view model, compiled templates) without
copying it; jobs report small results (their bytes written) back through a pipe each.

Where ``os.fork`` is missing (Windows), or no helper is asked for, the jobs run here, in order.
"""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Generic, NoReturn, TypeVar

T = TypeVar("T")

_NUMBER = struct.Struct("=I")


class _NextJob:
    """The number of the next job, in memory this process and its forked helpers share, changed
    under a lock on a file they share. The kernel lets go of a process's lock when it dies, so
    a helper killed while taking a job (the OOM killer, a SIGKILL) leaves the others going: its
    missing results then say it died (a number passed through a pipe, as before, was lost with
    it, and every other process waited for it forever)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._number = mmap.mmap(-1, _NUMBER.size)  # anonymous: shared with forked children
        self._lock_file = tempfile.TemporaryFile()  # noqa: SIM115 - open until close()

    @contextmanager
    def held(self) -> Iterator[None]:
        """This process alone holds the number (a POSIX record lock belongs to its process:
        unlike an flock, it is not shared with the children through the forked descriptor)."""
        import fcntl  # here: Windows has none, and no fork either, so no _NextJob

        fd = self._lock_file.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def take(self) -> int | None:
        """The number of a job no process has taken, or None when every job is taken."""
        with self.held():
            (number,) = _NUMBER.unpack_from(self._number)
            if number < self.count:
                _NUMBER.pack_into(self._number, 0, number + 1)
        return number if number < self.count else None

    def close(self) -> None:
        self._number.close()
        self._lock_file.close()


def _take_jobs(jobs: Sequence[Callable[[], T]], next_job: _NextJob) -> Iterator[tuple[int, T]]:
    while (number := next_job.take()) is not None:
        yield number, jobs[number]()


class _Helper(Generic[T]):
    """A forked process taking jobs until none is left, then sending back its results."""

    def __init__(self, jobs: Sequence[Callable[[], T]], next_job: _NextJob) -> None:
        self.reaped = False
        self.results_fd, write_fd = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(self.results_fd)
            os.close(write_fd)
            raise
        if self.pid == 0:
            _help(jobs, next_job, self.results_fd, write_fd)
        os.close(write_fd)

    def results(self) -> list[tuple[int, T]]:
        """What the helper did, once it ended; its exception raised here if it raised one."""
        data = b"".join(iter(lambda: os.read(self.results_fd, 1 << 16), b""))
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if not data:
            raise RuntimeError(f"a helper process ended without its results ({_ended(status)})")
        outcome = pickle.loads(data)  # noqa: S301 - our own child's bytes, through our own pipe
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome  # type: ignore[no-any-return]

    def end(self) -> None:
        """Close the pipe, and end the helper if it is still there (its work is given up)."""
        os.close(self.results_fd)
        if not self.reaped:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _help(
    jobs: Sequence[Callable[[], T]], next_job: _NextJob, results_fd: int, write_fd: int
) -> NoReturn:
    """The helper's whole life: it must never return into the code that forked it (that code
    would then run twice), nor run the exit handlers and flush the buffers it inherited."""
    code = 1
    try:
        os.close(results_fd)
        outcome: object
        try:
            outcome = list(_take_jobs(jobs, next_job))
        except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
            outcome = _portable(error)
        with os.fdopen(write_fd, "wb") as pipe:
            pickle.dump(outcome, pipe)
        code = 0
    finally:
        os._exit(code)


def _portable(error: BaseException) -> BaseException:
    """``error`` with the helper's traceback as a note. One that cannot be pickled goes as its
    text: in the same built-in kind when it has one (a caller catches errors by kind), else as
    a RuntimeError naming its kind."""
    where = "in a helper process:\n" + "".join(traceback.format_exception(error))
    error.add_note(where)
    if _pickles(error):
        return error
    kind = type(error)
    try:  # a built-in kind made again from its text (some need more than one argument)
        text = kind(str(error)) if kind.__module__ == "builtins" else None
    except TypeError:
        text = None
    if text is None or not _pickles(text):
        return RuntimeError(f"{kind.__name__}: {error}\n{where}")
    text.add_note(where)
    return text


def _pickles(error: BaseException) -> bool:
    try:
        pickle.dumps(error)
    except Exception:  # noqa: BLE001 - any error pickle raises on an arbitrary object
        return False
    return True


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def run_shared(
    jobs: Sequence[Callable[[], T]], helpers: int, meanwhile: Callable[[], None]
) -> list[T]:
    """The results of ``jobs``, in their order, run by this process and up to ``helpers``
    forked ones; ``meanwhile`` is this process's own work, done while the helpers start on
    the jobs (it takes jobs too once it is done)."""
    helpers = min(helpers, len(jobs) - 1) if hasattr(os, "fork") else 0
    if helpers < 1:
        meanwhile()
        return [job() for job in jobs]
    next_job = _NextJob(len(jobs))
    started: list[_Helper[T]] = []
    try:
        for _ in range(helpers):
            try:
                started.append(_Helper(jobs, next_job))
            except OSError:  # the system refuses another process: those started do the work
                break
        meanwhile()
        done = dict(_take_jobs(jobs, next_job))
        for helper in started:
            done.update(helper.results())
    finally:
        for helper in started:
            helper.end()
        next_job.close()
    return [done[number] for number in range(len(jobs))]
