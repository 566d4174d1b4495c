"""Fixtures of the vendor corpus: the bundled contracts, and a fresh reference server per entry.

A fresh server per sample or assertion, because the vendors' samples reuse the same literal
emails (Tyk creates and then updates `itachi@gmail.com`) and an assertion such as "a second PUT
is 409" must not depend on what another entry did first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from server_harness import RunningServer, running_server

from generator.server.app import load_spec


@pytest.fixture(scope="session")
def specs() -> dict[str, dict[str, Any]]:
    return {name: load_spec(name) for name in ("cloud-elements", "tyk-dashboard")}


@pytest.fixture
def fresh_server(specs: dict[str, dict[str, Any]]) -> Iterator[RunningServer]:
    with running_server(specs=specs) as running:
        yield running
