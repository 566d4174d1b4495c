"""Domain checks no generic tool knows, registered with Schemathesis (each a one-line docstring).

A check returns True when it does not apply to a response (so it is not counted as run), and
raises AssertionError to report a failure. Checks that need a second request send it with the
run's own credentials (`SuiteContext.http`); without a run context those checks do not apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from schemathesis import Case, Response

from generator import ceql

from . import canaries
from .access_checks import current_user_is_the_caller, revoked_user_is_inactive
from .adapters import adapter_for
from .cases import unknown_user_is_404
from .check_support import (
    Checked,
    domain_check,
    json_of,
    replay,
    user_param,
    without_query,
)
from .created import created_user
from .created import users_in as _users
from .profiles import ApiProfile
from .search_checks import search_misses_no_match, search_results_match
from .where_filter import fields_for

REFUSALS = frozenset({401, 403, 404})
# On a create operation of the contract: the status that answers an email already taken (Tyk
# answers 403, not 409). See docs/spec-conventions.md.
TAKEN_EMAIL_STATUS = "x-duplicate-email-status"


@domain_check(needs_run=True, success_only=False)
def password_not_echoed(checked: Checked) -> bool | None:
    """A password the run sent never comes back, in a body or a documented response header."""
    suite, response, case = checked.run, checked.response, checked.case
    if not suite.canaries:
        return True
    payload = json_of(response)
    if payload is not None:
        returned = [text for text in canaries.json_strings(payload) if text in suite.canaries]
    else:  # a canary is high-entropy: finding one inside any text is no coincidence
        returned = [c for c in suite.canaries if c in response.text]
    declared = canaries.declared_response_headers(case.operation, response.status_code)
    for name, values in response.headers.items():
        if name.lower() in declared:
            returned += [c for value in values for c in suite.canaries if c in value]
    if returned:
        raise AssertionError(f"A password the run sent comes back in the response: {returned[0]!r}")
    return None


@domain_check()
def secret_only_when_authorized(checked: Checked) -> bool | None:
    """`secret` is returned only on create or with the user's right password header."""
    profile, op, suite = checked.profile, checked.operation, checked.suite
    if profile.secret_field is None:
        return True
    if op in profile.secret_operations:
        return None
    header = min(canaries.password_headers(checked.case.operation.schema.raw_schema), default="")
    headers: Mapping[str, Any] = checked.case.headers or {}
    given = headers.get(header)
    for user in _users(json_of(checked.response), profile):
        if profile.secret_field not in user:
            continue
        if op not in profile.get_operations or not given:
            raise AssertionError(
                f"User {user.get(profile.id_field)} is returned with `{profile.secret_field}` "
                f"by {op} without `{header}`"
            )
        known = suite.password_of(user.get(profile.id_field)) if suite else None
        if known is not None and given != known:
            raise AssertionError(
                f"User {user.get(profile.id_field)} is returned with `{profile.secret_field}` "
                f"for a wrong `{header}`"
            )
    return None


@domain_check()
def full_name_consistent(checked: Checked) -> bool | None:
    """`fullName` equals `firstName` + ' ' + `lastName` in every user returned."""
    profile = checked.profile
    if profile.full_field is None:
        return True
    for user in _users(json_of(checked.response), profile):
        expected = profile.full_name(user)
        if expected is not None and user.get(profile.full_field) != expected:
            raise AssertionError(
                f"User {user.get(profile.id_field)}: {profile.full_field} is "
                f"{user.get(profile.full_field)!r}, expected {expected!r}"
            )
    return None


def _mismatches(case: Case, profile: ApiProfile, user: dict[str, Any]) -> list[str]:
    """Sent fields read back otherwise; secrets, fields in another shape and unknown ones aside.

    A field the request schema does not declare is one the server may ignore (an open body):
    not seeing it again is no fault.
    """
    skipped = canaries.secret_fields(case.operation) | profile.unverifiable_fields
    known = canaries.body_properties(case.operation)
    body = cast("dict[str, Any]", case.body)  # read_your_writes checks only dict bodies
    wrong = []
    for field, value in body.items():
        if field in skipped or field not in known:
            continue
        got = user.get(field)
        if field == profile.email_field and isinstance(value, str) and isinstance(got, str):
            value, got = value.casefold(), got.casefold()
        if got != value:
            wrong.append(f"{field}: sent {value!r}, read {got!r}")
    return wrong


