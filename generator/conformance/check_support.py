"""What every domain check reads the same way: the API, the answer, the URL, a second request.

Shared by `checks.py` and the checks of the further operations (`access_checks.py`,
`search_checks.py`), so each check body says only what it checks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
import schemathesis
from schemathesis import Case, CheckContext, Response

from .cases import operation_id
from .context import SuiteContext, current
from .profiles import ApiProfile, profile_for_document


def profile_of(case: Case) -> ApiProfile:
    ctx = current()
    if ctx is not None:
        return ctx.profile
    return profile_for_document(case.operation.schema.raw_schema)


@dataclass(frozen=True)
class Checked:
    """One case and its answer, as a domain check's body sees them once its preconditions hold."""

    case: Case
    response: Response
    profile: ApiProfile
    operation: str  # the operationId
    suite: SuiteContext | None  # the run; None outside one (never for a check that needs one)

    @property
    def run(self) -> SuiteContext:
        assert self.suite is not None, "a check declared with needs_run=True"
        return self.suite


Check = Callable[[CheckContext, Response, Case], bool | None]
_NAMED_BY = ("__module__", "__name__", "__qualname__", "__doc__")  # not __wrapped__: the
# engine calls the check with (ctx, response, case), whatever the body takes
Operations = Callable[[ApiProfile], frozenset[str]]


def domain_check(
    *,
    operations: Operations | None = None,
    needs_run: bool = False,
    success_only: bool = True,
) -> Callable[[Callable[[Checked], bool | None]], Check]:
    """Register a domain check with Schemathesis, its preconditions declared instead of tested
    at the top of its body: only within a suite run (`needs_run`), only for the operations the
    profile names (`operations`), only for a 2xx answer (`success_only`). Where they do not
    hold, the check answers True (it does not apply, so it is not counted as run)."""

    def register(body: Callable[[Checked], bool | None]) -> Check:
        def check(ctx: CheckContext, response: Response, case: Case) -> bool | None:
            suite = current()
            if needs_run and suite is None:
                return True
            profile, op = profile_of(case), operation_id(case)
            if operations is not None and op not in operations(profile):
                return True
            if success_only and not is_2xx(response):
                return True
            try:
                return body(Checked(case, response, profile, op, suite))
            except AssertionError:
                raise
            except Exception as error:
                # The engine keeps only that the check errored: the run keeps what happened.
                if suite is not None:
                    suite.note_crash(case.id, body.__name__, error)
                raise

        # Its name and one-line docstring are what reports show: those of the body.
        functools.update_wrapper(check, body, assigned=_NAMED_BY, updated=())
        return schemathesis.check(check)

    return register


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
    wire = {name: _header_bytes(value) for name, value in {**sent, **headers}.items()}
    # Schemathesis prepares a body as bytes or str, never a stream.
    body = cast("bytes | str | None", request.body)
    return suite.http.request(
        request.method or "GET",
        request.url or "",
        content=body if isinstance(body, bytes) else body or None,
        # httpx takes str names with bytes values (it encodes each on its own), but its
        # HeaderTypes lists only all-str or all-bytes pairs.
        headers=wire,  # type: ignore[arg-type]
    )


def _header_bytes(value: str | bytes) -> bytes:
    """Header values as sent on the wire: httpx would refuse a non-ASCII str (generated data)."""
    if isinstance(value, bytes):
        return value
    try:
        return value.encode("latin-1")  # what `requests` (Schemathesis' transport) sends
    except UnicodeEncodeError:
        return value.encode("utf-8")
