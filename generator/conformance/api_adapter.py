"""What the suite does differently per API, as one object per API (`cloud_elements.py`,
`tyk.py`, found by name in `adapters.py`), so no other module asks which API it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .context import SuiteContext
from .profiles import ApiProfile


@dataclass(frozen=True)
class ApiAdapter:
    profile: ApiProfile
    missing_id: Any  # an id no user has: where a write must not reach anyone real
    # Fill the run's pool with the users the credentials can see.
    discover_users: Callable[[SuiteContext], None]
    # Walk every page of a listing (its URL and the query it was sent with): the problems seen.
    walk_all: Callable[[SuiteContext, str, dict[str, Any]], list[str]]
    # From the reference server's credentials of this API: the callers' user ids (never to be
    # changed) and the accounts whose users the run may address.
    reference_targets: Callable[[dict[str, Any]], tuple[set[str], list[int]]]
    # A `where` filter over values the known users have, when the API filters listings so.
    random_where: Callable[[SuiteContext], str] | None = None
