"""Start and stop the processes the server benchmark compares, each on a free loopback port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from node_tools import node_tool  # noqa: E402

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited early with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listened on {port} within {timeout} s")


def end_on_sigterm() -> None:
    """SIGTERM ends a bench like Ctrl-C does: through its ``finally`` blocks, which stop the
    processes it started (the default action would kill it and leave them running)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - the id was reused by someone else's group
        return False
    return True


def stop_group(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """End a process started in its own session and every process it started (npx leaves its
    node child running when only the wrapper is ended): SIGTERM, then SIGKILL, to the group."""
    group = proc.pid
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc.poll()  # reap the leader, else it stays a zombie member of the group
            if not _group_alive(group):
                break
            time.sleep(0.05)
        if not _group_alive(group):
            break
    proc.poll()
    if _group_alive(group):
        print(f"warning: processes of group {group} ({proc.args}) are still running")


@contextmanager
def process(command: list[str], port: int, **kwargs: object) -> Iterator[subprocess.Popen[bytes]]:
    # Its own session (so its own process group): the whole tree is ended with it, and a Ctrl-C
    # in the terminal reaches the bench only, which then ends the tree itself.
    proc = subprocess.Popen(  # noqa: S603 - fixed commands of this benchmark
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        start_new_session=True,
        **kwargs,
    )
    try:
        wait_for_port(port, proc)
        yield proc
    finally:
        stop_group(proc)


@contextmanager
def reference_server(db: Path, port: int) -> Iterator[tuple[subprocess.Popen[bytes], dict]]:
    creds_file = db.with_suffix(".credentials.json")
    command = [
        str(BIN / "usersapi"),
        "serve",
        "--demo",
        "--db",
        str(db),
        "--port",
        str(port),
        "--credentials",
        str(creds_file),
        "--docs-dir",
        str(db.parent / "no-docs"),
    ]
    with process(command, port) as proc:
        yield proc, json.loads(creds_file.read_text())


@contextmanager
def ceiling_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        str(BIN / "uvicorn"),
        "ceiling_app:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--no-proxy-headers",  # the same uvicorn settings as `usersapi serve`
        "--no-server-header",
        "--app-dir",
        str(ROOT / "bench"),
    ]
    with process(command, port) as proc:
        yield proc


@contextmanager
def prism_server(bundle: Path, port: int) -> Iterator[subprocess.Popen[bytes] | None]:
    command = node_tool("prism")
    if command is None:
        yield None
        return
    env = {**os.environ, "NODE_ENV": "production"}
    with process(
        [*command, "mock", "-p", str(port), "-h", "127.0.0.1", "-v", "warn", str(bundle)],
        port,
        env=env,
    ) as proc:
        yield proc


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
