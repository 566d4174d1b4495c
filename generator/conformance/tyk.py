"""Tyk Dashboard in the suite: users found in one listing (the caller recognised by its access
key), listings paged by page number `p`, no `where` filter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .api_adapter import ApiAdapter
from .context import KnownUser, SuiteContext
from .profiles import TYK_DASHBOARD
from .walks import MAX_PAGES, compare_walk, user_ids


def discover_users(ctx: SuiteContext) -> None:
    response = ctx.http.get("/api/users")
    if response.status_code != 200:
        return
    caller_key = ctx.headers.get("Authorization")
    for user in response.json().get("users") or []:
        ctx.remember(KnownUser(user["id"], user.get("email_address")))
        if caller_key and user.get("access_key") == caller_key:
            ctx.protected_ids.add(str(user["id"]))  # the caller: never reset its key


def reference_targets(creds: dict[str, Any]) -> tuple[set[str], list[int]]:
    return {str(creds["admin_user_id"])}, []


def walk_all(suite: SuiteContext, url: str, query: dict[str, Any]) -> list[str]:
    return compare_walk(suite, url, {}, _everyone, _pages)


def _everyone(suite: SuiteContext, url: str, base: dict[str, Any]) -> list[str] | None:
    response = suite.http.get(url)  # without `p`, the list holds everyone
    if response.status_code != 200:
        return None
    return user_ids(response.json().get("users") or [])  # 5.x may answer null for none


def _pages(
    suite: SuiteContext, url: str, base: dict[str, Any], size: int
) -> Iterator[tuple[str, list[str]]]:
    number, pages = 1, 1
    while number <= min(pages, MAX_PAGES):
        response = suite.http.get(url, params={"p": number})
        if response.status_code != 200:
            return
        body = response.json()
        pages = int(body.get("pages", 0))
        yield "p", user_ids(body.get("users") or [])
        number += 1


ADAPTER = ApiAdapter(
    profile=TYK_DASHBOARD,
    missing_id="f" * 24,
    discover_users=discover_users,
    walk_all=walk_all,
    reference_targets=reference_targets,
)
