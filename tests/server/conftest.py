"""Fixtures: a real reference server per test module, and contract-checked HTTP clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from server_harness import ApiClient, ResponseChecker, RunningServer, running_server

from generator.server.app import load_spec


@pytest.fixture(scope="session")
def specs() -> dict[str, dict[str, Any]]:
    return {name: load_spec(name) for name in ("cloud-elements", "tyk-dashboard")}


@pytest.fixture(scope="module")
def server(specs: dict[str, dict[str, Any]]) -> Iterator[RunningServer]:
    with running_server(specs=specs) as running:
        yield running


@pytest.fixture(scope="module")
def elements(server: RunningServer, specs: dict[str, Any]) -> ApiClient:
    creds = server.credentials["cloud-elements"]
    return ApiClient(
        creds["base_url"], creds["Authorization"], ResponseChecker(specs["cloud-elements"])
    )


@pytest.fixture(scope="module")
def tyk(server: RunningServer, specs: dict[str, Any]) -> ApiClient:
    creds = server.credentials["tyk-dashboard"]
    return ApiClient(
        creds["base_url"], creds["Authorization"], ResponseChecker(specs["tyk-dashboard"])
    )