@domain_check(
    operations=lambda profile: profile.update_operations | profile.create_operations,
    needs_run=True,
)
def read_your_writes(checked: Checked) -> bool | None:
    """After a successful create, PATCH or PUT, the response and a new read show what was sent."""
    suite, profile, op = checked.run, checked.profile, checked.operation
    case, response = checked.case, checked.response
    if not isinstance(case.body, dict):
        return True
    # An answer may carry no user where the contract allows it (Tyk 5.x answers an update with a
    # status envelope, a create with only the id): the read below still verifies the write.
    answer = json_of(response)
    users = _users(answer, profile)
    if op in profile.create_operations:
        email = case.body.get(profile.email_field)
        made = created_user(suite, case.operation.schema.raw_schema, answer, email)
        if made is None:
            raise AssertionError(
                f"{op} answered {response.status_code}, but neither the answer nor a search for "
                f"its email {email!r} names the new user"
            )
        written = WrittenUser(
            read_by=made[profile.id_field], names=(made.get(profile.email_field),)
        )
    else:
        written = _updated_user(case, profile, users)
    if users:
        wrong = _mismatches(case, profile, users[0])
        if wrong:
            raise AssertionError(f"{op} response differs from the request: " + "; ".join(wrong))
    url = _read_back_url(response, op in profile.create_operations, written)
    read = suite.http.get(url, params=profile.include_inactive)
    if read.status_code == 404:
        # Only a DELETE of this run aimed at the user explains a write that reads back as missing
        # (another worker's); anything else means the write was not stored where it says.
        if suite.delete_aimed_at(*written.all_names()):
            return None
        raise AssertionError(f"{op} answered {response.status_code}, but GET {url} answered 404")
    if read.status_code != 200:
        raise AssertionError(f"GET {url} after {op} answered {read.status_code}")
    wrong = _mismatches(case, profile, read.json())
    if wrong:
        raise AssertionError(f"GET {url} after {op} differs from the write: " + "; ".join(wrong))
    return None


@dataclass(frozen=True)
class WrittenUser:
    """The user a write produced: the id to read it back by (None: read where the write went)
    and the other names a DELETE aimed at it may have used."""

    read_by: Any
    names: tuple[Any, ...] = ()

    def all_names(self) -> list[Any]:
        return [name for name in (self.read_by, *self.names) if name is not None]


def _updated_user(case: Case, profile: ApiProfile, users: list[dict[str, Any]]) -> WrittenUser:
    """Every name the updated user may go by: the id the answer gives, the id or email the path
    used and the email the update sent (a Cloud Elements PATCH may change the email in the path)."""
    body = cast("dict[str, Any]", case.body)  # read_your_writes checks only dict bodies
    return WrittenUser(
        read_by=users[0].get(profile.id_field) if users else None,
        names=(user_param(case, profile), body.get(profile.email_field)),
    )


def _read_back_url(response: Response, created: bool, written: WrittenUser) -> str:
    """Where the written user is read: by the id the answer gives, else where the write went."""
    url = without_query(response.request.url or "")
    if written.read_by is None:
        return url
    # A create's path is the collection; an update's ends with the user it addressed.
    collection = url if created else url.rsplit("/", 1)[0]
    return f"{collection}/{quote(str(written.read_by), safe='')}"


@domain_check(operations=lambda profile: profile.list_operations)
def where_filter_respected(checked: Checked) -> bool | None:
    """Every user returned for a `where` filter satisfies it (the server's own CEQL evaluator)."""
    profile, response = checked.profile, checked.response
    where = (checked.case.query or {}).get("where")
    if not isinstance(where, str):
        return True
    fields = fields_for(checked.case.operation.schema.raw_schema)
    try:
        expr = ceql.parse(where, fields)
    except ceql.CeqlError:
        return True  # beyond the reference grammar: nothing to compare with
    for user in _users(json_of(response), profile):
        if not ceql.evaluate(expr, user):
            raise AssertionError(
                f"User {user.get(profile.id_field)} does not match where={where!r}: "
                + ", ".join(f"{k}={user.get(k)!r}" for k in sorted(fields) if k in user)
            )
    return None


