"""Paging walks for `paging_yields_each_once`: every page of a listing against one big read.

A user that appears twice in one walk is always a fault. A user that the walk missed counts only
when it was listed both before and after the walk, so a concurrent delete is not a false alarm.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from generator.spec.bundle import bundle_api
from generator.spec.refs import resolve
from generator.spec.walk import iter_operations

from .context import SuiteContext
from .profiles import PROFILES

MAX_PAGES = 60
TARGET_PAGES = 4  # page size chosen so that a walk takes about this many pages


@cache
def largest_page(api: str) -> int | None:
    """The `maximum` the contract gives a listing's `pageSize` (None when it sets none)."""
    spec = bundle_api(api)
    for operation in iter_operations(spec):
        if operation.node.get("operationId") not in PROFILES[api].list_operations:
            continue
        for raw in [
            *operation.path_item.get("parameters", []),
            *operation.node.get("parameters", []),
        ]:
            parameter = resolve(spec, raw)
            if parameter.get("name") == "pageSize" and parameter.get("in") == "query":
                maximum = (resolve(spec, parameter.get("schema")) or {}).get("maximum")
                return maximum if isinstance(maximum, int) else None
    return None


def walk_all(suite: SuiteContext, url: str, query: dict[str, Any]) -> list[str]:
    if suite.profile.name == "tyk-dashboard":
        return _check(suite, url, {}, _tyk_everyone, _tyk_pages)
    base = {k: v for k, v in query.items() if k in ("where", "includeInactive")}
    base = {k: str(v).lower() if isinstance(v, bool) else v for k, v in base.items()}
    problems = _check(suite, url, base, _elements_everyone, _elements_token_pages)
    if url.rstrip("/").endswith("/users") and "/accounts/" in url:
        problems += _check(suite, url, base, _elements_everyone, _elements_offset_pages)
    return problems


def _ids(users: Any) -> list[str]:
    return [str(user.get("id")) for user in users if isinstance(user, dict)]


def _check(suite: SuiteContext, url: str, base: dict[str, Any], everyone: Any, pages: Any) -> list:
    before = everyone(suite, url, base)
    if before is None:
        return []
    page_size = max(1, -(-len(before) // TARGET_PAGES))
    walked = list(pages(suite, url, base, page_size))
    how = walked[0][0] if walked else ""
    seen = [user for _, page in walked for user in page]
    after = everyone(suite, url, base) or []
    problems = []
    repeated = sorted({user for user in seen if seen.count(user) > 1})
    if repeated:
        problems.append(f"paging by {how} returned users {repeated[:5]} more than once")
    missing = sorted((set(before) & set(after)) - set(seen))
    if missing:
        problems.append(f"paging by {how} never returned users {missing[:5]}")
    return problems


def _elements_everyone(suite: SuiteContext, url: str, base: dict[str, Any]) -> list[str] | None:
    big_page = largest_page(suite.profile.name)
    if big_page is None:
        return None  # no page holds them all: nothing to compare a walk with
    response = suite.http.get(url, params={**base, "pageSize": big_page})
    if response.status_code != 200:
        return None
    users = response.json()
    return _ids(users) if len(users) < big_page else None  # too many to compare in one read


def _elements_token_pages(
    suite: SuiteContext, url: str, base: dict[str, Any], size: int
) -> Iterator[tuple[str, list[str]]]:
    params: dict[str, Any] = {**base, "pageSize": size}
    for _ in range(MAX_PAGES):
        response = suite.http.get(url, params=params)
        if response.status_code != 200:
            return
        page = _ids(response.json())
        yield "nextPage", page
        token = response.headers.get("Elements-Next-Page-Token")
        if not token or not page:
            return
        params = {**base, "pageSize": size, "nextPage": token}


def _elements_offset_pages(
    suite: SuiteContext, url: str, base: dict[str, Any], size: int
) -> Iterator[tuple[str, list[str]]]:
    for number in range(MAX_PAGES):
        response = suite.http.get(url, params={**base, "pageSize": size, "offset": number * size})
        if response.status_code != 200:
            return
        page = _ids(response.json())
        yield "offset", page
        if len(page) < size:
            return


def _tyk_everyone(suite: SuiteContext, url: str, base: dict[str, Any]) -> list[str] | None:
    response = suite.http.get(url)  # without `p`, the list holds everyone
    if response.status_code != 200:
        return None
    return _ids(response.json().get("users") or [])  # 5.x may answer null for none


def _tyk_pages(
    suite: SuiteContext, url: str, base: dict[str, Any], size: int
) -> Iterator[tuple[str, list[str]]]:
    number, pages = 1, 1
    while number <= min(pages, MAX_PAGES):
        response = suite.http.get(url, params={"p": number})
        if response.status_code != 200:
            return
        body = response.json()
        pages = int(body.get("pages", 0))
        yield "p", _ids(body.get("users") or [])
        number += 1
