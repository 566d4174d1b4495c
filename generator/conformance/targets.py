"""The server under test: the reference server started here, or a live one; and its users.

Before generation starts, the users that already exist are listed, so path ids can point at
them (deep states) and the callers' own users are kept out of reach of mutating requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import own_users
from .adapters import adapter_for
from .context import SuiteContext
from .reference_process import ServerStartError, server_process

Progress = Callable[[str], None]


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


@contextmanager
def open_target(
    api: str,
    spec: dict[str, Any],
    base_url: str | None,
    live: tuple[Sequence[str], Sequence[str], Sequence[int]],
    seed: int | None,
    credentials: dict[str, Any] | None,
    progress: Progress,
) -> Iterator[SuiteContext]:
    """The run's context on its server: the reference server started here (no credentials and
    no base URL), one already running (its `credentials`), or a live one at `base_url` with the
    `live` (headers, second organization's headers, account ids); on a live server the users
    the run may change are made first and removed after."""
    with ExitStack() as stack:
        if credentials is None and base_url is None:
            credentials = stack.enter_context(reference_server())
        if credentials is not None:
            ctx = reference_context(api, credentials, seed=seed or 0)
        else:
            headers, second_org_headers, account_ids = live
            ctx = live_context(
                api,
                api_base_url(spec, str(base_url)),
                parse_headers(list(headers)),
                parse_headers(list(second_org_headers)),
                seed=seed or 0,
                accounts=list(account_ids),
            )
        stack.callback(ctx.close)
        if ctx.mutate_only_created:
            made = own_users.create_reserve(ctx, spec)
            progress(f"Created {made} users of its own to change and delete")
            stack.callback(_clean_up, ctx, spec, progress)
        yield ctx


def _clean_up(ctx: SuiteContext, spec: dict[str, Any], progress: Progress) -> None:
    removed, left = own_users.remove_created(ctx, spec)
    note = f", {left} could not be deleted" if left else ""
    progress(f"Cleanup: deleted {removed} users the run created{note}")


def reference_context(api: str, credentials: dict[str, Any], *, seed: int) -> SuiteContext:
    creds = credentials[api]
    adapter = adapter_for(api)
    protected, accounts = adapter.reference_targets(creds)
    ctx = SuiteContext(
        profile=adapter.profile,
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
        profile=adapter_for(api).profile,
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
    # An unreachable or odd server is reported by the run itself.
    with suppress(httpx.HTTPError, ValueError, KeyError, TypeError):
        adapter_for(ctx.profile.name).discover_users(ctx)
