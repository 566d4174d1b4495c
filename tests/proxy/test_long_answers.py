"""A long answer streams through the proxy whole, its writes to the client joined per turn of
the event loop (generator/joined_writes.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from proxied import Proxied, start_proxy
from server_harness import loopback_socket, serving

CHUNK = 256 << 10  # a quarter MiB per message of the upstream
CHUNKS = 40  # 10 MiB: past what the proxy gathers (64 KiB) and keeps for the checks (4 MiB)


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
