"""The judge process: it outlives the fork server it came from (a SIGTERM to the proxy's
process group ends that server at once), and what it still has to judge is judged; it runs at a
lower priority, and what waits for it is bounded."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from server_harness import RunningServer

from generator.proxy.exchange import Exchange
from generator.proxy.judge import GATHER_SECONDS, JUDGE_NICENESS, JudgedSession, JudgeFailed
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


def test_the_judge_runs_at_a_lower_priority_than_the_forwarding(server: RunningServer) -> None:
    with proxying("tyk-dashboard", server.base_url) as (_, session):
        judge = session.judge_pid
        assert judge is not None
        niceness = int(_stat(judge)[16])  # field 19 of /proc/PID/stat
        assert niceness == min(19, os.getpriority(os.PRIO_PROCESS, 0) + JUDGE_NICENESS)


def _exchange(number: int) -> Exchange:
    ex = Exchange("GET", b"/api/users", b"", [(b"x-request-id", str(number).encode())])
    ex.status = 401
    ex.keep_response(b'{"Status": "Error", "Message": "Not authorised", "Meta": null}')
    return ex


def test_exchanges_answered_close_together_go_over_in_one_hand_over(
    server: RunningServer,
) -> None:
    session = JudgedSession("tyk-dashboard", server.base_url, lambda line: None)
    judge = session.judge_pid
    assert judge is not None
    exchanges = [_exchange(number) for number in range(3)]

    async def forward_three() -> None:
        for ex in exchanges:
            session.on_exchange(ex)
            await asyncio.sleep(0)  # each answered in a turn of the loop of its own
        await asyncio.sleep(2 * GATHER_SECONDS)  # after the batch's flush, the earlier timer

    os.kill(judge, signal.SIGSTOP)  # nothing handed over is judged (and acknowledged) yet
    try:
        forwarding = threading.Thread(target=asyncio.run, args=(forward_three(),))
        forwarding.start()  # a thread of its own: a pytest worker may run an event loop
        forwarding.join(timeout=30)
        one_batch = pickle.dumps([ex.to_wire() for ex in exchanges], pickle.HIGHEST_PROTOCOL)
        assert session.waiting_bytes == len(one_batch)
    finally:
        os.kill(judge, signal.SIGCONT)
    assert session.finish().cases == 3


def test_a_full_backlog_holds_the_forwarding_until_the_judge_makes_room(
    server: RunningServer,
) -> None:
    # A backlog of one byte: once one exchange waits, the next hand-over waits for the judge.
    session = JudgedSession("tyk-dashboard", server.base_url, lambda line: None, backlog_bytes=1)
    judge = session.judge_pid
    assert judge is not None
    first = _exchange(0)

    async def forward_three() -> None:
        for number in range(3):
            session.on_exchange(first if number == 0 else _exchange(number))
            # Each in a batch of its own, three hand-overs: the batch's flush is the loop's
            # earlier timer, so it has run when this sleep ends.
            await asyncio.sleep(2 * GATHER_SECONDS)

    os.kill(judge, signal.SIGSTOP)  # nothing handed over is judged yet
    forwarding = threading.Thread(target=asyncio.run, args=(forward_three(),))
    try:
        forwarding.start()
        deadline = time.monotonic() + 30
        while session.handovers_delayed == 0:
            assert time.monotonic() < deadline, "the second hand-over did not wait"
            time.sleep(0.01)
        assert forwarding.is_alive()  # held: the judge has not judged the first one
        only_the_first = pickle.dumps([first.to_wire()], protocol=pickle.HIGHEST_PROTOCOL)
        assert session.waiting_bytes == len(only_the_first)  # bounded: the rest is held back
    finally:
        os.kill(judge, signal.SIGCONT)
        forwarding.join(timeout=30)
    assert not forwarding.is_alive()
    assert session.finish().cases == 3  # every exchange judged in the end
    assert session.waiting_bytes == 0


def test_exchanges_after_the_judge_died_are_not_held_in_memory(server: RunningServer) -> None:
    session = JudgedSession("tyk-dashboard", server.base_url, lambda line: None)
    judge = session.judge_pid
    assert judge is not None
    os.kill(judge, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while session.judge_alive() or session._reader.is_alive():  # the reader has seen it go
        assert time.monotonic() < deadline, "the judge's end was not noticed"
        time.sleep(0.01)

    async def forward() -> None:
        for number in range(200):
            session.on_exchange(_exchange(number))
            await asyncio.sleep(0)  # each a hand-over of its own

    # In a thread of its own, as the forwarding runs: this one may hold a running event loop.
    forwarding = threading.Thread(target=asyncio.run, args=(forward(),))
    forwarding.start()
    forwarding.join(timeout=30)
    assert not forwarding.is_alive()
    assert session.waiting_bytes == 0  # nothing queued that nobody will take off the queue
    with pytest.raises(JudgeFailed):
        session.finish()
