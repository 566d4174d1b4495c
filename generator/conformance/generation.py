"""Deep states: generated requests mostly address users and accounts that exist.

A random id almost always gets a 404, so a plain run rarely gets past the lookup into the
handlers. `map_case` swaps a schema-valid path id for a known user (from the demo data or made
by this run) most of the time; `after_call` keeps that pool current as users come and go.
Negative values and the values a stateful step took from a link are left untouched. Secret
fields and password headers of valid cases carry canaries (`canaries.py`).
"""

from __future__ import annotations

import re
from typing import Any, cast

from schemathesis import BaseSchema, Case, HookContext, Response
from schemathesis.core.parameters import ParameterLocation

from generator import ceql

from . import canaries
from .adapters import adapter_for
from .cases import operation_id, positive, stateful, supplied
from .check_support import user_param
from .context import KnownUser, SuiteContext, current
from .created import created_user
from .existing_ids import EXISTING_RATE, point_at_existing, set_password_headers
from .search_texts import aim_search_at_known_text
from .where_filter import fields_for

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def filter_case(context: HookContext, case: Case) -> bool:
    """Drop a stateful step whose link-supplied user is gone, or a write to one not to change.

    Links may take ids from any response, a listing too (Schemathesis also infers links), so a
    step could address the caller or, on a live server, someone's real user. Replacing the id
    would make the step claim a created resource is missing; dropping it claims nothing.
    """
    ctx = current()
    if ctx is None:
        return True
    from_links = supplied(case, ParameterLocation.PATH)
    params = case.path_parameters or {}
    linked = [params[name] for name in ctx.profile.user_params if name in from_links]
    # A link the answer could not fill (a Tyk create whose `Meta` is only the id, or no data,
    # has no `Meta.id`): Schemathesis would take any id put there for the created user's.
    if stateful(case) and any(n in params and n not in from_links for n in ctx.profile.user_params):
        return False
    # A user the run deleted, maybe through another path to the same user (Cloud Elements'
    # /users/{id} and /organizations/users/{id}): its 404 would pass for a lost resource.
    if any(str(value) in ctx.deleted for value in linked):
        return False
    if case.method.upper() == "GET":
        return True
    return all(ctx.may_change(value) for value in linked)


def map_case(context: HookContext, case: Case) -> Case:
    ctx = current()
    if ctx is None:
        return case
    if case.path_parameters and positive(case, ParameterLocation.PATH):
        point_at_existing(ctx, case)
    if case.query and positive(case, ParameterLocation.QUERY):
        _valid_query(ctx, case)
    if isinstance(case.body, dict) and positive(case, ParameterLocation.BODY):
        _fresh_email(ctx, case)
        _body_canaries(ctx, case)
    aim_search_at_known_text(ctx, case)
    if case.headers:
        _drop_undeclared_headers(case)
        _wire_encodable_headers(case)
        if positive(case, ParameterLocation.HEADER):
            set_password_headers(ctx, case)
    if operation_id(case) in ctx.profile.delete_operations:
        params = case.path_parameters or {}
        ctx.aim_delete([params[name] for name in ctx.profile.user_params if name in params])
    return case


def _body_canaries(ctx: SuiteContext, case: Case) -> None:
    """Each secret field a valid body carries gets a value of its own, recorded for the checks."""
    body = cast("dict[str, Any]", case.body)  # map_case calls it for dict bodies only
    present = canaries.secret_fields(case.operation) & set(body)
    present -= supplied(case, ParameterLocation.BODY)
    if present:
        case.body = {**body, **{name: ctx.issue_canary() for name in sorted(present)}}


def _wire_encodable_headers(case: Case) -> None:
    """Header values as HTTP can carry them: no control characters, other text as UTF-8 bytes.

    Generated strings may hold any character. The HTTP client refuses to send what latin-1
    cannot encode, and control characters are not valid field content (RFC 9110 5.5): HTTP
    servers (uvicorn, nginx) answer them with a plain-text 400 before the API sees the request,
    which says nothing about the contract.
    """
    headers = case.headers.copy()
    changed = False
    for name, value in headers.items():
        if not isinstance(value, str):
            continue
        wire = _CONTROL_CHARACTERS.sub("", value)
        try:
            wire.encode("latin-1")
        except UnicodeEncodeError:
            wire = wire.encode("utf-8").decode("latin-1")
        if wire != value:
            headers[name] = wire
            changed = True
    if changed:
        case.headers = headers


