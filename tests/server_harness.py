"""Test helpers: the reference server in a background thread, and a contract-checking client.

`running_server` starts the real server in-process on a port the OS chose; `ResponseChecker`
and `ApiClient` check every answer against the bundled contract of its operation.
"""

from __future__ import annotations

import json
import socket
import socketserver
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from generator.conformance.reference_process import RunningServer
from generator.openapi.refs import resolve
from generator.openapi.walk import iter_operations
from generator.server import passwords
from generator.server.app import build_app
from generator.server.demo import credentials as demo_credentials
from generator.server.validation import compile_schema


def loopback_socket() -> tuple[socket.socket, str]:
    """A socket bound to 127.0.0.1 on a port the OS picked, and its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextmanager
def serving(app: Any, sock: socket.socket, *, lifespan: str = "on") -> Iterator[None]:
    """Run uvicorn with app on sock in a background thread until the block exits."""
    # "error": malformed requests from fuzzers would otherwise print a warning each.
    config = uvicorn.Config(app, log_level="error", access_log=False, lifespan=lifespan)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def socket_serving(server: socketserver.BaseServer) -> Iterator[str]:
    """A socketserver (bound to a loopback port already) serving in a thread: its origin."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def running_server(
    db_path: str | Path | None = None,
    demo: bool = True,
    *,
    specs: dict[str, dict[str, Any]] | None = None,
    scrypt_n: int = 2**10,
    docs_dir: Path | None = None,
) -> Iterator[RunningServer]:
    """A live server on 127.0.0.1 (port chosen by the OS); stopped when the block exits.

    With docs_dir, a rendered docs site is served under /docs/ as `usersapi serve` does.
    """
    passwords.configure(n=scrypt_n)  # cheap hashes keep tests fast; production uses 2**14
    with tempfile.TemporaryDirectory(prefix="usersapi-") as tmp:
        path = str(db_path) if db_path is not None else str(Path(tmp) / "users.sqlite3")
        app = build_app(path, demo=demo, specs=specs, docs_dir=docs_dir)
        sock, base_url = loopback_socket()
        with serving(app, sock):
            yield RunningServer(base_url, demo_credentials(app.state.server, base_url), path)


class ContractMismatch(AssertionError):
    pass


class ResponseChecker:
    """Checks a live response against the bundled contract of its operation (status, body)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.operations: dict[str, dict[str, Any]] = {
            op.node["operationId"]: op.node for op in iter_operations(spec)
        }
        self._validators: dict[tuple[str, str], Any] = {}

    def _response(self, operation_id: str, status: int) -> dict[str, Any]:
        responses = self.operations[operation_id].get("responses", {})
        documented = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
        if documented is None:
            raise ContractMismatch(f"{operation_id}: status {status} is not documented")
        return resolve(self.spec, documented)

    def check(self, operation_id: str, status: int, headers: Any, body: bytes) -> Any:
        """The parsed JSON body (or None) after checking it is what the contract documents."""
        content = self._response(operation_id, status).get("content")
        if not content:
            if body:
                raise ContractMismatch(
                    f"{operation_id} {status}: expected no body, got {body[:80]!r}"
                )
            return None
        media_type = headers.get("content-type", "").split(";")[0]
        if media_type not in content:
            raise ContractMismatch(
                f"{operation_id} {status}: content type {media_type!r} undocumented"
            )
        value = json.loads(body)
        schema = content[media_type].get("schema")
        if schema is not None:
            key = (operation_id, str(status))
            if key not in self._validators:
                self._validators[key] = compile_schema(self.spec, schema)
            errors = [
                f"{'/'.join(map(str, e.instance_path))}: {e.message}"
                for e in self._validators[key].iter_errors(value)
            ]
            if errors:
                raise ContractMismatch(f"{operation_id} {status}: " + "; ".join(errors[:5]))
        return value


class ApiClient:
    """Calls one API and checks every answer against the operation's documented response."""

    def __init__(self, base_url: str, authorization: str, checker: ResponseChecker) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.authorization = authorization
        self.checker = checker

    def call(
        self, operation_id: str, method: str, path: str, status: int = 200, **kwargs: Any
    ) -> Any:
        headers = {"Authorization": self.authorization, **kwargs.pop("headers", {})}
        response = self.http.request(method, path, headers=headers, **kwargs)
        assert response.status_code == status, (response.status_code, response.text)
        self.last = response
        return self.checker.check(operation_id, status, response.headers, response.content)
