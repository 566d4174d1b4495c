"""Start and stop the processes the server benchmark compares, each on a free loopback port."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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


@contextmanager
def process(command: list[str], port: int, **kwargs: object) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(  # noqa: S603 - fixed commands of this benchmark
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kwargs
    )
    try:
        wait_for_port(port, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


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


def prism_command() -> list[str] | None:
    local = ROOT / "build" / "npm" / "node_modules" / ".bin" / "prism"
    if local.exists():
        return [str(local)]
    if shutil.which("npx"):
        return ["npx", "--yes", "@stoplight/prism-cli@5"]
    return None


@contextmanager
def prism_server(bundle: Path, port: int) -> Iterator[subprocess.Popen[bytes] | None]:
    command = prism_command()
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