def _fresh_email(ctx: SuiteContext, case: Case) -> None:
    """Generated emails repeat (a@a.com): most writes get one nobody has, so they can succeed."""
    field = ctx.profile.email_field
    body = cast("dict[str, Any]", case.body)  # map_case calls it for dict bodies only
    email = body.get(field)
    if field in supplied(case, ParameterLocation.BODY):
        return
    if not isinstance(email, str) or "@" not in email or ctx.find(email) is None:
        return
    if ctx.chance(EXISTING_RATE):
        with ctx._lock:
            ctx.emails_made += 1
            number = ctx.emails_made
        case.body = {**body, field: f"u{number}.{email}"}


def before_add_examples(context: HookContext, examples: list[Case]) -> None:
    """The examples phase bypasses map_case; the contract's sample ids exist nowhere."""
    examples[:] = [map_case(context, case) for case in examples]


def _valid_query(ctx: SuiteContext, case: Case) -> None:
    query = dict(case.query)
    # Page tokens are opaque: a generated one is rightly refused; paging has its own check.
    query.pop("nextPage", None)
    where = query.get("where")
    if isinstance(where, str):
        try:
            ceql.parse(where, fields_for(case.operation.schema.raw_schema))
        except ceql.CeqlError:
            # Any string fits `type: string`, but only CEQL reaches the filter.
            query["where"] = random_where(ctx) or where
    case.query = query


def _drop_undeclared_headers(case: Case) -> None:
    """HTTP lets servers ignore unknown headers, so sending one proves nothing either way."""
    declared = {parameter.name.lower() for parameter in case.operation.headers}
    unknown = [
        name
        for name in case.headers
        if name.lower().startswith("x-schemathesis-unknown") and name.lower() not in declared
    ]
    if unknown:
        headers = case.headers.copy()
        for name in unknown:
            del headers[name]
        case.headers = headers  # assigned, not edited in place, so the case re-checks its mode


def random_where(ctx: SuiteContext) -> str | None:
    """A `where` filter some known users match, when the API has such filters."""
    make = adapter_for(ctx.profile.name).random_where
    return make(ctx) if make is not None else None


def after_call(context: HookContext, case: Case, response: Response) -> None:
    """Keep the pool of existing users in step with what the server just did."""
    ctx = current()
    if ctx is None or not 200 <= response.status_code < 300:
        return
    profile, op = ctx.profile, operation_id(case)
    params = case.path_parameters or {}
    body = case.body if isinstance(case.body, dict) else {}
    if op in profile.create_operations:
        spec, email = case.operation.schema.raw_schema, body.get(profile.email_field)
        user = created_user(ctx, spec, _answer(response), email)
        if user is not None:
            ctx.remember(
                KnownUser(
                    user[profile.id_field],
                    user.get(profile.email_field),
                    params.get(profile.account_param or ""),
                    _sent_password(case),
                    created=True,
                )
            )
        return
    user_id = user_param(case, profile)
    if user_id is None:
        return
    if op in profile.delete_operations:
        known = ctx.find(user_id)
        ctx.forget(known.id if known else user_id)
        return
    known = ctx.find(user_id)
    if known is None:
        return
    if op in profile.update_operations and profile.email_field in body:
        known.email = str(body[profile.email_field])
    password = _sent_password(case)
    if password is not None and op not in profile.get_operations:
        known.password = password


def _sent_password(case: Case) -> str | None:
    body: dict[str, Any] = case.body if isinstance(case.body, dict) else {}
    secret = sorted(canaries.secret_fields(case.operation))
    return next((body[name] for name in secret if isinstance(body.get(name), str)), None)


def _answer(response: Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def install_hooks(schema: BaseSchema) -> None:
    """Attach the hooks to this schema only (not globally, unlike checks)."""
    schema.hooks.register_hook_with_name(filter_case, "filter_case")
    schema.hooks.register_hook_with_name(map_case, "map_case")
    schema.hooks.register_hook_with_name(before_add_examples, "before_add_examples")
    schema.hooks.register_hook_with_name(after_call, "after_call")
