"""On a live server the suite writes only to users it made: some made up front, all removed after.

Without them, the only users a run may change are the ones its own create calls made, and its
delete calls use those up as fast as they come: writes on staging would rarely reach a user.
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

import httpx

from generator.openapi.refs import resolve
from generator.openapi.walk import find_operation

from .context import KnownUser, SuiteContext
from .created import created_user

RESERVE = 6  # users made per account (Cloud Elements) or per organization (Tyk)


def _example_body(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    body = resolve(spec, operation.get("requestBody")) or {}
    for media in body.get("content", {}).values():
        for example in (media.get("examples") or {}).values():
            value = resolve(spec, example).get("value")
            if isinstance(value, dict):
                return copy.deepcopy(value)
        if isinstance(media.get("example"), dict):
            return copy.deepcopy(media["example"])
    return None


def create_reserve(ctx: SuiteContext, spec: dict[str, Any], count: int = RESERVE) -> int:
    """Create users from the contract's own create example; returns how many were made."""
    profile = ctx.profile
    found = find_operation(spec, profile.create_operation)
    body = _example_body(spec, found.node) if found else None
    if found is None or body is None:
        return 0
    method, path = found.method.upper(), found.path
    targets: list[int | None] = list(ctx.accounts) if profile.account_param else [None]
    if profile.account_param and not targets:
        return 0  # account ids are needed to create a Cloud Elements user
    token, made = secrets.token_hex(4), 0
    for account in targets:
        url = path.replace("{" + str(profile.account_param) + "}", str(account))
        for number in range(count):
            email = f"usersapi-suite-{token}-{account or 0}-{number}@example.com"
            sent = {**body, profile.email_field: email}
            try:
                response = ctx.http.request(method, url, json=sent)
                answer: Any = response.json() if response.is_success else None
            except (httpx.HTTPError, ValueError):
                continue
            user = created_user(ctx, spec, answer, email) if answer is not None else None
            if user is not None:
                password = sent.get("password")
                ctx.remember(
                    KnownUser(
                        user[profile.id_field],
                        sent[profile.email_field],
                        account,
                        password if isinstance(password, str) else None,
                        created=True,
                        reserved=True,
                    )
                )
                made += 1
    return made


def remove_created(ctx: SuiteContext, spec: dict[str, Any]) -> tuple[int, int]:
    """Delete every user the run created that still exists: (removed, left behind)."""
    profile = ctx.profile
    paths = []
    for operation_id in sorted(profile.delete_operations):
        found = find_operation(spec, operation_id)
        # The delete that needs nothing but the user (no account in the path).
        if found and found.path.count("{") == 1:
            paths.append(found.path)
    if not paths:
        return 0, 0
    removed = left = 0
    with ctx._lock:
        created = [user for user in ctx.users.values() if user.created]
    for user in created:
        # Some deletes reach only part of the users (Cloud Elements' /organizations/users: the
        # default account); a 404 from one is tried with the next.
        outcome = _delete_anywhere(ctx, paths, user.id)
        removed += outcome == "removed"
        left += outcome == "left"
    return removed, left


def _delete_anywhere(ctx: SuiteContext, templates: list[str], user_id: Any) -> str:
    for template in templates:
        name = template[template.index("{") + 1 : template.index("}")]
        try:
            response = ctx.http.delete(template.replace("{" + name + "}", str(user_id)))
        except httpx.HTTPError:
            return "left"
        if response.is_success:
            return "removed"
        if response.status_code != 404:
            return "left"
    return "gone"  # 404 everywhere: a test deleted it
