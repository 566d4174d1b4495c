"""Fixtures: one reference server per module, and a proxy in front of it per API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from proxied import Proxied, start_proxy
from server_harness import RunningServer, running_server


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running_server() as running:
        yield running


@pytest.fixture
def ce_proxy(server: RunningServer) -> Iterator[Proxied]:
    yield from start_proxy("cloud-elements", server.base_url)


@pytest.fixture
def tyk_proxy(server: RunningServer) -> Iterator[Proxied]:
    yield from start_proxy("tyk-dashboard", server.base_url)
