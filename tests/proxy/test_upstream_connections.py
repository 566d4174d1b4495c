"""The proxy's upstream client keeps connections alive and survives kept ones the upstream closed.

A small HTTP/1.1 server of the test's own, on a port the system chose, counts the connections it
accepts and closes any that the test tells it to.
"""

from __future__ import annotations

import asyncio

from event_loops import run_in_own_thread

from generator.proxy.upstream import Upstream

ANSWER = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"


class _CountingServer:
    def __init__(self) -> None:
        self.accepted = 0
        self.writers: list[asyncio.StreamWriter] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.writers.append(writer)
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(ANSWER)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def close_all(self) -> None:
        for writer in self.writers:
            writer.close()
        self.writers.clear()


async def _get(upstream: Upstream) -> bytes:
    answer = await upstream.send("GET", b"/users/1", [(b"accept", b"*/*")], None, False)
    return b"".join([chunk async for chunk in answer.body()])


def _run(scenario) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        counting = _CountingServer()
        server = await asyncio.start_server(counting.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        upstream = Upstream(f"http://127.0.0.1:{port}")
        try:
            await scenario(counting, upstream)
        finally:
            await upstream.close()
            await counting.close_all()
            server.close()
            await server.wait_closed()

    run_in_own_thread(main())


def test_sequential_requests_share_one_connection() -> None:
    async def scenario(counting: _CountingServer, upstream: Upstream) -> None:
        bodies = [await _get(upstream) for _ in range(5)]
        assert bodies == [b"{}"] * 5
        assert counting.accepted == 1

    _run(scenario)


def test_kept_connections_the_upstream_closed_are_passed_over() -> None:
    async def scenario(counting: _CountingServer, upstream: Upstream) -> None:
        await asyncio.gather(*(_get(upstream) for _ in range(3)))  # three kept connections
        kept = counting.accepted
        # As an upstream's idle timeout would; seen by the client yet or not, the next request
        # must be answered, on a new connection.
        await counting.close_all()
        assert await _get(upstream) == b"{}"
        assert counting.accepted == kept + 1

    _run(scenario)
