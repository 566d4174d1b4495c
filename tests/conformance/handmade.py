"""Hand-built cases and responses for the domain checks, and a suite context over a fake server.

The checks run exactly as in a suite run; only the network is replaced: the response under
test is built here, and the second requests a check sends (`SuiteContext.http`) are answered
by a function of the test.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import httpx
from schemathesis import BaseSchema, Case, Response

from generator.conformance import context as suite_context
from generator.conformance.config import build_schema
from generator.conformance.context import KnownUser, SuiteContext
from generator.conformance.profiles import PROFILES
from generator.openapi.bundle import bundle_api

BASE = {"cloud-elements": "http://api.test/elements/api-v2", "tyk-dashboard": "http://api.test"}
Handler = Callable[[httpx.Request], httpx.Response]


@cache
def schema(api: str) -> BaseSchema:
    return build_schema(bundle_api(api), base_url=BASE[api], headers={})


def case(api: str, operation_id: str, **parts: Any) -> Case:
    return schema(api).find_operation_by_id(operation_id).Case(**parts)


def response(
    case: Case, status: int, body: Any = None, headers: dict[str, str] | None = None
) -> Response:
    """The answer to `case`, as the server under test would send it."""
    path = case.formatted_path if hasattr(case, "formatted_path") else case.path
    url = BASE[_api(case)] + path
    content = json.dumps(body).encode() if body is not None else b""
    head = {"content-type": "application/json", **(headers or {})}
    request = httpx.Request(
        case.method.upper(),
        url,
        params=case.query or None,
        headers=case.headers or None,
        json=case.body if isinstance(case.body, dict | list) else None,
    )
    answer = httpx.Response(status, content=content, headers=head, request=request)
    answer.read()  # a response as the transport hands it over: complete, timed
    answer.elapsed = datetime.timedelta(milliseconds=1)
    converted = Response.from_any(answer)
    converted.request.url = str(request.url)  # the conversion appends the query a second time
    return converted


def _api(case: Case) -> str:
    return (
        "tyk-dashboard"
        if "/api/users" in case.operation.schema.raw_schema["paths"]
        else ("cloud-elements")
    )


def never_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request {request.method} {request.url}")


@contextmanager
def suite(api: str, handler: Handler = never_called, **fields: Any) -> Iterator[SuiteContext]:
    """A suite context whose own requests go to `handler`, installed for the checks."""
    ctx = SuiteContext(PROFILES[api], BASE[api], {"Authorization": "mine"}, **fields)
    ctx.http.close()
    ctx.http = httpx.Client(
        base_url=BASE[api], headers=ctx.headers, transport=httpx.MockTransport(handler)
    )
    suite_context.install(ctx)
    try:
        yield ctx
    finally:
        suite_context.install(None)
        ctx.close()


def fails(check: Any, the_case: Any, the_response: Any) -> bool:
    """Whether the check reports a failure for this case and response."""
    try:
        check(None, the_response, the_case)
    except AssertionError:
        return True
    return False


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def tyk_user(user_id: str = "a" * 24, **fields: Any) -> dict[str, Any]:
    return {
        "id": user_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email_address": "ada@example.com",
        "org_id": "b" * 24,
        "active": True,
        **fields,
    }


def elements_user(user_id: int = 7, **fields: Any) -> dict[str, Any]:
    return {
        "id": user_id,
        "firstName": "Ada",
        "lastName": "Lovelace",
        "fullName": "Ada Lovelace",
        "email": "ada@example.com",
        "active": True,
        **fields,
    }


__all__ = ["BASE", "KnownUser", "case", "fails", "json_reply", "response", "suite"]
