"""Fixtures: one reference server per module, and a proxy in front of it per API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from server_harness import RunningServer, running_server

from generator.proxy.serve import proxying
from generator.proxy.session import ProxySession


@dataclass
class Proxied:
    origin: str  # the proxy's origin
    upstream: str  # the server's origin
    session: ProxySession
    lines: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        """The violation lines printed so far, once every exchange sent is judged."""
        assert self.session.wait_settled()
        return [line for line in self.lines if line.startswith("VIOLATION")]


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running_server() as running:
        yield running


def start_proxy(api: str, upstream: str) -> Iterator[Proxied]:
    lines: list[str] = []
    with proxying(api, upstream, lines.append) as (origin, session):
        proxied = Proxied(origin, upstream, session, lines)
        yield proxied


@pytest.fixture
def ce_proxy(server: RunningServer) -> Iterator[Proxied]:
    yield from start_proxy("cloud-elements", server.base_url)


@pytest.fixture
def tyk_proxy(server: RunningServer) -> Iterator[Proxied]:
    yield from start_proxy("tyk-dashboard", server.base_url)
