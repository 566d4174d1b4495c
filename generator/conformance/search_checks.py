"""Domain checks of the email searches: what they return holds the text, and nobody is missed.

The contract: a search returns the users whose email contains the text, ignoring case; without
a text, every user; the answer and its paging are the listing's (all users unless a page `p` is
asked for). The text is read from the request as sent (Tyk: `q` in the query string, or
`filters.query` in the body).
"""

from __future__ import annotations

import json
import string
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from schemathesis import Case, Response

from generator.openapi.walk import find_operation

from .cases import operation_id
from .check_support import Checked, domain_check, json_of, replay
from .created import users_in
from .profiles import ApiProfile

NO_TEXT = object()  # the search sent no text: it asks for every user
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _sent_query(response: Response) -> dict[str, list[str]]:
    query = urlsplit(response.request.url or "").query
    return parse_qs(query, keep_blank_values=True)


def searched_text(case: Case, profile: ApiProfile, response: Response) -> Any:
    """The text the request searched for, NO_TEXT for every user, or None when unclear."""
    op = operation_id(case)
    if op == profile.query_search_operation and profile.query_search_param:
        values = _sent_query(response).get(profile.query_search_param, [])
        return values[0] if len(values) == 1 else None
    if op != profile.email_search_operation or not profile.email_search_pointer:
        return None
    try:
        # Schemathesis prepares a body as bytes or str (anything else: TypeError, below).
        value: Any = json.loads(cast("bytes | str | None", response.request.body) or b"")
    except (ValueError, TypeError):
        return None
    *parents, last = profile.email_search_pointer
    for key in parents:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, dict):
        return None  # the contract refuses such a body: no search to judge
    text = value.get(last, NO_TEXT)
    return text if text is NO_TEXT or isinstance(text, str) else None


def may_match(text: Any, email: Any) -> bool:
    """Whether `email` contains `text` under some reading of "ignoring case" (ASCII, Unicode
    lower case or case folding): a server may take any of them."""
    if text is NO_TEXT:
        return True
    if not isinstance(email, str):
        return False
    pairs = [(fold(text), fold(email)) for fold in (str.lower, str.casefold, _ascii_lower)]
    return any(part in whole for part, whole in pairs)


def must_match(text: Any, email: Any) -> bool:
    """Whether `email` contains `text` under every reading of "ignoring case"."""
    if text is NO_TEXT:
        return True
    if not isinstance(email, str):
        return False
    if text in email:
        return True
    # An ASCII text folds the same way in every reading, and only ASCII letters fold to ASCII.
    return text.isascii() and _ascii_lower(text) in _ascii_lower(email)


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def _whole_answer(response: Response) -> bool:
    """Whether the answer holds every user found: no page asked for (`p` absent or below 1)."""
    pages = _sent_query(response).get("p", [])
    if not pages:
        return True
    try:
        return len(pages) == 1 and int(pages[0]) < 1
    except ValueError:
        return False


@domain_check(operations=lambda profile: profile.search_operations)
def search_results_match(checked: Checked) -> bool | None:
    """Every user an email search returns has the searched text in its email (ignoring case)."""
    profile, case, response = checked.profile, checked.case, checked.response
    text = searched_text(case, profile, response)
    if text is None:
        return True
    for user in users_in(json_of(response), profile):
        if not may_match(text, user.get(profile.email_field)):
            raise AssertionError(
                f"User {user.get(profile.id_field)} is returned for the search {text!r}, "
                f"but its {profile.email_field} is {user.get(profile.email_field)!r}"
            )
    return None


@domain_check(operations=lambda profile: profile.search_operations, needs_run=True)
def search_misses_no_match(checked: Checked) -> bool | None:
    """A search answered in full returns every user the listing shows with the text in its email."""
    suite, profile = checked.run, checked.profile
    case, response = checked.case, checked.response
    if not _whole_answer(response):
        return True
    text = searched_text(case, profile, response)
    listing = next(
        (find_operation(case.operation.schema.raw_schema, op) for op in profile.list_operations),
        None,
    )
    if text is None or listing is None:
        return True
    found = {str(user.get(profile.id_field)) for user in users_in(json_of(response), profile)}
    everyone = suite.http.get(listing.path)
    if everyone.status_code != 200:
        return None  # nothing to compare with
    missed = [
        user
        for user in users_in(json_of(everyone), profile)
        if must_match(text, user.get(profile.email_field))
        and str(user.get(profile.id_field)) not in found
    ]
    if not missed:
        return None
    # Made after the search (a concurrent worker)? Then the same search, sent again, finds it.
    again = replay(suite, response, suite.headers)
    if 200 <= again.status_code < 300:
        found |= {str(user.get(profile.id_field)) for user in users_in(json_of(again), profile)}
    missed = [user for user in missed if str(user.get(profile.id_field)) not in found]
    if missed:
        user = missed[0]
        raise AssertionError(
            f"The search {'(no text)' if text is NO_TEXT else repr(text)} misses user "
            f"{user.get(profile.id_field)} ({profile.email_field} "
            f"{user.get(profile.email_field)!r}), which {listing.label} shows"
            + (f", and {len(missed) - 1} more" if len(missed) > 1 else "")
        )
    return None
