"""The benches end every process they start, children included (npx leaves its node child
running when only the wrapper is ended), on their normal end and on SIGTERM or Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from servers import stop_group  # noqa: E402

# A wrapper like npx: starts a child that outlives it unless its whole group is ended.
WRAPPER = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
open(sys.argv[1], "w").write(str(child.pid))
time.sleep(300)
"""
# A bench in miniature: starts the wrapper in its own session, ends it on SIGTERM or Ctrl-C.
DRIVER = """
import signal, subprocess, sys
# As a terminal starts it: Ctrl-C neither ignored nor blocked, whatever this test's process
# passed on. A suite started in the background by a non-interactive shell (`.ci/run &`, as a
# CI scheduler may) runs with SIGINT ignored from the start: POSIX shells ignore it for
# asynchronous commands when job control is off, and every child inherits that.
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
sys.path.insert(0, sys.argv[1])
from servers import end_on_sigterm, stop_group
end_on_sigterm()
wrapper = subprocess.Popen([sys.executable, "-c", sys.argv[2], sys.argv[3]], start_new_session=True)
try:
    wrapper.wait()
finally:
    stop_group(wrapper)
"""


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State"))
    except (FileNotFoundError, ProcessLookupError):
        return False
    return " Z " not in state and "(zombie)" not in state


def _child_pid(pid_file: Path, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # polls until the child is started, no fixed wait
        text = pid_file.read_text() if pid_file.exists() else ""
        if text:
            return int(text)
        time.sleep(0.02)
    raise AssertionError("the wrapper did not start its child")


def test_stopping_a_wrapper_ends_its_child_too(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    wrapper = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, str(pid_file)], start_new_session=True
    )
    child = _child_pid(pid_file)
    assert _alive(child)
    stop_group(wrapper)
    assert wrapper.poll() is not None
    assert not _alive(child)


def test_a_bench_ended_by_sigterm_or_ctrl_c_ends_what_it_started(tmp_path: Path) -> None:
    for number, sig in enumerate((signal.SIGTERM, signal.SIGINT)):
        pid_file = tmp_path / f"child{number}.pid"
        driver = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(BENCH), WRAPPER, str(pid_file)]
        )
        child = _child_pid(pid_file)
        driver.send_signal(sig)
        driver.wait(timeout=60)
        assert not _alive(child), f"the child outlived the bench after {sig.name}"
