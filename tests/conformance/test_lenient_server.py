"""Precision: a correct server that answers each "either" of the contract the other way passes."""

from __future__ import annotations

import httpx
import pytest
from lenient import CREATED_META, END_TOKEN, _open_bodies, lenient_server

from generator.conformance.runner import run_suite

pytestmark = pytest.mark.slow  # whole runs of the suite: scheduled first (tests/conftest.py)

SEED = 20240601


def _problems(result: object) -> str:
    failures = [f"{op.label} {f.check}: {f.message[:300]}" for op, f in result.failures]
    return "\n".join(failures + result.errors)


@pytest.mark.parametrize("api", ["cloud-elements", "tyk-dashboard"])
def test_the_lenient_server_passes_with_zero_failures(api: str) -> None:
    with lenient_server() as (_, credentials):
        result = run_suite(
            api, credentials=credentials, seed=SEED, deterministic=True, max_examples=8
        )
    assert result.ok, _problems(result)
    assert result.cases > 100


@pytest.mark.parametrize("meta", CREATED_META, ids=repr)
def test_a_live_run_passes_whatever_tyk_create_answers_in_meta(meta: str | None) -> None:
    """A live run makes its own users first: it must find them from an id or by their email."""
    with lenient_server(created_meta=meta) as (origin, credentials):
        lines: list[str] = []
        result = run_suite(
            "tyk-dashboard",
            base_url=origin,
            headers=[f"Authorization: {credentials['tyk-dashboard']['Authorization']}"],
            seed=SEED,
            deterministic=True,
            max_examples=8,
            phases=("fuzzing",),
            operations=("createUser", "getUser", "updateUser", "deleteUser"),
            progress=lines.append,
        )
    assert result.ok, _problems(result)
    assert "Created 6 users of its own to change and delete" in lines
    assert result.operations["PUT /api/users/{userId}"].positive_2xx > 0


def test_the_lenient_tyk_answers_are_the_5x_forms() -> None:
    with lenient_server() as (_, credentials):
        tyk = credentials["tyk-dashboard"]
        auth = {"Authorization": tyk["Authorization"]}
        body = {"first_name": "Ada", "last_name": "L", "email_address": "ada-5x@example.com"}
        created = httpx.post(tyk["base_url"] + "/api/users", headers=auth, json=body).json()
        assert isinstance(created["Meta"], str) and created["Meta"]
        url = f"{tyk['base_url']}/api/users/{created['Meta']}"
        updated = httpx.put(url, headers=auth, json={"last_name": "Lovelace"}).json()
        assert updated == {"Status": "OK", "Message": "User updated", "Meta": None}
        assert httpx.get(url, headers=auth).json()["last_name"] == "Lovelace"


def test_the_lenient_listing_really_ends_with_an_empty_page() -> None:
    with lenient_server() as (_, credentials):
        ce = credentials["cloud-elements"]
        auth = {"Authorization": ce["Authorization"]}
        first = httpx.get(ce["base_url"] + "/users", headers=auth, params={"pageSize": 500})
        assert first.headers["Elements-Next-Page-Token"] == END_TOKEN
        last = httpx.get(ce["base_url"] + "/users", headers=auth, params={"nextPage": END_TOKEN})
        assert last.status_code == 200 and last.json() == []


def test_the_lenient_server_knows_the_declared_fields_of_every_open_body() -> None:
    """A body composed with allOf declares its fields in the members: read there, or the
    lenient server would pass unknown fields on (it did once, unnoticed)."""
    for method, pattern, names in _open_bodies():
        assert names, f"{method} {pattern.pattern}: no declared fields found"
