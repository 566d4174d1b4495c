"""The checks' own client against a server that closes a kept-alive connection under a request.

A server's keep-alive timeout can end a connection just as a check's read-back goes out on it
(seen once in 300 precision runs: `second_org_isolated` crashed on a reset). The servers here
do it on purpose, on the request they choose, so no test waits for a timeout.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from generator.conformance.probe_http import probe_client

OK = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
# (connection number from 1, request number on it from 1) -> answer it, or close unanswered
Answers = Callable[[int, int], bool]


def _read_request(conn: socket.socket) -> bool:
    """One request head (the clients here send no body); False once the client hung up."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return False
        data += chunk
    return True


@contextmanager
def raw_server(answers: Answers) -> Iterator[tuple[str, list[int]]]:
    """A loopback HTTP/1.1 server: (base URL, requests read per connection)."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    seen: list[int] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # the listener was closed: the test is over
            seen.append(0)
            number = len(seen)
            with conn:
                while _read_request(conn):
                    seen[number - 1] += 1
                    if not answers(number, seen[number - 1]):
                        break  # close without a status line
                    conn.sendall(OK)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept (close alone does not)
        listener.close()
        thread.join(timeout=10)


def test_a_request_on_a_connection_closed_under_it_is_sent_again_on_a_fresh_one() -> None:
    # The first connection answers its first request, then closes under the second.
    answers: Answers = lambda conn, request: conn > 1 or request == 1  # noqa: E731
    with raw_server(answers) as (base, seen), probe_client(base, {}) as client:
        assert client.get("/first").status_code == 200
        assert client.get("/second").status_code == 200
    assert seen[:2] == [2, 1]  # the second request: dropped on connection 1, answered on 2


def test_a_server_that_drops_every_request_is_reported_after_one_retry() -> None:
    dropping = raw_server(lambda conn, request: False)
    refused = pytest.raises(httpx.RemoteProtocolError)
    with dropping as (base, seen), probe_client(base, {}) as client, refused:
        client.get("/")
    assert seen[:2] == [1, 1] and len(seen) == 2  # sent twice, on two connections, no more
