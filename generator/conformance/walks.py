"""Paging walks for `paging_yields_each_once`: every page of a listing against one big read.

How an API reads everyone and walks its pages is its adapter's (`cloud_elements.py`, `tyk.py`);
the comparison is the same for all.

A user that appears twice in one walk is always a fault. A user that the walk missed counts only
when it was listed both before and after the walk, so a concurrent delete is not a false alarm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from generator.openapi.bundle import bundle_api
from generator.openapi.refs import resolve
from generator.openapi.walk import iter_operations

from .context import SuiteContext
from .profiles import PROFILES

MAX_PAGES = 60
TARGET_PAGES = 4  # page size chosen so that a walk takes about this many pages
# (suite, listing URL, base query) -> the ids of every user, or None when no read holds them all
Everyone = Callable[[SuiteContext, str, dict[str, Any]], list[str] | None]
# (suite, listing URL, base query, page size) -> (how it pages, the ids of one page), page by page
Pages = Callable[[SuiteContext, str, dict[str, Any], int], Iterator[tuple[str, list[str]]]]


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


def user_ids(users: Any) -> list[str]:
    return [str(user.get("id")) for user in users if isinstance(user, dict)]


def compare_walk(
    suite: SuiteContext, url: str, base: dict[str, Any], everyone: Everyone, pages: Pages
) -> list[str]:
    """Walk the pages (`pages`, at a size that takes about TARGET_PAGES of them) between two
    reads of every user (`everyone`); the problems seen, none when no read holds everyone."""
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
