"""A long answer streams through the proxy whole, its writes to the client joined per turn of
the event loop (generator/joined_writes.py); a long upload streams to the upstream whole."""

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


async def _upload(scope: dict, receive: Any, send: Any) -> None:
    """An upstream answering the SHA-256 and size of the body it received."""
    if scope["type"] != "http":
        return
    digest, size, more = hashlib.sha256(), 0, True
    while more:
        message = await receive()
        chunk = message.get("body", b"")
        digest.update(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
    body = b"%s %d" % (digest.hexdigest().encode(), size)
    head = [(b"content-type", b"text/plain")]
    await send({"type": "http.response.start", "status": 200, "headers": head})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def uploads() -> Iterator[Proxied]:
    sock, origin = loopback_socket()
    with serving(_upload, sock, lifespan="off"):
        yield from start_proxy("tyk-dashboard", origin)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_long_upload_reaches_the_upstream_whole(uploads: Proxied, chunked: bool) -> None:
    body = _body()  # 10 MiB: more than the proxy keeps of a body for the checks (4 MiB)
    content: Any = (
        iter([body[i : i + CHUNK] for i in range(0, len(body), CHUNK)]) if chunked else body
    )
    answer = httpx.post(uploads.origin + "/api/users", content=content, timeout=30)
    assert answer.text == f"{hashlib.sha256(body).hexdigest()} {len(body)}"
    assert uploads.session.wait_settled()
    assert uploads.session.result.errors == []
