"""Cloud Elements in the suite: users found per account and organization-wide, listings paged
by token and by offset, CEQL `where` filters aimed at known users."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .api_adapter import ApiAdapter
from .context import FALLBACK_EMAIL, KnownUser, SuiteContext
from .profiles import CLOUD_ELEMENTS
from .walks import MAX_PAGES, compare_walk, largest_page, user_ids


def discover_users(ctx: SuiteContext) -> None:
    query = {"includeInactive": "true"}
    big_page = largest_page(ctx.profile.name)
    if big_page is not None:
        query["pageSize"] = str(big_page)  # all of them in one read, when the contract allows
    for account in ctx.accounts:
        response = ctx.http.get(f"/accounts/{account}/users", params=query)
        if response.status_code == 200:
            for user in response.json():
                ctx.remember(KnownUser(user["id"], user.get("email"), account))
    response = ctx.http.get("/users", params=query)
    if response.status_code == 200:
        for user in response.json():
            if ctx.find(user["id"]) is None:
                ctx.remember(KnownUser(user["id"], user.get("email")))


def reference_targets(creds: dict[str, Any]) -> tuple[set[str], list[int]]:
    protected = {str(creds["admin_user_id"]), str(creds["account_admin"]["user_id"])}
    return protected, [creds["default_account_id"], creds["second_account_id"]]


def walk_all(suite: SuiteContext, url: str, query: dict[str, Any]) -> list[str]:
    base = {k: v for k, v in query.items() if k in ("where", "includeInactive")}
    base = {k: str(v).lower() if isinstance(v, bool) else v for k, v in base.items()}
    problems = compare_walk(suite, url, base, _everyone, _token_pages)
    if url.rstrip("/").endswith("/users") and "/accounts/" in url:
        problems += compare_walk(suite, url, base, _everyone, _offset_pages)
    return problems


def _everyone(suite: SuiteContext, url: str, base: dict[str, Any]) -> list[str] | None:
    big_page = largest_page(suite.profile.name)
    if big_page is None:
        return None  # no page holds them all: nothing to compare a walk with
    response = suite.http.get(url, params={**base, "pageSize": big_page})
    if response.status_code != 200:
        return None
    users = response.json()
    return user_ids(users) if len(users) < big_page else None  # too many to compare in one read


def _token_pages(
    suite: SuiteContext, url: str, base: dict[str, Any], size: int
) -> Iterator[tuple[str, list[str]]]:
    params: dict[str, Any] = {**base, "pageSize": size}
    for _ in range(MAX_PAGES):
        response = suite.http.get(url, params=params)
        if response.status_code != 200:
            return
        page = user_ids(response.json())
        yield "nextPage", page
        token = response.headers.get("Elements-Next-Page-Token")
        if not token or not page:
            return
        params = {**base, "pageSize": size, "nextPage": token}


def _offset_pages(
    suite: SuiteContext, url: str, base: dict[str, Any], size: int
) -> Iterator[tuple[str, list[str]]]:
    for number in range(MAX_PAGES):
        response = suite.http.get(url, params={**base, "pageSize": size, "offset": number * size})
        if response.status_code != 200:
            return
        page = user_ids(response.json())
        yield "offset", page
        if len(page) < size:
            return


def _quoted(text: str) -> str:
    """A CEQL string literal: emails may hold a quote (RFC 5321 allows it), doubled to escape."""
    return "'" + text.replace("'", "''") + "'"


def random_where(ctx: SuiteContext) -> str:
    """A CEQL expression over values the existing users have, so some of them match."""
    with ctx._lock:
        users = sorted(ctx.users.values(), key=lambda u: str(u.id))
        rng = ctx.rng
        user = rng.choice(users) if users else KnownUser(1, FALLBACK_EMAIL)
        domain = (user.email or "a@example.com").rsplit("@", 1)[-1]
        ids = ", ".join(str(rng.choice(users).id) for _ in range(3)) if users else "1"
        choices = [
            f"email = {_quoted(user.email or '')}",
            f"email LIKE {_quoted('%@' + domain)}",
            "active = true",
            "active = false",
            "createdDate >= '2014-01-15'",
            f"id IN ({ids})",
            "city = 'Denver' OR city = 'Austin'",
            "lastLoginDate IS NULL",
            f"firstName LIKE '%{rng.choice('aeion')}%' AND active = true",
            "(city IN ('Boulder', 'Chicago') OR country = 'US')"
            f" AND email LIKE {_quoted('%' + domain)}",
        ]
        return rng.choice(choices)


ADAPTER = ApiAdapter(
    profile=CLOUD_ELEMENTS,
    missing_id=2**62,
    discover_users=discover_users,
    walk_all=walk_all,
    reference_targets=reference_targets,
    random_where=random_where,
)
