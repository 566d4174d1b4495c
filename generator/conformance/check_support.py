"""What every domain check reads the same way: the API, the answer, the URL, a second request.

Shared by `checks.py` and the checks of the further operations (`access_checks.py`,
`search_checks.py`), so each check body says only what it checks.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from schemathesis import Case, Response

from .context import SuiteContext, current
from .profiles import ApiProfile, profile_for_document


def profile_of(case: Case) -> ApiProfile:
    ctx = current()
    if ctx is not None:
        return ctx.profile
    return profile_for_document(case.operation.schema.raw_schema)


def json_of(response: Response | httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def is_2xx(response: Response) -> bool:
    return 200 <= response.status_code < 300


def user_param(case: Case, profile: ApiProfile) -> Any:
    params = case.path_parameters or {}
    return next((params[name] for name in profile.user_params if name in params), None)


def without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def replay(suite: SuiteContext, response: Response, headers: dict[str, str]) -> httpx.Response:
    """The request of `response` sent again with other credentials (`headers`)."""
    request = response.request
    sent = {k: v for k, v in request.headers.items() if k.lower() not in ("content-length", "host")}
    for name in list(sent):
        if name.lower() in {h.lower() for h in suite.headers}:
            del sent[name]
    return suite.http.request(
        request.method or "GET",
        request.url or "",
        content=request.body if isinstance(request.body, bytes) else request.body or None,
        headers={name: _header_bytes(value) for name, value in {**sent, **headers}.items()},
    )


def _header_bytes(value: str | bytes) -> bytes:
    """Header values as sent on the wire: httpx would refuse a non-ASCII str (generated data)."""
    if isinstance(value, bytes):
        return value
    try:
        return value.encode("latin-1")  # what `requests` (Schemathesis' transport) sends
    except UnicodeEncodeError:
        return value.encode("utf-8")
