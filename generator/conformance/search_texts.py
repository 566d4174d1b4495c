"""What a generated email search looks for: mostly text known users have, so it finds some."""

from __future__ import annotations

import copy
from typing import Any

from schemathesis import Case
from schemathesis.core.parameters import ParameterLocation

from .cases import operation_id, positive, supplied
from .context import FALLBACK_EMAIL, SuiteContext
from .existing_ids import EXISTING_RATE


def aim_search_at_known_text(ctx: SuiteContext, case: Case) -> None:
    """An email search (in the query or in the body) mostly looks for a known user's text."""
    profile, op = ctx.profile, operation_id(case)
    name = profile.query_search_param
    if op == profile.query_search_operation and name and name in (case.query or {}):
        if name in supplied(case, ParameterLocation.QUERY):
            return
        if positive(case, ParameterLocation.QUERY) and ctx.chance(EXISTING_RATE):
            case.query = {**case.query, name: search_text(ctx)}
    elif op == profile.email_search_operation and isinstance(case.body, dict):
        *parents, last = profile.email_search_pointer or ("",)
        if not parents or parents[0] in supplied(case, ParameterLocation.BODY):
            return
        body = copy.deepcopy(case.body)
        holder: Any = body
        for key in parents:
            holder = holder.get(key) if isinstance(holder, dict) else None
        valid = positive(case, ParameterLocation.BODY)
        if isinstance(holder, dict) and valid and ctx.chance(EXISTING_RATE):
            holder[last] = search_text(ctx)
            case.body = body


def search_text(ctx: SuiteContext) -> str:
    """Part of a known user's email: the whole address, its domain or its local part, maybe in
    upper case (the searches ignore case)."""
    with ctx._lock:
        # In the order the run met them: Tyk's ids are random, so sorting by id would not repeat.
        users = [user for _, user in sorted(ctx.users.items(), key=ctx._meeting_order)]
        emails = [user.email for user in users if user.email] or [FALLBACK_EMAIL]
        email = ctx.rng.choice(emails)
        local, _, domain = email.rpartition("@")
        text = ctx.rng.choice([email, "@" + domain, local or email])
        return text.upper() if ctx.rng.random() < 0.25 else text
