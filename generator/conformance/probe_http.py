"""The HTTP client the domain checks send their own requests with (read-backs, replays, walks).

A server closes a kept-alive connection once it has been idle for its keep-alive timeout
(uvicorn: 5 s, nginx: 75 s). A check's request that goes out on such a connection just as the
server closes it gets no answer at all: a reset or an empty read, which says nothing about the
API. Clients that browse the web send such a request once more on a fresh connection; so does
this one, once. A server that drops the retried request too is reported as it is.
"""

from __future__ import annotations

import httpx

PROBE_TIMEOUT = 30.0  # seconds; a check's request waits this long for an answer
# What a request on a connection the server has just closed ends in: no status line came back.
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


class RetryDroppedConnection(httpx.HTTPTransport):
    """An HTTP transport that sends a request again, once, when its connection was dropped."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return super().handle_request(request)
        except DROPPED:
            # The pool has closed and removed the dropped connection: this opens a fresh one.
            return super().handle_request(request)


def probe_client(base_url: str, headers: dict[str, str]) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        timeout=PROBE_TIMEOUT,
        headers=headers,
        transport=RetryDroppedConnection(),
    )
