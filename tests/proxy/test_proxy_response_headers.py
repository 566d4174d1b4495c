"""The declared response headers are judged on observed traffic: a Cloud Elements listing's
`Elements-Next-Page-Token` and `Elements-Returned-Count` (schemas in the contract's
components/headers), each fault a `response_headers_conformance` violation, the answer still
forwarded unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from proxied import Proxied, start_proxy
from server_harness import loopback_socket, serving

BODY = json.dumps([]).encode()
HEADERS = {
    "fine": [(b"elements-returned-count", b"0")],
    "empty_token": [(b"elements-next-page-token", b""), (b"elements-returned-count", b"0")],
    "count_not_a_number": [(b"elements-returned-count", b"abc")],
    "count_missing": [],
}


async def _listing(scope: dict, receive: Any, send: Any) -> None:
    """A Cloud Elements `GET /users` answering an empty page with the headers the case names."""
    if scope["type"] != "http":
        return
    case = scope["query_string"].decode().removeprefix("case=")
    head = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]
    await send({"type": "http.response.start", "status": 200, "headers": head + HEADERS[case]})
    await send({"type": "http.response.body", "body": BODY})


@pytest.fixture(scope="module")
def proxied() -> Iterator[Proxied]:
    sock, origin = loopback_socket()
    with serving(_listing, sock, lifespan="off"):
        yield from start_proxy("cloud-elements", origin)


@pytest.mark.parametrize("case", list(HEADERS))
def test_declared_response_headers_are_judged(proxied: Proxied, case: str) -> None:
    before = len(proxied.violations())
    answer = httpx.get(
        proxied.origin + f"/elements/api-v2/users?case={case}",
        headers={"Authorization": "User u, Organization o"},
        timeout=30,
    )
    assert answer.status_code == 200 and answer.content == BODY  # forwarded as it came
    for name, value in HEADERS[case]:
        assert answer.headers[name.decode()] == value.decode()
    found = [v for v in proxied.violations()[before:] if " response_headers_conformance: " in v]
    assert len(found) == (0 if case == "fine" else 1), found
