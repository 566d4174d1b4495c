"""The generated Python clients' user flows, sent through `usersapi proxy` to the reference
server: every call keeps the contract (no violation) and every operation it used is covered."""

from __future__ import annotations

import dataclasses
import importlib
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


# The reads of each flow, as (tag module, operation module, path arguments from the credentials):
# calls that change nothing, so the same call made directly must answer the same bytes.
READS = {
    "cloud-elements": [
        ("organization_users", "list_users", ()),
        ("organization_users", "get_user", ("user_id",)),
    ],
    "tyk-dashboard": [
        ("dashboard_users", "list_users", ()),
        ("dashboard_users", "get_current_user", ()),
    ],
}


def _answers(pkg: ModuleType, api: str, base_url: str, creds: dict) -> list[tuple]:
    """Status, headers (but the date, which moves) and body bytes of each read, by the
    generated client's own calls."""
    client = pkg.AuthenticatedClient(base_url=base_url, token=creds["Authorization"], prefix="")
    answers = []
    for tag, name, arguments in READS[api]:
        operation = importlib.import_module(f"{pkg.__name__}.api.{tag}.{name}")
        answer = operation.sync_detailed(*(creds[key] for key in arguments), client=client)
        headers = sorted((k, v) for k, v in answer.headers.items() if k.lower() != "date")
        answers.append((int(answer.status_code), headers, answer.content))
    return answers


@pytest.mark.parametrize("api", sorted(FLOWS))
def test_client_reads_through_the_proxy_are_byte_identical(
    python_packages: dict[str, ModuleType], server: RunningServer, api: str
) -> None:
    creds = server.credentials[api]
    pkg = python_packages[api]
    with proxying(api, server.base_url) as (origin, session):
        proxied = _answers(pkg, api, creds["base_url"].replace(server.base_url, origin), creds)
        assert session.wait_settled()
    direct = _answers(pkg, api, creds["base_url"], creds)
    assert [status for status, _, _ in direct] == [200] * len(READS[api])
    assert proxied == direct
    assert session.violations == 0
