"""The server's route table picks the very route, with the same parameters, the Router would."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import BaseRoute, Match

from generator.server.app import ReferenceApp, build_app

SEGMENTS = [
    "elements",
    "api-v2",
    "api",
    "users",
    "me",
    "search",
    "roles",
    "admin",
    "accounts",
    "organizations",
    "actions",
    "reset",
    "revoke",
    "key",
    "docs",
    "3",
    "a@b.example",
    "favicon.ico",
    "",
    "me\n",
    "a b",
    "{x}",
]
PATHS = [
    "/elements/api-v2/users/3",
    "/elements/api-v2/accounts/1/users/a@b.example",
    "/elements/api-v2/users",
    "/api/users/me",
    "/api/users/abc/actions/key/reset",
]


@pytest.fixture(scope="module")
def app(specs: dict[str, dict[str, Any]]) -> ReferenceApp:
    return build_app(":memory:", specs=specs)


def _router_pick(routes: list[BaseRoute], scope: dict) -> tuple[Any, Any]:
    for route in routes:
        match, child = route.matches(scope)
        if match is not Match.NONE:
            return route, child.get("path_params")
    return None, None


@settings(max_examples=400, deadline=None)
@given(segments=st.lists(st.sampled_from(SEGMENTS) | st.text("ab/%", max_size=3), max_size=7))
def test_the_table_agrees_with_the_router(app: ReferenceApp, segments: list[str]) -> None:
    scope = {"type": "http", "path": "/" + "/".join(segments), "root_path": "", "method": "GET"}
    found = app.table.match(scope)
    if found is not None:
        assert (found[0], found[1]) == _router_pick(app.routes, scope)


def test_every_operation_path_is_in_the_table(app: ReferenceApp) -> None:
    for path in PATHS:
        scope = {"type": "http", "path": path, "root_path": "", "method": "GET"}
        found = app.table.match(scope)
        assert found is not None and found[0] is _router_pick(app.routes, scope)[0]
