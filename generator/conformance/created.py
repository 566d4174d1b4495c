"""The user a create made, whichever form the contract lets the answer take.

A create answer may hold the new user, only its id, or nothing about it: Tyk's `Meta` is the user
on the reference server, the id in the 5.x API reference, and `""` or `null` in v0.9 and the
5.x guide (the contract's `UserCreated`). With no id in the answer, the user is found by the
email the create sent, through the API's email search (the profile names it).
"""

from __future__ import annotations

from typing import Any

import httpx

from generator.openapi.walk import find_operation

from .context import SuiteContext
from .profiles import ApiProfile


def users_in(value: Any, profile: ApiProfile) -> list[dict[str, Any]]:
    """Every user object in a response body, wherever it sits (list, envelope, Meta)."""
    found: list[dict[str, Any]] = []
    _add_users(value, profile.id_field, profile.email_field, found)
    return found


def _add_users(value: Any, id_field: str, email_field: str, found: list[dict[str, Any]]) -> None:
    # Filled in place, in document order, scalars never visited: two checks ask this of every
    # answer the proxy judges, and a list made and merged per node of the body was most of it.
    if isinstance(value, dict):
        if id_field in value and email_field in value:
            found.append(value)
        items: Any = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return
    for item in items:
        if isinstance(item, dict | list):
            _add_users(item, id_field, email_field, found)


def created_user(
    ctx: SuiteContext, spec: dict[str, Any], answer: Any, email: Any
) -> dict[str, Any] | None:
    """The new user as the answer holds it, else its id (from the answer, or found by email)
    with the email sent."""
    profile = ctx.profile
    value = answer
    for key in profile.created_user_pointer:
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, dict):
        return value if profile.id_field in value else None
    user_id = value if isinstance(value, str) and value else None
    if user_id is None and isinstance(email, str):
        user_id = find_by_email(ctx, spec, email)
    return None if user_id is None else {profile.id_field: user_id, profile.email_field: email}


def find_by_email(ctx: SuiteContext, spec: dict[str, Any], email: str) -> Any | None:
    """The id of the one user with this email (ignoring case), found with the email search."""
    profile = ctx.profile
    found = find_operation(spec, profile.email_search_operation or "")
    if found is None:
        return None
    method, path = found.method.upper(), found.path
    body: Any = email
    for key in reversed(profile.email_search_pointer):
        body = {key: body}
    try:
        response = ctx.http.request(method, path, json=body)
        answer = response.json() if response.is_success else None
    except (httpx.HTTPError, ValueError):
        return None
    matches = {
        str(user[profile.id_field]): user[profile.id_field]
        for user in users_in(answer, profile)
        if isinstance(user[profile.email_field], str)
        and user[profile.email_field].casefold() == email.casefold()
    }
    return next(iter(matches.values())) if len(matches) == 1 else None
