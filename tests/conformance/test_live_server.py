"""`run_suite(base_url=...)`: a server the suite did not start, reached only by URL and headers."""

from __future__ import annotations

import httpx
import pytest
from faulty_servers import serve

from generator.conformance.runner import run_suite
from generator.conformance.targets import SuiteSetupError, api_base_url, parse_headers


def test_live_server_by_origin_and_headers() -> None:
    with serve() as (origin, creds):
        ce = creds["cloud-elements"]
        result = run_suite(
            "cloud-elements",
            base_url=origin,  # the contract's server path is added to a bare origin
            headers=[f"Authorization: {ce['Authorization']}"],
            second_org_headers=[f"Authorization: {ce['second_org']['Authorization']}"],
            seed=3,
            deterministic=True,
            max_examples=5,
            phases=("fuzzing",),
            operations=("listUsers", "getUser"),
        )
    assert result.base_url == ce["base_url"]
    assert result.ok, [f.message for _, f in result.failures]
    assert {"second_org_isolated", "paging_yields_each_once"} <= set(
        name for op in result.operations.values() for name in op.checks
    )
    assert result.operations["GET /users"].status_classes()["2xx"] > 0


def test_wrong_credentials_fail_the_run() -> None:
    with serve() as (origin, _):
        result = run_suite(
            "tyk-dashboard",
            base_url=origin,
            headers=["Authorization: not-a-key"],
            seed=3,
            max_examples=3,
            phases=("fuzzing",),
            operations=("listUsers",),
        )
    assert set(result.operations["GET /api/users"].status_codes) == {"401"}
    assert not result.ok and "credentials" in result.errors[0]


def test_header_and_url_parsing() -> None:
    assert parse_headers(["Authorization: User a, Organization b"]) == {
        "Authorization": "User a, Organization b"
    }
    with pytest.raises(SuiteSetupError):
        parse_headers(["no colon"])
    spec = {"servers": [{"url": "https://api.example/elements/api-v2"}]}
    assert api_base_url(spec, "http://h:1/") == "http://h:1/elements/api-v2"
    assert api_base_url(spec, "http://h:1/custom") == "http://h:1/custom"


def test_a_live_run_writes_only_to_its_own_users_and_removes_them() -> None:
    with serve() as (origin, creds):
        ce = creds["cloud-elements"]
        auth = {"Authorization": ce["Authorization"]}
        everyone = {"pageSize": 500, "includeInactive": "true"}
        before = httpx.get(ce["base_url"] + "/users", headers=auth, params=everyone).json()
        lines: list[str] = []
        result = run_suite(
            "cloud-elements",
            base_url=origin,
            headers=[f"Authorization: {ce['Authorization']}"],
            account_ids=[ce["default_account_id"], ce["second_account_id"]],
            seed=4,
            deterministic=True,
            max_examples=8,
            phases=("fuzzing",),
            operations=("createAccountUser", "updateAccountUser", "deleteUser"),
            progress=lines.append,
        )
        after = httpx.get(ce["base_url"] + "/users", headers=auth, params=everyone).json()
    assert result.ok, [f.message for _, f in result.failures] + result.errors
    assert result.operations["PATCH /accounts/{id}/users/{emailOrId}"].positive_2xx > 0
    assert any(line.startswith("Created ") for line in lines)
    assert any(line.startswith("Cleanup: deleted ") for line in lines)
    # The demo users are exactly as they were: none changed, none deleted, none left behind.
    assert after == before
