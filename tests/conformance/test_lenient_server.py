"""Precision: a correct server that answers each "either" of the contract the other way passes."""

from __future__ import annotations

import httpx
import pytest
from lenient import END_TOKEN, lenient_server

from generator.conformance.runner import run_suite

SEED = 20240601


@pytest.mark.parametrize("api", ["cloud-elements", "tyk-dashboard"])
def test_the_lenient_server_passes_with_zero_failures(api: str) -> None:
    with lenient_server() as (_, credentials):
        result = run_suite(
            api, credentials=credentials, seed=SEED, deterministic=True, max_examples=8
        )
    problems = [f"{op.label} {f.check}: {f.message[:300]}" for op, f in result.failures]
    assert result.ok, "\n".join(problems + result.errors)
    assert result.cases > 100


def test_the_lenient_listing_really_ends_with_an_empty_page() -> None:
    with lenient_server() as (_, credentials):
        ce = credentials["cloud-elements"]
        auth = {"Authorization": ce["Authorization"]}
        first = httpx.get(ce["base_url"] + "/users", headers=auth, params={"pageSize": 500})
        assert first.headers["Elements-Next-Page-Token"] == END_TOKEN
        last = httpx.get(ce["base_url"] + "/users", headers=auth, params={"nextPage": END_TOKEN})
        assert last.status_code == 200 and last.json() == []
