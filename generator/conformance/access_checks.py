"""Domain checks of the operations about a user's access: revoking it, and reading oneself.

Registered with Schemathesis like those of `checks.py` (one-line docstrings; True when a check
does not apply). Where the credential goes is read from the operation's security schemes.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

from schemathesis import Case, Response

from generator.openapi.walk import find_operation

from .check_support import Checked, domain_check, json_of, without_query
from .created import users_in
from .profiles import ApiProfile

KEY_REFUSED = frozenset({401, 403})


def api_keys(spec: dict[str, Any], operation: dict[str, Any]) -> list[tuple[str, str]]:
    """(location, name) of each apiKey scheme the operation accepts (its own or the root's)."""
    requirements = operation.get("security", spec.get("security")) or []
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    found = []
    for requirement in requirements:
        for name in requirement or {}:
            scheme = schemes.get(name) or {}
            if scheme.get("type") == "apiKey" and scheme.get("in") and scheme.get("name"):
                found.append((scheme["in"], scheme["name"]))
    return found


def _sent_cookies(response: Response) -> set[str]:
    cookies = SimpleCookie()
    try:
        # requests builds the Cookie header as a str.
        cookies.load(cast(str, response.request.headers.get("cookie", "")))
    except CookieError:
        return set()
    return {name for name, morsel in cookies.items() if morsel.value}


def _user_url(case: Case, profile: ApiProfile, url: str) -> str:
    """The URL of the user an action addresses: `/api/users/{userId}/actions/revoke` read as
    `/api/users/{userId}` (the segments after the user parameter dropped)."""
    template = case.operation.path.rstrip("/").split("/")
    at = next(i for i, part in enumerate(template) if part.strip("{}") in profile.user_params)
    parts = urlsplit(without_query(url))
    segments = parts.path.rstrip("/").split("/")
    kept = segments[: len(segments) - (len(template) - at - 1)]
    return urlunsplit((parts.scheme, parts.netloc, "/".join(kept), "", ""))


def _key_header(case: Case, operation_id: str) -> tuple[str, str] | None:
    """(path, header name) of an operation that takes an access key in a header."""
    spec = case.operation.schema.raw_schema
    found = find_operation(spec, operation_id)
    if found is None:
        return None
    names = [name for where, name in api_keys(spec, found.node) if where == "header"]
    return (found.path, names[0]) if names else None


@domain_check(operations=lambda profile: profile.revoke_operations, needs_run=True)
def revoked_user_is_inactive(checked: Checked) -> bool | None:
    """After a successful revoke, the user reads back inactive and their access key is refused."""
    suite, profile, op = checked.run, checked.profile, checked.operation
    case, response = checked.case, checked.response
    url = _user_url(case, profile, response.request.url or "")
    read = suite.http.get(url, params=profile.include_inactive)
    if read.status_code == 404:
        return None  # deleted meanwhile by a concurrent worker
    user: Any = read.json() if read.status_code == 200 else None
    if not isinstance(user, dict):
        raise AssertionError(f"GET {url} after {op} answered {read.status_code}")
    if user.get(profile.active_field) is not False:
        raise AssertionError(
            f"GET {url} after {op} shows {profile.active_field}="
            f"{user.get(profile.active_field)!r}, expected false"
        )
    key = user.get(profile.access_key_field or "")
    target = next(
        (_key_header(case, name) for name in sorted(profile.current_user_operations)), None
    )
    if not isinstance(key, str) or not key or target is None:
        return None  # the key is hidden (or cannot be tried): the state above is all we know
    path, header = target
    answer = suite.http.get(path, headers={header: key})
    if answer.status_code not in KEY_REFUSED:
        raise AssertionError(
            f"The revoked user's access key still works: GET {path} with it answered "
            f"{answer.status_code}, expected one of {sorted(KEY_REFUSED)}"
        )
    return None


@domain_check(operations=lambda profile: profile.current_user_operations)
def current_user_is_the_caller(checked: Checked) -> bool | None:
    """Reading the current user answers the user whose access key was sent, not another one."""
    profile, case, response = checked.profile, checked.case, checked.response
    keys = api_keys(case.operation.schema.raw_schema, case.operation.definition.raw)
    headers = [name for where, name in keys if where == "header"]
    cookies = {name for where, name in keys if where == "cookie"}
    sent = next(
        (response.request.headers.get(n) for n in headers if n in response.request.headers), None
    )
    # A session cookie is no access key (the dashboard's UI login); with both, the contract does
    # not say which one names the caller.
    if not sent or not sent.strip() or cookies & _sent_cookies(response):
        return True
    users = users_in(json_of(response), profile)
    key = users[0].get(profile.access_key_field or "") if users else None
    if not isinstance(key, str) or not key:
        return True  # no user, or its key hidden: nothing to tell the caller by
    if key.strip() != sent.strip():
        raise AssertionError(
            f"{case.method.upper()} {case.operation.path} answered user "
            f"{users[0].get(profile.id_field)!r}, whose {profile.access_key_field} is not the "
            "one the request was sent with"
        )
    return None
