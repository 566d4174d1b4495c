"""Deep states: generated requests mostly address users and accounts that exist.

A random id almost always gets a 404, so a plain run rarely gets past the lookup into the
handlers. `map_case` swaps a schema-valid path id for a known user (from the demo data or made
by this run) most of the time; `after_call` keeps that pool current as users come and go.
Negative values and the values a stateful step took from a link are left untouched. Secret
fields and password headers of valid cases carry canaries (`canaries.py`).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from schemathesis import BaseSchema, Case, GenerationMode, HookContext, Response
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase

from generator import ceql

from . import canaries
from .context import KnownUser, SuiteContext, current
from .created import created_user

EXISTING_RATE = 0.85  # share of valid path ids replaced by an existing user or account
EMAIL_RATE = 0.25  # share of those gets that name the user by email instead of id
PASSWORD_RATE = 0.5  # share of gets with a password header that send the right password
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
MISSING_ID = {"cloud-elements": 2**62, "tyk-dashboard": "f" * 24}  # never an existing user


def operation_id(case: Case) -> str:
    return str(case.operation.definition.raw.get("operationId", case.operation.label))


def _positive(case: Case, location: ParameterLocation) -> bool:
    meta = case.meta
    if meta is None:
        return True
    component = meta.components.get(location)
    mode = component.mode if component is not None else meta.generation.mode
    return mode == GenerationMode.POSITIVE


def _stateful(case: Case) -> bool:
    return case.meta is not None and case.meta.phase.name == TestPhase.STATEFUL


def _supplied(case: Case, location: ParameterLocation) -> set[str]:
    """Names a stateful step filled from a link (a response of this run): never replaced.

    Schemathesis tracks them as the case's overrides (its own `ensure_resource_availability`
    check reads the same). Outside the stateful phase nothing is link-supplied; examples count
    as overrides there, and their sample ids must still be swapped.
    """
    if not _stateful(case):
        return set()
    supplied = getattr(case._override, location.container_name, None) or {}
    return set(supplied)


def filter_case(context: HookContext, case: Case) -> bool:
    """Drop a stateful step whose link-supplied user is gone, or a write to one not to change.

    Links may take ids from any response, a listing too (Schemathesis also infers links), so a
    step could address the caller or, on a live server, someone's real user. Replacing the id
    would make the step claim a created resource is missing; dropping it claims nothing.
    """
    ctx = current()
    if ctx is None:
        return True
    supplied = _supplied(case, ParameterLocation.PATH)
    params = case.path_parameters or {}
    linked = [params[name] for name in ctx.profile.user_params if name in supplied]
    # A link the answer could not fill (a Tyk create whose `Meta` is only the id, or no data,
    # has no `Meta.id`): Schemathesis would take any id put there for the created user's.
    if _stateful(case) and any(n in params and n not in supplied for n in ctx.profile.user_params):
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
    if case.path_parameters and _positive(case, ParameterLocation.PATH):
        _point_at_existing(ctx, case)
    if case.query and _positive(case, ParameterLocation.QUERY):
        _valid_query(ctx, case)
    if isinstance(case.body, dict) and _positive(case, ParameterLocation.BODY):
        _fresh_email(ctx, case)
        _body_canaries(ctx, case)
    _search_known_text(ctx, case)
    if case.headers:
        _drop_undeclared_headers(case)
        _wire_encodable_headers(case)
        if _positive(case, ParameterLocation.HEADER):
            _header_secrets(ctx, case)
    if operation_id(case) in ctx.profile.delete_operations:
        params = case.path_parameters or {}
        ctx.aim_delete([params[name] for name in ctx.profile.user_params if name in params])
    return case


def _body_canaries(ctx: SuiteContext, case: Case) -> None:
    """Each secret field a valid body carries gets a value of its own, recorded for the checks."""
    present = canaries.secret_fields(case.operation) & set(case.body)
    present -= _supplied(case, ParameterLocation.BODY)
    if present:
        case.body = {**case.body, **{name: ctx.issue_canary() for name in sorted(present)}}


def _header_secrets(ctx: SuiteContext, case: Case) -> None:
    """A password header carries the addressed user's password half the time, else a canary."""
    names = canaries.secret_headers(case.operation) - _supplied(case, ParameterLocation.HEADER)
    names &= set(case.headers)
    if not names:
        return
    user = ctx.find(_user_value(ctx, case))
    headers = case.headers.copy()
    for name in sorted(names):
        password = ctx.password_of(user.id) if user is not None else None
        if password is not None and ctx.chance(PASSWORD_RATE):
            headers[name] = password
        else:
            headers[name] = ctx.issue_canary()
    case.headers = headers


def _user_value(ctx: SuiteContext, case: Case) -> Any:
    params = case.path_parameters or {}
    return next((params[name] for name in ctx.profile.user_params if name in params), None)


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
    email = case.body.get(field)
    if field in _supplied(case, ParameterLocation.BODY):
        return
    if not isinstance(email, str) or "@" not in email or ctx.find(email) is None:
        return
    if ctx.chance(EXISTING_RATE):
        with ctx._lock:
            ctx.emails_made += 1
            number = ctx.emails_made
        case.body = {**case.body, field: f"u{number}.{email}"}


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


def unknown_user_is_404(case: Case) -> bool:
    """False when the operation documents no 404: it answers an unknown user otherwise (Tyk's
    update and revoke answer 400 `user does not exist.` / `Could not retrieve user detail.`)."""
    responses = case.operation.definition.raw.get("responses")
    return not isinstance(responses, dict) or "404" in responses


