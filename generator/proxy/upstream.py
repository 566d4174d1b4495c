"""A small HTTP/1.1 client for the upstream: keep-alive connections, the request as sent.

The proxy has the request's raw headers and wants the answer's raw headers and body bytes, so
it writes and reads HTTP/1.1 itself (responses parsed by httptools, which uvicorn already uses)
instead of going through a general client: no header is added or reordered, and forwarding
costs a fraction of what a full client costs per request. A chunked answer is de-chunked (its
`Transfer-Encoding` is hop-by-hop; the proxy's server chunks it again); a compressed one stays
compressed.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httptools

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
KEEP_IDLE = 64  # idle connections kept for reuse
_READ = 65536
_NO_BODY_STATUSES = {204, 304}


class UpstreamError(Exception):
    """The upstream could not be reached, or its answer broke off."""


class UpstreamInvalid(UpstreamError):
    """The upstream answered, but not in HTTP/1.1 (a malformed status line or header)."""


@dataclass
class _Parsed:
    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    headers_done: bool = False
    complete: bool = False
    keep_alive: bool = False
    body: list[bytes] = field(default_factory=list)
    parser: Any = None

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.headers_done = True

    def on_message_complete(self) -> None:
        # Asked now: once the message is complete, llhttp has reset the flags it decides by and
        # answers False for every answer (each request then cost a new connection).
        self.keep_alive = bool(self.parser.should_keep_alive())
        self.complete = True

    def on_body(self, body: bytes) -> None:
        self.body.append(body)


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class Answer:
    """The upstream's status and headers; `body()` streams the rest, then frees the line."""

    def __init__(
        self, upstream: Upstream, conn: Connection, parser: Any, parsed: _Parsed, head_only: bool
    ) -> None:
        self._upstream, self._conn, self._parser, self._parsed = upstream, conn, parser, parsed
        self.status = parsed.status
        self.headers = parsed.headers
        self._done = head_only or parsed.status in _NO_BODY_STATUSES

    async def body(self) -> AsyncIterator[bytes]:
        parsed, reader = self._parsed, self._conn[0]
        while True:
            while parsed.body:
                yield parsed.body.pop(0)
            if parsed.complete or self._done:
                break
            data = await _read(reader)
            if not data:
                self._conn[1].close()
                raise UpstreamError("the upstream closed the connection before the body's end")
            _feed(self._parser, data)
        self._upstream.release(self._conn, parsed.complete and parsed.keep_alive)


def _feed(parser: Any, data: bytes) -> None:
    try:
        parser.feed_data(data)
    except httptools.HttpParserError as error:
        raise UpstreamInvalid(f"the upstream's answer is not valid HTTP/1.1 ({error})") from None


async def _read(reader: asyncio.StreamReader, *, first: bool = False) -> bytes:
    """The next bytes of the answer; b"" at its end. `first`: a reset before any byte of it
    is a connection the upstream had closed (`_Stale`), not a broken answer."""
    try:
        async with asyncio.timeout(READ_TIMEOUT):  # a timer, not wait_for's task per read
            return await reader.read(_READ)
    except TimeoutError:
        raise UpstreamError(f"no answer from the upstream within {READ_TIMEOUT:.0f} s") from None
    except OSError as error:
        if first:
            raise _Stale() from error
        raise UpstreamError(f"reading from the upstream failed: {error}") from None


class Upstream:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.tls = parts.scheme == "https"
        self.port = parts.port or (443 if self.tls else 80)
        self.prefix = parts.path.rstrip("/").encode("latin-1")
        default = (parts.scheme == "https" and self.port == 443) or self.port == 80
        self.host_header = (self.host if default else f"{self.host}:{self.port}").encode("idna")
        self._idle: list[Connection] = []

    async def _connect(self) -> Connection:
        context = ssl.create_default_context() if self.tls else None
        try:
            return await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port, ssl=context), CONNECT_TIMEOUT
            )
        except TimeoutError:
            raise UpstreamError(f"no connection within {CONNECT_TIMEOUT:.0f} s") from None
        except OSError as error:
            raise UpstreamError(f"{type(error).__name__}: {error}") from None

    def release(self, conn: Connection, keep_alive: bool) -> None:
        if keep_alive and len(self._idle) < KEEP_IDLE and not conn[1].is_closing():
            self._idle.append(conn)
        else:
            conn[1].close()

    async def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()

    async def send(
        self,
        method: str,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        body: AsyncIterator[bytes] | None,
        chunked: bool,
    ) -> Answer:
        """Send the request; the answer once its headers arrived."""
        lines = [method.encode("latin-1"), b" ", self.prefix + target, b" HTTP/1.1\r\nhost: "]
        lines += [self.host_header, b"\r\n"]
        for name, value in headers:
            lines += [name, b": ", value, b"\r\n"]
        if chunked:
            lines.append(b"transfer-encoding: chunked\r\n")
        head = b"".join([*lines, b"\r\n"])
        # A kept connection the upstream closed meanwhile (its idle timeout) fails before any
        # answer: a request without a body is then sent again on the next one, at last on a new
        # connection (nothing was done twice). Every kept one may have timed out together.
        while True:
            conn = self._kept()
            reused = conn is not None
            conn = conn or await self._connect()
            try:
                return await self._exchange(conn, method, head, body, chunked)
            except _Stale:
                conn[1].close()
                if not reused or body is not None:
                    raise UpstreamError(
                        "the upstream closed the connection without answering"
                    ) from None

    def _kept(self) -> Connection | None:
        """An idle connection the upstream has not closed, as far as is known yet."""
        while self._idle:
            reader, writer = conn = self._idle.pop()
            if not reader.at_eof() and not writer.is_closing():
                return conn
            writer.close()
        return None

    async def _exchange(
        self,
        conn: Connection,
        method: str,
        head: bytes,
        body: AsyncIterator[bytes] | None,
        chunked: bool,
    ) -> Answer:
        reader, writer = conn
        try:
            writer.write(head)
            if body is not None:
                async for chunk in body:
                    writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                    await writer.drain()
                if chunked:
                    writer.write(b"0\r\n\r\n")
            await writer.drain()
        except OSError as error:
            raise _Stale() from error
        except BaseException:
            writer.close()  # the body's source failed (the client left): half a request went
            raise
        parsed = _Parsed()
        parser = parsed.parser = httptools.HttpResponseParser(parsed)
        received = False
        while not parsed.headers_done:
            data = await _read(reader, first=not received)
            if not data:
                if received:
                    writer.close()
                    raise UpstreamError("the upstream closed the connection inside its headers")
                raise _Stale()
            received = True
            _feed(parser, data)
        parsed.status = parser.get_status_code()
        return Answer(self, conn, parser, parsed, head_only=method == "HEAD")


class _Stale(Exception):
    """A connection that gave no answer at all."""
