"""The forwarding ASGI app: every request to the upstream and every answer back, unchanged.

Bodies stream in both directions (a copy is kept for the checks, up to `KEPT_BODY`); only
hop-by-hop headers, which belong to one connection, are not passed on (`upstream.py` sends the
request as it came, with the upstream's `Host`). The exchange is handed to
`on_exchange` after the client has the whole answer, which only queues it for the judge process:
judging never delays or alters an answer.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from .exchange import Exchange
from .upstream import Upstream, UpstreamError, UpstreamInvalid

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authenticate",
        b"transfer-encoding",
        b"te",
        b"trailer",
        b"upgrade",
        b"host",
    }
)
GATHERED = 64 << 10


class ClientGone(Exception):
    """The client went away before the end of its request's body."""


GatewayError = Callable[[str], tuple[int, list[tuple[bytes, bytes]], bytes]]


class ForwardingApp:
    def __init__(
        self,
        upstream: str,
        on_exchange: Callable[[Exchange], None],
        bad_gateway: GatewayError,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.on_exchange = on_exchange
        self.bad_gateway = bad_gateway
        self.client: Upstream | None = None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._forward(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.client is not None:
                    await self.client.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _client(self) -> Upstream:
        if self.client is None:  # its connections belong to the server's event loop
            self.client = Upstream(self.upstream)
        return self.client

    async def _forward(self, scope: dict, receive: Any, send: Any) -> None:
        ex = Exchange(
            method=scope["method"],
            raw_path=scope.get("raw_path") or scope["path"].encode("utf-8"),
            query_string=scope.get("query_string", b""),
            headers=list(scope["headers"]),
        )
        target = ex.raw_path + (b"?" + ex.query_string if ex.query_string else b"")
        headers = [(k, v) for k, v in ex.headers if k.lower() not in HOP_BY_HOP]
        chunked = ex.header("transfer-encoding") is not None
        content = _tee(receive, ex) if _has_body(ex) else None
        started = time.perf_counter()
        try:
            answer = await self._client().send(ex.method, target, headers, content, chunked)
        except ClientGone as gone:
            # Nobody is left to answer, and the upstream got half a request: its connection is
            # closed (`upstream.py`) rather than left waiting for the rest.
            ex.request_cut = str(gone)
            ex.elapsed = time.perf_counter() - started
            self.on_exchange(ex)
            return
        except UpstreamError as error:
            if isinstance(error, UpstreamInvalid):
                ex.invalid_answer = str(error)
                what = f"answered in what is not HTTP/1.1 ({error})"
            else:
                ex.unreachable = str(error)
                what = f"could not be reached ({error})"
            ex.status, ex.response_headers, body = self.bad_gateway(
                f"The upstream {self.upstream} {what}"
            )
            ex.keep_response(body)
            start = {"type": "http.response.start", "status": ex.status}
            await send({**start, "headers": ex.response_headers})
            await send({"type": "http.response.body", "body": body})
            self.on_exchange(ex)
            return
        ex.status = answer.status
        ex.response_headers = [(k, v) for k, v in answer.headers if k.lower() not in HOP_BY_HOP]
        try:
            await _pass_on(answer, ex, send)
        except UpstreamError as error:
            # The client sees the same cut its connection would have shown without the proxy.
            ex.cut_short = str(error)
        finally:
            ex.elapsed = time.perf_counter() - started
            self.on_exchange(ex)


async def _pass_on(answer: Any, ex: Exchange, send: Any) -> None:
    """The answer to the client. A body up to `GATHERED` bytes goes in one message with the
    status and headers (each message is a write to the socket); a longer one streams on."""
    start = {"type": "http.response.start", "status": ex.status, "headers": ex.response_headers}
    gathered: list[bytes] = []
    size, streaming = 0, False
    chunks = answer.body()
    while True:
        try:
            chunk = await anext(chunks)
        except StopAsyncIteration:
            break
        except UpstreamError:
            if not streaming:  # what came, then the same cut the upstream made
                await send(start)
                body = b"".join(gathered)
                await send({"type": "http.response.body", "body": body, "more_body": True})
            raise
        ex.keep_response(chunk)
        if streaming:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            continue
        gathered.append(chunk)
        size += len(chunk)
        if size > GATHERED:
            streaming = True
            await send(start)
            await send(
                {"type": "http.response.body", "body": b"".join(gathered), "more_body": True}
            )
    if streaming:
        await send({"type": "http.response.body", "body": b""})
    else:
        await send(start)
        await send({"type": "http.response.body", "body": b"".join(gathered)})


def _has_body(ex: Exchange) -> bool:
    length = ex.header("content-length")
    return (length is not None and length.strip() != "0") or ex.header(
        "transfer-encoding"
    ) is not None


async def _tee(receive: Any, ex: Exchange) -> AsyncIterator[bytes]:
    """The request body as it arrives, a copy kept for the checks; `ClientGone` when the
    client leaves before its end."""
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            length = ex.header("content-length")
            of = f" of {length.strip()}" if length is not None else ""
            raise ClientGone(
                f"the client closed the connection after {ex.body_size}{of} bytes of the body"
            )
        chunk = message.get("body", b"")
        more = message.get("more_body", False)
        ex.keep_request(chunk)
        if chunk:
            yield chunk
