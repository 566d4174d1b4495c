"""Requests that are not HTTP/1.1 at all: uvicorn answers them 400 before any app sees them.

A header line without a colon, a control character in a header value, a broken request line:
the parser stops, uvicorn writes `400 Invalid HTTP request received.` and closes the
connection, and nothing reaches the forwarding app or the upstream. The proxy's connections
report each such request to the session as an exchange of its own (what was parsed of it, the
parser's reason, the 400 the client got), so that it is a violation like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httptools

from generator.joined_writes import JoinedWritesProtocol

from .exchange import Exchange

OnMalformed = Callable[[Exchange], None]


class _RecordingParser:
    """uvicorn's request parser, keeping the reason of the error that stopped it."""

    def __init__(self, parser: Any) -> None:
        self._parser = parser
        self.error: str | None = None

    def feed_data(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:  # an upgrade is no error: it passes as it is
            self.error = str(error) or type(error).__name__
            raise

    def __getattr__(self, name: str) -> Any:  # get_method, should_keep_alive, ...
        return getattr(self._parser, name)


class MalformedReporting(JoinedWritesProtocol):
    """The proxy's connections: a request uvicorn refuses as malformed goes to `on_malformed`."""

    on_malformed: OnMalformed

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recording = _RecordingParser(self.parser)
        # uvicorn feeds and asks its `parser`: the recording one stands in for it.
        self.parser = self.recording  # type: ignore[assignment]

    def send_400_response(self, msg: str) -> None:
        super().send_400_response(msg)
        try:
            method = self.parser.get_method().decode("latin-1")
        except Exception:  # noqa: BLE001 - the request line itself did not parse
            method = "?"
        path, _, query = (getattr(self, "url", b"") or b"?").partition(b"?")
        ex = Exchange(method, path, query, list(getattr(self, "headers", [])))
        ex.malformed = self.recording.error or msg
        ex.status = 400
        ex.response_headers = [(b"content-type", b"text/plain; charset=utf-8")]
        ex.keep_response(msg.encode("ascii"))
        self.on_malformed(ex)


def reporting_to(on_malformed: OnMalformed) -> type[MalformedReporting]:
    """The protocol class (uvicorn's `http=` setting) of one session's connections."""
    return type(
        "SessionConnections", (MalformedReporting,), {"on_malformed": staticmethod(on_malformed)}
    )