def _point_at_existing(ctx: SuiteContext, case: Case) -> None:
    """Swap unknown ids for known ones; ids that exist (e.g. from a link) stay as they are."""
    profile = ctx.profile
    params = dict(case.path_parameters or {})
    supplied = _supplied(case, ParameterLocation.PATH)
    user_param = next((name for name in params if name in profile.user_params), None)
    if user_param in supplied:
        user_param = None  # a user this run's own request returned: aimed at on purpose
    mutating = case.method.upper() != "GET"
    user: KnownUser | None = None
    if user_param is not None:
        value = params[user_param]
        user = ctx.find(value)
        # Never the caller; on a live server a write goes only to users this run created: a
        # generated id such as 1 may be a real person, or the caller (whose id a Cloud Elements
        # server never shows).
        must_move = mutating and not ctx.may_change(value)
        # Its answer to an unknown user would read as a valid request rejected: a real user.
        must_move = must_move or (user is None and not unknown_user_is_404(case))
        if must_move or (user is None and ctx.chance(EXISTING_RATE)):
            deleting = operation_id(case) in profile.delete_operations
            user = ctx.pick_user(mutating=mutating, deleting=deleting)
            if user is not None:
                params[user_param] = user.id
                by_email = user_param == "emailOrId" and not mutating and user.email
                if by_email and ctx.chance(EMAIL_RATE):
                    params[user_param] = user.email
            elif must_move:
                # Nobody of the run's own is left to change: the request goes to an id that
                # cannot exist instead, and is reported as such, not as a valid request.
                params[user_param] = MISSING_ID[profile.name]
                ctx.probes.add(case.id)
    account = profile.account_param
    if account is not None and account in params and account not in supplied and ctx.accounts:
        if user is not None and user.account is not None:
            if params[account] != user.account and ctx.chance(EXISTING_RATE):
                params[account] = user.account
        elif params[account] not in ctx.accounts and ctx.chance(EXISTING_RATE):
            params[account] = ctx.accounts[ctx.rng.randrange(len(ctx.accounts))]
    case.path_parameters = {name: _typed(case, name, value) for name, value in params.items()}


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
            ceql.parse(where, ceql.USER_FIELDS)
        except ceql.CeqlError:
            # Any string fits `type: string`, but only CEQL reaches the filter.
            query["where"] = random_where(ctx)
    case.query = query


def _search_known_text(ctx: SuiteContext, case: Case) -> None:
    """An email search mostly looks for text known users have, so it finds some of them."""
    profile, op = ctx.profile, operation_id(case)
    name = profile.query_search_param
    if op == profile.query_search_operation and name and name in (case.query or {}):
        if name in _supplied(case, ParameterLocation.QUERY):
            return
        if _positive(case, ParameterLocation.QUERY) and ctx.chance(EXISTING_RATE):
            case.query = {**case.query, name: search_text(ctx)}
    elif op == profile.email_search_operation and isinstance(case.body, dict):
        *parents, last = profile.email_search_pointer or ("",)
        if not parents or parents[0] in _supplied(case, ParameterLocation.BODY):
            return
        body = copy.deepcopy(case.body)
        holder: Any = body
        for key in parents:
            holder = holder.get(key) if isinstance(holder, dict) else None
        positive = _positive(case, ParameterLocation.BODY)
        if isinstance(holder, dict) and positive and ctx.chance(EXISTING_RATE):
            holder[last] = search_text(ctx)
            case.body = body


def search_text(ctx: SuiteContext) -> str:
    """Part of a known user's email: the whole address, its domain or its local part, maybe in
    upper case (the searches ignore case)."""
    with ctx._lock:
        # In the order the run met them: Tyk's ids are random, so sorting by id would not repeat.
        users = [user for _, user in sorted(ctx.users.items(), key=ctx._meeting_order)]
        emails = [user.email for user in users if user.email] or ["jane@acmedata.example"]
        email = ctx.rng.choice(emails)
        local, _, domain = email.rpartition("@")
        text = ctx.rng.choice([email, "@" + domain, local or email])
        return text.upper() if ctx.rng.random() < 0.25 else text


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


def _quoted(text: str) -> str:
    """A CEQL string literal: emails may hold a quote (RFC 5321 allows it), doubled to escape."""
    return "'" + text.replace("'", "''") + "'"


def random_where(ctx: SuiteContext) -> str:
    """A CEQL expression over values the existing users have, so some of them match."""
    with ctx._lock:
        users = sorted(ctx.users.values(), key=lambda u: str(u.id))
        rng = ctx.rng
        user = rng.choice(users) if users else KnownUser(1, "jane@acmedata.example")
        domain = (user.email or "a@example.com").rsplit("@", 1)[-1]
        ids = ", ".join(str(rng.choice(users).id) for _ in range(3)) if users else "1"
        choices = [
            f"email = {_quoted(user.email or '')}",
            f"email LIKE {_quoted('%@' + domain)}",
            "active = true",
            "active = false",
            "createdDate >= '2014-01-15'",
            f"id IN ({ids})" if ctx.profile.name == "cloud-elements" else "active = true",
            "city = 'Denver' OR city = 'Austin'",
            "lastLoginDate IS NULL",
            f"firstName LIKE '%{rng.choice('aeion')}%' AND active = true",
            "(city IN ('Boulder', 'Chicago') OR country = 'US')"
            f" AND email LIKE {_quoted('%' + domain)}",
        ]
        return rng.choice(choices)


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
    user_id = next((params[name] for name in profile.user_params if name in params), None)
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
    body = case.body if isinstance(case.body, dict) else {}
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
