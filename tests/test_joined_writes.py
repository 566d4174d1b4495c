"""Writes to a client joined per turn of the event loop: an answer's head and body go in one
send, nothing is lost or reordered (a long answer streaming through the proxy:
tests/proxy/test_long_answers.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from event_loops import run_in_own_thread

from generator.joined_writes import JoinedWrites


class _Recording(asyncio.Transport):
    """An asyncio transport that records its writes instead of sending them."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def writelines(self, pieces: Any) -> None:  # what one send of several pieces carries
        self.write(b"".join(pieces))

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
