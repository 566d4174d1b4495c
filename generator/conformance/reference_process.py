"""The reference server as a child process on a loopback port the system chose (``--port 0``).

The conformance suite tests it this way: in its own process the server has its own interpreter
lock, so the suite's workers and the server really run side by side on two cores. Only the
command line is shared with the server (``python -m generator serve``): nothing of
``generator.server`` is imported, so a suite aimed at a live server never loads it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class RunningServer:
    base_url: str  # http://127.0.0.1:<port>
    credentials: dict[str, Any]  # the --credentials document ({} without demo data)
    db_path: str

    @property
    def elements_url(self) -> str:
        return self.base_url + "/elements/api-v2"


class ServerStartError(RuntimeError):
    """The child process exited or did not start listening in time."""


@contextmanager
def server_process(*, scrypt_n: int = 2**10) -> Iterator[RunningServer]:
    """`usersapi serve --demo` on a temporary database; stopped when the block exits."""
    with tempfile.TemporaryDirectory(prefix="usersapi-") as tmp:
        folder = Path(tmp)
        creds_file, log_file = folder / "credentials.json", folder / "server.log"
        command = [sys.executable, "-m", "generator", "serve", "--demo", "--port", "0"]
        command += ["--db", str(folder / "users.sqlite3"), "--credentials", str(creds_file)]
        command += ["--docs-dir", str(folder / "no-docs")]
        # Cheap password hashes, as in every test run: the suite creates many users.
        env = {**os.environ, "USERSAPI_SCRYPT_N": str(scrypt_n)}
        with log_file.open("wb") as log:
            child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            base_url = _wait_until_serving(child, creds_file, log_file)
            credentials = json.loads(creds_file.read_text(encoding="utf-8"))
            yield RunningServer(base_url, credentials, str(folder / "users.sqlite3"))
        finally:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _wait_until_serving(child: subprocess.Popen[bytes], creds_file: Path, log_file: Path) -> str:
    """The server's base URL once it answers; its credentials file names the port it bound."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            tail = log_file.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise ServerStartError(f"the reference server exited ({child.returncode}):\n{tail}")
        base_url = _written_base_url(creds_file)
        if base_url is not None:
            try:
                httpx.get(base_url + "/api/users", timeout=1)  # any answer: it is listening
                return base_url
            except httpx.TransportError:
                pass
        time.sleep(0.05)
    raise ServerStartError(f"the reference server did not start within {START_TIMEOUT:.0f} s")


def _written_base_url(creds_file: Path) -> str | None:
    try:  # absent, or still being written: ask again
        return str(json.loads(creds_file.read_text(encoding="utf-8"))["tyk-dashboard"]["base_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
