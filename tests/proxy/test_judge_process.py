"""The judge process: it outlives the fork server it came from (a SIGTERM to the proxy's
process group ends that server at once), and what it still has to judge is judged."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
from server_harness import RunningServer

from generator.proxy.serve import proxying


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name: state, parent pid, ..."""
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def _wait_ended(pid: int) -> None:
    """Until the process has ended (a zombie: its parent, this test's process, has not reaped
    it; multiprocessing does, and starts a new fork server, when a proxy next needs one)."""
    deadline = time.monotonic() + 30
    while _stat(pid)[0] != "Z":
        assert time.monotonic() < deadline, f"process {pid} did not end"
        time.sleep(0.01)


def test_the_judge_outlives_its_fork_server_and_drains_its_queue(server: RunningServer) -> None:
    auth = {"Authorization": server.credentials["tyk-dashboard"]["Authorization"]}
    lines: list[str] = []
    with proxying("tyk-dashboard", server.base_url, lines.append) as (origin, session):
        judge = session.judge_pid
        assert judge is not None
        os.kill(judge, signal.SIGSTOP)  # held: nothing sent from now on is judged yet
        try:
            for path in ("/api/users", "/api/users", "/api/undocumented"):
                httpx.get(origin + path, headers=auth)
            fork_server = int(_stat(judge)[1])
            os.kill(fork_server, signal.SIGTERM)
            _wait_ended(fork_server)
            assert session.judge_alive()
        finally:
            os.kill(judge, signal.SIGCONT)
    assert session.result.cases == 3
    violations = [line for line in lines if line.startswith("VIOLATION")]
    assert len(violations) == 1 and " GET /api/undocumented operation_documented:" in violations[0]
