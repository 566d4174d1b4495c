"""Writes to a client joined per turn of the event loop: an answer's head and body go in one
send, nothing is lost or reordered, and a long answer still streams through whole."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from event_loops import run_in_own_thread
from proxied import Proxied, start_proxy
from server_harness import loopback_socket, serving

from generator.proxy.client_writes import JoinedWrites

CHUNK = 256 << 10  # a quarter MiB per message of the upstream
CHUNKS = 40  # 10 MiB: past what the proxy gathers (64 KiB) and keeps for the checks (4 MiB)


class _Recording(asyncio.Transport):
    """An asyncio transport that records its writes instead of sending them."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def test_writes_of_one_turn_go_out_together_and_in_order() -> None:
    async def turns() -> _Recording:
        transport = _Recording()
        joined = JoinedWrites(transport, asyncio.get_running_loop())
        joined.write(b"HTTP/1.1 200 OK\r\n\r\n")
        joined.write(b"body")
        assert transport.writes == []  # held until the turn ends
        await asyncio.sleep(0)
        joined.write(b"next")
        await asyncio.sleep(0)
        joined.write(b"last")
        joined.close()  # what was held goes out before the connection closes
        assert transport.closed
        return transport

    transport = run_in_own_thread(turns())
    assert transport.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody", b"next", b"last"]


def _body() -> bytes:
    return b"".join(hashlib.sha256(b"%d" % n).digest() * (CHUNK // 32) for n in range(CHUNKS))


async def _download(scope: dict, receive: Any, send: Any) -> None:
    """An upstream whose every answer is a long download, sent a quarter MiB at a time."""
    if scope["type"] != "http":
        return
    body = _body()
    head = [(b"content-type", b"application/octet-stream")]
    await send({"type": "http.response.start", "status": 200, "headers": head})
    for start in range(0, len(body), CHUNK):
        chunk = body[start : start + CHUNK]
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def downloads() -> Iterator[Proxied]:
    sock, origin = loopback_socket()
    with serving(_download, sock, lifespan="off"):
        yield from start_proxy("tyk-dashboard", origin)


def test_a_long_answer_streams_through_whole(downloads: Proxied) -> None:
    answer = httpx.get(downloads.origin + "/api/users", timeout=30)
    assert answer.status_code == 200
    assert answer.content == _body()