@domain_check(operations=lambda profile: profile.list_operations, needs_run=True)
def paging_yields_each_once(checked: Checked) -> bool | None:
    """Walking the pages (`nextPage`, `offset`, `p`) yields each user exactly once."""
    suite, profile, op = checked.run, checked.profile, checked.operation
    query = checked.case.query or {}
    if any(name in query for name in profile.page_params) or not suite.take_walk(op):
        return True
    walk_all = adapter_for(profile.name).walk_all
    problems = walk_all(suite, without_query(checked.response.request.url or ""), query)
    if problems:
        raise AssertionError("; ".join(problems))
    return None


@domain_check(needs_run=True)
def second_org_isolated(checked: Checked) -> bool | None:
    """Another organization's credentials never see or change this organization's users."""
    suite, profile, op = checked.run, checked.profile, checked.operation
    case, response = checked.case, checked.response
    if not suite.second_org_headers:
        return True
    if op in profile.delete_operations or op in profile.create_operations:
        return True  # gone already / nothing of ours to reach yet
    listing = op in profile.list_operations | profile.search_operations
    if not listing and user_param(case, profile) is None:
        return True
    other = replay(suite, response, suite.second_org_headers)
    if listing:
        ours = {str(u.get(profile.id_field)) for u in _users(json_of(response), profile)}
        theirs = set()
        if 200 <= other.status_code < 300:
            theirs = {str(u.get(profile.id_field)) for u in _users(other.json(), profile)}
        leaked = sorted(ours & theirs)
        if leaked:
            raise AssertionError(f"The second organization lists our users {leaked[:5]}")
    else:
        refusals = REFUSALS if unknown_user_is_404(case) else REFUSALS | {400}
        if other.status_code not in refusals:
            raise AssertionError(
                f"{case.method.upper()} {response.request.url} with the second organization's "
                f"credentials answered {other.status_code}, expected one of {sorted(refusals)}"
            )
    return None


@domain_check(operations=lambda profile: profile.create_operations, needs_run=True)
def duplicate_email_conflicts(checked: Checked) -> bool | None:
    """Creating a user with an email already taken gets the documented conflict response."""
    documented = checked.case.operation.definition.raw.get(TAKEN_EMAIL_STATUS)
    if not isinstance(documented, int):
        return True  # the contract does not say how a taken email is answered here
    suite = checked.run
    again = replay(suite, checked.response, suite.headers)
    if again.status_code != documented:
        raise AssertionError(
            f"Creating the same email again answered {again.status_code}, expected {documented}"
        )
    return None


@domain_check(operations=lambda profile: profile.delete_operations, needs_run=True)
def deleted_user_is_gone(checked: Checked) -> bool | None:
    """After a successful DELETE, the user cannot be read any more (404)."""
    url = without_query(checked.response.request.url or "")
    read = checked.run.http.get(url, params=checked.profile.include_inactive)
    if read.status_code != 404:
        raise AssertionError(f"GET {url} after a successful DELETE answered {read.status_code}")
    return None


DOMAIN_CHECKS = (
    password_not_echoed,
    secret_only_when_authorized,
    full_name_consistent,
    read_your_writes,
    where_filter_respected,
    paging_yields_each_once,
    second_org_isolated,
    duplicate_email_conflicts,
    deleted_user_is_gone,
    revoked_user_is_inactive,
    current_user_is_the_caller,
    search_results_match,
    search_misses_no_match,
)

# The checks one request and its answer decide alone (no second request, no run state beyond
# the secrets sent): what `usersapi proxy` can judge of traffic it only observes.
SINGLE_EXCHANGE_CHECKS = (
    password_not_echoed,
    secret_only_when_authorized,
    full_name_consistent,
    where_filter_respected,
    current_user_is_the_caller,
    search_results_match,
)
