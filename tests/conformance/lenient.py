"""A correct server that takes the other road wherever the contract allows two.

The reference server is one correct implementation; a vendor's may differ where the contract
leaves room. This variant of it:

- ignores request body fields the contract does not declare, wherever the body schema leaves
  `additionalProperties` open (a closed body must still refuse them);
- ends a Cloud Elements listing with a next-page token that leads to an empty page, instead of
  leaving the header out ("Stop when the header is absent or a page comes back empty");
- answers Tyk's create and update as dashboard 5.x does, in the contract's own examples: the
  create envelope's `Meta` is the new user's id (`created5x`), or no data at all (`""` as
  `createdV09`, `null` as the 5.x user guide: `created_meta`), and an update is answered with
  the status envelope `updated5x` instead of the user; a Tyk listing or search that finds
  nobody answers `"users": null`, as 5.x may.

The suite must pass it with zero failures: a check that fails it would fail a correct server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from faulty_servers import Exchange, Rewriting, bundled, serve

from generator.openapi.apis import API_NAMES
from generator.openapi.refs import resolve
from generator.openapi.walk import declared_properties, find_operation, iter_operations

END_TOKEN = "lenient-end-of-listing"
_PAGE_TOKEN = "elements-next-page-token"
# What a Tyk 5.x create answers in `Meta`: the new id, or no data ("" in v0.9, null in 5.x).
CREATED_META = ("id", "", None)
_TYK_USER = re.compile(r"^/api/users/[^/]+$")
_TYK_LISTINGS = ("/api/users", "/api/users/search")


def _open_bodies() -> list[tuple[str, re.Pattern[str], frozenset[str]]]:
    """(method, path pattern, declared properties) of every request body left open."""
    found = []
    for api in API_NAMES:
        spec = bundled(api)
        prefix = re.sub(r"^https?://[^/]+", "", (spec.get("servers") or [{"url": ""}])[0]["url"])
        for operation in iter_operations(spec):
            template = re.sub(r"\{[^}]+\}", "[^/]+", operation.path)
            pattern = re.compile("^" + prefix + template + "$")
            body = resolve(spec, operation.node.get("requestBody")) or {}
            for media in (body.get("content") or {}).values():
                schema = resolve(spec, media.get("schema")) or {}
                if schema.get("additionalProperties", True) is not False:
                    names = frozenset(declared_properties(spec, schema))
                    found.append((operation.method.upper(), pattern, names))
    return found


def _tyk_example(operation_id: str, name: str) -> dict[str, Any]:
    spec = bundled("tyk-dashboard")
    operation = find_operation(spec, operation_id)
    assert operation is not None, operation_id
    media = resolve(spec, operation.node["responses"]["200"])["content"]["application/json"]
    return dict(resolve(spec, media["examples"][name])["value"])


def _tyk5(created_meta: str | None) -> Any:
    """Answer Tyk's create and update in the 5.x forms the contract documents."""
    created = _tyk_example("createUser", "created5x" if created_meta else "createdV09")
    updated = _tyk_example("updateUser", "updated5x")

    def after(ex: Exchange) -> None:
        value = ex.json()
        if ex.status != 200 or not isinstance(value, dict):
            return
        if ex.method == "POST" and ex.path == "/api/users" and isinstance(value.get("Meta"), dict):
            meta = value["Meta"]["id"] if created_meta == "id" else created_meta
            ex.reply(200, {**created, "Meta": meta})
        elif ex.method == "PUT" and _TYK_USER.match(ex.path) and "id" in value:
            ex.reply(200, updated)
        elif ex.path in _TYK_LISTINGS and value.get("users") == []:
            ex.reply(200, {**value, "users": None})

    return after


def _lenient(
    open_bodies: list[tuple[str, re.Pattern[str], frozenset[str]]], created_meta: str | None
) -> tuple[Any, Any]:
    tyk5 = _tyk5(created_meta)

    def before(ex: Exchange) -> None:
        if ex.query.get("nextPage") == END_TOKEN:
            ex.reply(200, [])
            ex.response_headers["elements-returned-count"] = "0"
            return
        for method, pattern, names in open_bodies:
            if ex.method == method and pattern.match(ex.path) and ex.body:
                try:
                    body = json.loads(ex.body)
                except ValueError:
                    return
                if isinstance(body, dict) and names:
                    ex.body = json.dumps({k: v for k, v in body.items() if k in names}).encode()
                return

    def after(ex: Exchange) -> None:
        listing = ex.method == "GET" and ex.path.endswith("/users") and "/elements/" in ex.path
        if listing and ex.status == 200 and _PAGE_TOKEN not in ex.response_headers:
            ex.response_headers[_PAGE_TOKEN] = END_TOKEN
        tyk5(ex)

    return before, after


@contextmanager
def lenient_server(created_meta: str | None = "id") -> Iterator[tuple[str, dict[str, Any]]]:
    """The lenient variant on a free loopback port: (origin, credentials).

    `created_meta` is what Tyk's create answers in `Meta`: "id" (the new id), "" or None.
    """
    hooks = _lenient(_open_bodies(), created_meta)

    def wrap(app: Any, creds: dict[str, Any]) -> Any:
        return Rewriting(app, before=hooks[0], after=hooks[1])

    with serve(wrap) as running:
        yield running
