"""The generated Python clients' user flows, sent through `usersapi proxy` to the reference
server: every call keeps the contract (no violation) and every operation it used is covered."""

from __future__ import annotations

import dataclasses
from types import ModuleType

import pytest
import test_python_clients as flows
from server_harness import RunningServer

from generator.proxy.serve import proxying

FLOWS = {
    "cloud-elements": flows.test_cloud_elements_flow,
    "tyk-dashboard": flows.test_tyk_dashboard_flow,
}


@pytest.mark.parametrize("api", sorted(FLOWS))
def test_client_flow_through_the_proxy(
    python_packages: dict[str, ModuleType], server: RunningServer, api: str
) -> None:
    lines: list[str] = []
    with proxying(api, server.base_url, lines.append) as (origin, session):
        # The same server, reached through the proxy: only the clients' base URL changes.
        credentials = {name: dict(value) for name, value in server.credentials.items()}
        credentials[api]["base_url"] = credentials[api]["base_url"].replace(server.base_url, origin)
        FLOWS[api](python_packages, dataclasses.replace(server, credentials=credentials))
        assert session.wait_settled()
    assert [line for line in lines if line.startswith("VIOLATION")] == []
    result = session.result
    assert result.cases >= 5 and result.errors == [] and result.ok
    assert result.coverage is not None and result.coverage["totals"]["operations"]["seen"] >= 4
