"""A correct server that takes the other road wherever the contract allows two.

The reference server is one correct implementation; a vendor's may differ where the contract
leaves room. This variant of it:

- ignores request body fields the contract does not declare, wherever the body schema leaves
  `additionalProperties` open (a closed body must still refuse them);
- ends a Cloud Elements listing with a next-page token that leads to an empty page, instead of
  leaving the header out ("Stop when the header is absent or a page comes back empty").

The suite must pass it with zero failures: a check that fails it would fail a correct server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from faulty_servers import Exchange, Rewriting, serve

from generator.server.validation import HTTP_METHODS, resolve
from generator.spec.apis import API_NAMES
from generator.spec.bundle import bundle_api

END_TOKEN = "lenient-end-of-listing"
_PAGE_TOKEN = "elements-next-page-token"


def _open_bodies() -> list[tuple[str, re.Pattern[str], frozenset[str]]]:
    """(method, path pattern, declared properties) of every request body left open."""
    found = []
    for api in API_NAMES:
        spec = bundle_api(api)
        prefix = re.sub(r"^https?://[^/]+", "", (spec.get("servers") or [{"url": ""}])[0]["url"])
        for path, item in spec.get("paths", {}).items():
            pattern = re.compile("^" + prefix + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
            for method in HTTP_METHODS:
                operation = resolve(spec, item).get(method)
                body = resolve(spec, (operation or {}).get("requestBody")) or {}
                for media in (body.get("content") or {}).values():
                    schema = resolve(spec, media.get("schema")) or {}
                    if schema.get("additionalProperties", True) is not False:
                        names = frozenset(schema.get("properties") or {})
                        found.append((method.upper(), pattern, names))
    return found


def _lenient(open_bodies: list[tuple[str, re.Pattern[str], frozenset[str]]]) -> tuple[Any, Any]:
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

    return before, after


@contextmanager
def lenient_server() -> Iterator[tuple[str, dict[str, Any]]]:
    """The lenient variant on a free loopback port: (origin, credentials)."""
    hooks = _lenient(_open_bodies())

    def wrap(app: Any, creds: dict[str, Any]) -> Any:
        return Rewriting(app, before=hooks[0], after=hooks[1])

    with serve(wrap) as running:
        yield running
