"""The server under test: the reference server started here, or a live one; and its users.

Before generation starts, the users that already exist are listed, so path ids can point at
them (deep states) and the callers' own users are kept out of reach of mutating requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx

from .context import KnownUser, SuiteContext
from .profiles import PROFILES
from .reference_process import ServerStartError, server_process
from .walks import largest_page


class SuiteSetupError(Exception):
    """The run cannot start: bad options or a server that cannot be reached."""


def api_base_url(spec: dict[str, Any], base_url: str) -> str:
    """The API's root: a bare origin gets the path of the contract's first server."""
    base_url = base_url.rstrip("/")
    try:
        parts = urlsplit(base_url)
    except ValueError as error:
        raise SuiteSetupError(f"--base-url {base_url!r} is not a URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SuiteSetupError(f"--base-url {base_url!r} must be an http:// or https:// URL")
    if parts.path in ("", "/"):
        servers = spec.get("servers") or [{"url": ""}]
        base_url += urlsplit(servers[0]["url"]).path.rstrip("/")
    return base_url


def parse_headers(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise SuiteSetupError(f"header {item!r} is not 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers


@contextmanager
def reference_server() -> Iterator[dict[str, Any]]:
    """Start the reference server (own process, temporary database, demo data); its credentials."""
    try:
        with server_process() as server:
            yield server.credentials
    except ServerStartError as error:
        raise SuiteSetupError(str(error)) from None


def reference_context(api: str, credentials: dict[str, Any], *, seed: int) -> SuiteContext:
    creds = credentials[api]
    profile = PROFILES[api]
    protected = {str(creds["admin_user_id"])}
    accounts: list[int] = []
    if api == "cloud-elements":
        protected.add(str(creds["account_admin"]["user_id"]))
        accounts = [creds["default_account_id"], creds["second_account_id"]]
    ctx = SuiteContext(
        profile=profile,
        base_url=creds["base_url"],
        headers={"Authorization": creds["Authorization"]},
        second_org_headers=(
            {"Authorization": creds["second_org"]["Authorization"]}
            if creds.get("second_org")
            else {}
        ),
        accounts=accounts,
        protected_ids=protected,
        default_password=creds.get("password"),
        seed=seed,
    )
    discover_users(ctx)
    return ctx


def live_context(
    api: str,
    base_url: str,
    headers: dict[str, str],
    second_org_headers: dict[str, str],
    *,
    seed: int,
    accounts: list[int] | None = None,
) -> SuiteContext:
    """A live server; `accounts` are the Cloud Elements accounts the caller administers (the
    API lists no accounts, so without them account paths mostly name accounts that are not)."""
    ctx = SuiteContext(
        profile=PROFILES[api],
        base_url=base_url,
        headers=headers,
        second_org_headers=second_org_headers,
        accounts=accounts or [],
        seed=seed,
        mutate_only_created=True,  # someone's real users are never changed on purpose
    )
    try:
        ctx.http.get("/", timeout=10)  # any answer will do: only reachability is in question
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        ctx.close()
        reason = str(error) or type(error).__name__
        raise SuiteSetupError(f"cannot reach {base_url}: {reason}") from None
    discover_users(ctx)
    return ctx


def discover_users(ctx: SuiteContext) -> None:
    """Fill the pool with the users the credentials can see (errors leave it empty)."""
    try:
        if ctx.profile.name == "cloud-elements":
            _discover_elements(ctx)
        else:
            _discover_tyk(ctx)
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        pass  # an unreachable or odd server is reported by the run itself


def _discover_elements(ctx: SuiteContext) -> None:
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


def _discover_tyk(ctx: SuiteContext) -> None:
    response = ctx.http.get("/api/users")
    if response.status_code != 200:
        return
    caller_key = ctx.headers.get("Authorization")
    for user in response.json().get("users") or []:
        ctx.remember(KnownUser(user["id"], user.get("email_address")))
        if caller_key and user.get("access_key") == caller_key:
            ctx.protected_ids.add(str(user["id"]))  # the caller: never reset its key
