"""Each deliberately faulty server behind the proxy: the proxy names the fault one exchange can
show, and the client still receives the faulty answer exactly as the server sent it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from faulty_servers import VARIANTS, running_variant

from generator.proxy.serve import proxying

CE = "/elements/api-v2"


@dataclass(frozen=True)
class Trigger:
    """One request that meets the fault, and the check the proxy must name."""

    check: str
    request: Callable[[dict[str, Any]], tuple[str, str, dict[str, str], Any]]
    idempotent: bool = True  # sent directly too: the two answers must be the same bytes


def _ce(creds: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": creds["cloud-elements"]["Authorization"]}


def _tyk(creds: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": creds["tyk-dashboard"]["Authorization"]}


def _tyk_user(password: str | None = None) -> dict[str, Any]:
    body = {
        "first_name": "Fau",
        "last_name": "Lty",
        "email_address": f"f{uuid.uuid4().hex[:8]}@ex.com",
    }
    return {**body, "password": password} if password else body


SINGLE_EXCHANGE = {
    "missing_field": Trigger(
        "response_schema_conformance",
        lambda c: ("GET", f"/api/users/{c['tyk-dashboard']['user_id']}", _tyk(c), None),
    ),
    "non_ascii_500": Trigger(
        "not_a_server_error",
        lambda c: (
            "PATCH",
            f"{CE}/users/{c['cloud-elements']['user_id']}",
            _ce(c),
            {"firstName": "Zoë"},
        ),
    ),
    "undocumented_status": Trigger(
        "status_code_conformance",
        lambda c: ("POST", "/api/users", _tyk(c), _tyk_user()),
        idempotent=False,
    ),
    "wrong_content_type": Trigger(
        "content_type_conformance", lambda c: ("GET", "/api/users", _tyk(c), None)
    ),
    "auth_ignored": Trigger("ignored_auth", lambda c: ("GET", f"{CE}/users", {}, None)),
    "invalid_body_accepted": Trigger(
        "negative_data_rejection",
        lambda c: (
            "PUT",
            f"{CE}/accounts/{c['cloud-elements']['default_account_id']}/users/{c['cloud-elements']['user_id']}",
            _ce(c),
            {"firstName": 7},
        ),
    ),
    "where_ignored": Trigger(
        "where_filter_respected",
        lambda c: (
            "GET",
            f"{CE}/users?where=email%20%3D%20%27nobody%40example.com%27",
            _ce(c),
            None,
        ),
    ),
    "secret_leak": Trigger(
        "secret_only_when_authorized",
        lambda c: ("GET", f"{CE}/users/{c['cloud-elements']['user_id']}", _ce(c), None),
    ),
    "password_echo": Trigger(
        "password_not_echoed",
        lambda c: ("POST", "/api/users", _tyk(c), _tyk_user("long-password-1")),
        idempotent=False,
    ),
    "full_name_wrong": Trigger(
        "full_name_consistent",
        lambda c: ("GET", f"{CE}/users/{c['cloud-elements']['user_id']}", _ce(c), None),
    ),
    "me_answers_another": Trigger(
        "current_user_is_the_caller", lambda c: ("GET", "/api/users/me", _tyk(c), None)
    ),
    "search_ignores_text": Trigger(
        "search_results_match",
        lambda c: ("POST", "/api/users/search", _tyk(c), {"filters": {"query": "@nowhere.test"}}),
    ),
    "organization_secret_leak": Trigger(
        "secret_only_when_authorized",
        lambda c: (
            "GET",
            f"{CE}/organizations/users/{c['cloud-elements']['admin_user_id']}",
            _ce(c),
            None,
        ),
    ),
}
# Faults no single exchange shows: each needs a second request (a read after the write, the
# next page, the earlier create, or knowing whose credentials another organization holds).
NEEDS_MORE = {
    "delete_not_deleting": "a read after the DELETE",
    "update_not_applied": "a read after the PUT",
    "paging_repeats": "the next page",
    "update_ignores_first_name": "a read after the write",
    "create_stores_nothing": "a read after the create",
    "duplicate_email_wrong_status": "the earlier create with the same email",
    "second_org_sees_first": "knowing the second organization's credentials",
    "revoke_not_deactivating": "a read after the revoke",
    "search_misses_one": "the listing to compare with",
    "organization_update_ignores_first_name": "a read after the write",
}


def test_every_variant_is_judged_or_explained() -> None:
    names = {variant.name for variant in VARIANTS}
    assert names == set(SINGLE_EXCHANGE) | set(NEEDS_MORE)
    assert not set(SINGLE_EXCHANGE) & set(NEEDS_MORE)


@pytest.mark.parametrize("name", sorted(SINGLE_EXCHANGE))
def test_proxy_names_the_fault_and_forwards_it(name: str) -> None:
    variant = next(v for v in VARIANTS if v.name == name)
    trigger = SINGLE_EXCHANGE[name]
    lines: list[str] = []
    with running_variant(name) as (upstream, creds):
        method, path, headers, body = trigger.request(creds)
        with proxying(variant.api, upstream, lines.append) as (origin, session):
            through = httpx.request(method, origin + path, headers=headers, json=body, timeout=30)
            if trigger.idempotent:
                direct = httpx.request(
                    method, upstream + path, headers=headers, json=body, timeout=30
                )
                assert _answer(through) == _answer(direct)
            assert session.wait_settled()
    failed = {record.check for _, record in session.result.all_failures}
    assert trigger.check in failed, lines
    violations = [line for line in lines if line.startswith("VIOLATION")]
    assert any(f" {trigger.check}: " in line for line in violations), violations
    if name == "undocumented_status":
        assert through.status_code == 201  # the fault reached the client unchanged
    if name == "password_echo":
        assert "long-password-1" in through.text
        # The answer echoes the password: the proxy's line and report do not.
        records = json.dumps(session.result.to_json())
        assert "[Filtered]" in records and "long-password-1" not in records
        assert not any("long-password-1" in line for line in violations)
    for line in violations:  # credentials never printed
        assert not any(secret in line for secret in headers.values())
        assert (
            "authorization: [Filtered]" in line.lower().replace("[filtered]", "[Filtered]")
            or not headers
        )


def _answer(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body bytes; a Cloud Elements error's request id (new on every
    answer) and the date are the only parts left out."""
    request_id = response.headers.get("elements-request-id", "")
    headers = [
        (k, v)
        for k, v in response.headers.multi_items()
        if k not in ("date", "elements-request-id")
    ]
    body = (
        response.content.replace(request_id.encode(), b"<id>") if request_id else response.content
    )
    return response.status_code, headers, body
