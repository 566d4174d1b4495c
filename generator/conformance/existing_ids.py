"""Aim a valid case at users and accounts that exist, and give a password header the right
password: a random id almost always gets a 404, which never reaches the handlers.

The order of the random draws is part of a seed's run (`tests/conformance/test_repeatable.py`):
each function draws only where the code before the split did.
"""

from __future__ import annotations

from typing import Any

from schemathesis import Case
from schemathesis.core.parameters import ParameterLocation

from . import canaries
from .adapters import adapter_for
from .cases import operation_id, supplied, unknown_user_is_404
from .check_support import user_param
from .context import KnownUser, SuiteContext

EXISTING_RATE = 0.85  # share of valid path ids replaced by an existing user or account
EMAIL_RATE = 0.25  # share of those gets that name the user by email instead of id
PASSWORD_RATE = 0.5  # share of gets with a password header that send the right password


def point_at_existing(ctx: SuiteContext, case: Case) -> None:
    """Swap unknown ids for known ones; ids that exist (e.g. from a link) stay as they are."""
    params = dict(case.path_parameters or {})
    linked = supplied(case, ParameterLocation.PATH)
    user = _choose_user(ctx, case, params, linked)
    _align_account(ctx, params, linked, user)
    case.path_parameters = {name: _typed(case, name, value) for name, value in params.items()}


def _choose_user(
    ctx: SuiteContext, case: Case, params: dict[str, Any], linked: set[str]
) -> KnownUser | None:
    """The user the case addresses, after moving its user parameter to a known user (in
    `params`) when it must move or mostly when it names nobody known."""
    name = next((name for name in params if name in ctx.profile.user_params), None)
    if name is None or name in linked:
        return None  # no user, or one this run's own request returned: aimed at on purpose
    user = ctx.find(params[name])
    must_move = _must_move(ctx, case, params[name], user)
    if not must_move and not (user is None and ctx.chance(EXISTING_RATE)):
        return user
    mutating = case.method.upper() != "GET"
    deleting = operation_id(case) in ctx.profile.delete_operations
    user = ctx.pick_user(mutating=mutating, deleting=deleting)
    if user is not None:
        params[name] = _id_or_email(ctx, user, name, mutating)
    elif must_move:
        # Nobody of the run's own is left to change: the request goes to an id that cannot
        # exist instead, and is reported as such, not as a valid request.
        params[name] = adapter_for(ctx.profile.name).missing_id
        ctx.probes.add(case.id)
    return user


def _must_move(ctx: SuiteContext, case: Case, value: Any, user: KnownUser | None) -> bool:
    """Protect the callers and real users: never write to the caller; on a live server write
    only to users this run created (a generated id such as 1 may be a real person, or the
    caller, whose id a Cloud Elements server never shows); and never leave an unknown id where
    the answer to it would read as a valid request rejected."""
    if case.method.upper() != "GET" and not ctx.may_change(value):
        return True
    return user is None and not unknown_user_is_404(case)


def _id_or_email(ctx: SuiteContext, user: KnownUser, name: str, mutating: bool) -> Any:
    """The user's id; a read that takes either sometimes names the user by email."""
    by_email = name == "emailOrId" and not mutating and user.email
    if by_email and ctx.chance(EMAIL_RATE):
        return user.email
    return user.id


def _align_account(
    ctx: SuiteContext, params: dict[str, Any], linked: set[str], user: KnownUser | None
) -> None:
    """The account in the path: mostly the chosen user's, else mostly a known one."""
    account = ctx.profile.account_param
    if account is None or account not in params or account in linked or not ctx.accounts:
        return
    if user is not None and user.account is not None:
        if params[account] != user.account and ctx.chance(EXISTING_RATE):
            params[account] = user.account
    elif params[account] not in ctx.accounts and ctx.chance(EXISTING_RATE):
        params[account] = ctx.accounts[ctx.rng.randrange(len(ctx.accounts))]


def _typed(case: Case, name: str, value: Any) -> Any:
    """The value in its schema's type: a string id in a string parameter counts as valid data."""
    for parameter in case.operation.path_parameters:
        if parameter.name == name:
            kind = parameter.definition.get("schema", {}).get("type")
            if kind == "string":
                return str(value)
            if kind == "integer" and str(value).isascii() and str(value).isdigit():
                return int(value)
    return value


def set_password_headers(ctx: SuiteContext, case: Case) -> None:
    """A password header carries the addressed user's password half the time, else a canary."""
    names = canaries.secret_headers(case.operation) - supplied(case, ParameterLocation.HEADER)
    names &= set(case.headers)
    if not names:
        return
    user = ctx.find(user_param(case, ctx.profile))
    headers = case.headers.copy()
    for name in sorted(names):
        password = ctx.password_of(user.id) if user is not None else None
        if password is not None and ctx.chance(PASSWORD_RATE):
            headers[name] = password
        else:
            headers[name] = ctx.issue_canary()
    case.headers = headers
