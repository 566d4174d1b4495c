"""A faithful pass-through HTTP proxy, as a gateway in front of a live server is.

Every request goes to the target unchanged (method, path, query, headers, body) and every answer
comes back unchanged: a suite run through it must give the same verdict as one without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from faulty_servers import read_body
from server_harness import loopback_socket, serving

_HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive"}
_DECODED = {"content-encoding"}  # httpx hands over the body decoded


def _forwarding_app(target: str, client: httpx.AsyncClient) -> Any:
    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        headers = [(k, v) for k, v in scope["headers"] if k.decode("latin-1") not in _HOP_BY_HOP]
        url = target + scope["raw_path"].decode("latin-1")
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode("latin-1")
        request = client.build_request(scope["method"], url, headers=headers, content=body)
        answer = await client.send(request)
        out = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in answer.headers.multi_items()
            if k.lower() not in _HOP_BY_HOP | _DECODED
        ]
        out.append((b"content-length", str(len(answer.content)).encode()))
        await send({"type": "http.response.start", "status": answer.status_code, "headers": out})
        await send({"type": "http.response.body", "body": answer.content})

    return app


@contextmanager
def pass_through(target: str) -> Iterator[str]:
    """A proxy to `target` (an origin) on a free loopback port; its own origin."""
    client = httpx.AsyncClient(timeout=30)
    sock, origin = loopback_socket()
    with serving(_forwarding_app(target.rstrip("/"), client), sock, lifespan="off"):
        yield origin
