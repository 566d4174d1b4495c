"""Exchanges judged in a process of their own, behind the forwarding.

The client's answer never depends on the verdict, so the forwarding process only queues each
exchange once the answer is out and goes on serving; a judge process runs the `ProxySession`
(the checks, the counts, the coverage) on another core, and sends back each violation line as
it finds it. Ctrl-C or SIGTERM stops the forwarding only: `finish` then waits until every queued
exchange is judged, so nothing seen is missing from the reports. The judge ignores those
signals itself (a terminal sends Ctrl-C to the whole process group).

The exchanges answered within `GATHER_SECONDS` of each other go over together (`BATCH` at
most): one hand-over instead of one per exchange. Each hand-over wakes two threads of the
forwarding process (the queue's feeder, then the reader of the judge's acknowledgement), and
those wakes take the interpreter from the event loop: gathering over a few milliseconds rather
than one turn of the loop (34 exchanges a batch under load, against 3.9) raised the proxy's
throughput by about a quarter (docs/proxy-and-coverage.md). A violation line is printed at
most that much later, and asking for the standing hands over what is gathered at once.

The judge runs at a lower CPU priority (`JUDGE_NICENESS`): where the forwarding and the judge
want the same core, the forwarding gets it, so a burst of traffic is answered at the pace of
the forwarding alone and judged after it. A batch waits for the judge pickled, as one bytes
object: a third of the memory its objects took (1.1 KB for a GET of one user, against 2.9),
none of it for the garbage collector to walk, and the backlog is its bytes. It is bounded
(`BACKLOG_BYTES`, about 30,000 small exchanges): the judge reports each batch it has judged,
and when that much is not judged yet, handing over more waits for it, so a sustained overload
slows the forwarding down to the judging instead of holding an ever longer backlog in memory.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.conformance.results import SuiteResult

from .exchange import Exchange

BATCH = 64
GATHER_SECONDS = 0.005  # how long the first exchange of a batch waits for others
BACKLOG_BYTES = 32 << 20  # of pickled exchanges handed over and not judged yet (1.1 KB a GET)
JUDGE_NICENESS = 10  # CFS weights: a nice-0 process on the same core gets 9 times its share
STARTUP = 60.0  # seconds for the judge process to start (a loaded machine)
POLL = 0.5  # seconds between looks at whether the other process is still alive
Echo = Callable[[str], None]
_PROC = Path("/proc/self/stat").exists()
# A fork server forks every judge from one clean process with the checks imported already: no
# thread of the caller (uvicorn's, a test's browser) is copied, and no judge imports them again.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["generator.proxy.session"])


class JudgeFailed(Exception):
    """The judge process ended before it reported (a defect of ours, or it was killed)."""


@dataclass
class Standing:
    """The session as judged so far, as the judge reports it."""

    result: SuiteResult
    violations: int
    outside: int
    memo_hits: int
    base_path: str = ""  # the API's, outside which requests are forwarded unjudged


def _judge(api: str, upstream: str, inbox: Any, outbox: Any) -> None:
    """The judge process: every exchange queued, in order, until told to finish."""
    from generator.openapi.bundle import bundle_api

    from .session import ProxySession

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)  # the forwarding process decides when to stop
    if hasattr(os, "nice"):  # not on Windows: there the judge shares the cores evenly
        os.nice(JUDGE_NICENESS)
    outbox.put(("ready", None))
    session = ProxySession(api, bundle_api(api), upstream, lambda line: outbox.put(("line", line)))
    parent = multiprocessing.parent_process()
    while True:
        try:
            kind, payload = inbox.get(timeout=POLL)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return  # the proxy was killed: nobody is left to report to
            continue
        if kind == "exchanges":
            for fields in pickle.loads(payload):
                session.on_exchange(Exchange.from_wire(fields))
            outbox.put(("judged", len(payload)))  # makes room in the backlog
            continue
        if kind == "finish":
            session.finish()
        standing = Standing(
            session.result,
            session.violations,
            session.outside,
            session.memo.hits,
            session.inspector.base_path,
        )
        outbox.put(("standing", (payload, standing)))
        if kind == "finish":
            return


class JudgedSession:
    """The forwarding side of a session: queues exchanges, echoes violations, reports."""

    def __init__(
        self, api: str, upstream: str, echo: Echo, backlog_bytes: int = BACKLOG_BYTES
    ) -> None:
        self.upstream = upstream
        self.echo = echo
        self.standing = Standing(_empty_result(api, upstream), 0, 0, 0)
        self._inbox = _CONTEXT.Queue()  # bounded by the bytes waiting (`_room`), not by count
        self._outbox = _CONTEXT.Queue()
        self._process = _CONTEXT.Process(
            target=_judge, args=(api, upstream, self._inbox, self._outbox), daemon=True
        )
        self._process.start()
        # Until the judge ignores Ctrl-C, one would kill it: the proxy listens only after that.
        try:
            self._outbox.get(timeout=STARTUP)
        except queue.Empty:
            self._process.kill()
            raise JudgeFailed(f"the judge process did not start within {STARTUP:.0f} s") from None
        self._batch: list[tuple] = []
        self._handing = threading.Lock()  # a batch and a question go over in their order
        self._backlog_bytes = backlog_bytes
        self.waiting_bytes = 0  # of the batches handed over and not judged yet
        self.handovers_delayed = 0  # hand-overs that waited for the judge to make room
        self._room = threading.Condition()
        self._judge_gone = False
        self._asked = 0
        self._answered: dict[int, Standing] = {}
        self._answer = threading.Condition()
        self._finished: SuiteResult | None = None
        self._reader = threading.Thread(target=self._read, name="judge-reader", daemon=True)
        self._reader.start()

    @property
    def result(self) -> SuiteResult:
        return self.standing.result

    @property
    def violations(self) -> int:
        return self.standing.violations

    @property
    def outside(self) -> int:
        return self.standing.outside

    @property
    def base_path(self) -> str:
        return self.standing.base_path

    @property
    def judge_pid(self) -> int | None:
        return self._process.pid

    def judge_alive(self) -> bool:
        """Whether the judge process still runs. Asked of the process itself: the fork server
        that reports its end dies with a SIGTERM sent to the whole process group, and then
        reports a judge still working through its queue as ended."""
        if not _PROC:  # the fork server's word, then
            return self._process.is_alive()
        try:
            stat = Path(f"/proc/{self._process.pid}/stat").read_text()
        except OSError:
            return False  # ended and reaped
        return stat.rpartition(")")[2].split()[0] not in ("Z", "X")  # a zombie has ended

    def on_exchange(self, ex: Exchange) -> None:
        """Queue one exchange for judging; called in the forwarding's event loop."""
        with self._handing:
            self._batch.append(ex.to_wire())
            if len(self._batch) >= BATCH:
                self._hand_over()
            elif len(self._batch) == 1:  # the others answered meanwhile join it
                asyncio.get_running_loop().call_later(GATHER_SECONDS, self._flush)

    def _flush(self) -> None:
        with self._handing:
            self._hand_over()

    def _hand_over(self) -> None:
        """The batch to the judge (waits only when the backlog is full); under `_handing`."""
        if not self._batch:
            return
        if self._judge_gone:  # nothing would judge it, nor take it off the queue; `finish` says so
            self._batch = []
            return
        pickled = pickle.dumps(self._batch, protocol=pickle.HIGHEST_PROTOCOL)
        self._batch = []
        with self._room:
            if not self._has_room():
                self.handovers_delayed += 1
                self._room.wait_for(self._has_room)
            self.waiting_bytes += len(pickled)
        self._inbox.put(("exchanges", pickled))

    def _has_room(self) -> bool:
        return self.waiting_bytes < self._backlog_bytes or self._judge_gone

    def _read(self) -> None:
        """Violation lines echoed as they come; standings handed to whoever asked."""
        while True:
            try:
                kind, payload = self._outbox.get(timeout=POLL)
            except queue.Empty:
                if not self.judge_alive():
                    break
                continue
            if kind == "line":
                self.echo(payload)
                continue
            if kind == "judged":
                with self._room:
                    self.waiting_bytes -= payload
                    self._room.notify_all()
                continue
            token, standing = payload
            with self._answer:
                self.standing = standing
                self._answered[token] = standing
                self._answer.notify_all()
        with self._room:
            self._judge_gone = True
            self._room.notify_all()
        with self._answer:
            self._answer.notify_all()  # the judge is gone: no waiter waits for nothing

    def _ask(self, kind: str, timeout: float | None) -> Standing | None:
        """The standing once every exchange queued before this call is judged."""
        with self._answer:
            self._asked += 1
            token = self._asked
        with self._handing:  # after every exchange handed over so far
            self._hand_over()
            self._inbox.put((kind, token))
        with self._answer:
            self._answer.wait_for(
                lambda: token in self._answered or not self._reader.is_alive(), timeout
            )
            return self._answered.pop(token, None)

    def wait_settled(self, timeout: float = 30) -> bool:
        """Wait until every exchange handed over so far is judged (a client may have its answer
        before its exchange is judged); whether that happened within the timeout."""
        return self._ask("settle", timeout) is not None

    def finish(self) -> SuiteResult:
        """Judge what is still queued, end the judge; the session's result (once)."""
        if self._finished is None:
            standing = self._ask("finish", None)
            self._process.join()
            if standing is None:
                raise JudgeFailed(f"the judge process {_how_ended(self._process.exitcode)}")
            self._finished = standing.result
        return self._finished


def _how_ended(exitcode: int | None) -> str:
    """How the judge process ended, as a person reads it: a negative code is a signal."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed ({signal.Signals(-exitcode).name})"
        except ValueError:
            return f"was killed (signal {-exitcode})"
    return f"ended with code {exitcode}"


def _empty_result(api: str, upstream: str) -> SuiteResult:
    return SuiteResult(
        api=api, base_url=upstream, timestamp="", seed=None, max_examples=0, workers=1
    )
