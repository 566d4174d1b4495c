"""The checks of the email searches on hand-built cases and responses: both request forms, every
answer form (`users: null`, a page), and what "ignoring case" may mean."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from handmade import case, fails, json_reply, response, suite, tyk_user

from generator.conformance import checks
from generator.conformance.search_checks import NO_TEXT, may_match, must_match

ADA = tyk_user("a" * 24, email_address="ada@example.com")
BOB = tyk_user("b" * 24, email_address="Bob@Other.org")


def _by_query(text: str, **query: Any) -> Any:
    return case("tyk-dashboard", "searchUsersByQuery", query={"q": text, **query})


def _by_body(body: Any, **query: Any) -> Any:
    return case("tyk-dashboard", "searchUsers", body=body, query=query or None)


def _found(*users: dict[str, Any] | None) -> dict[str, Any]:
    return {"users": list(users) if users != (None,) else None, "pages": 0}


def _everyone(*users: dict[str, Any], found: tuple[dict[str, Any], ...] = ()) -> Any:
    """The listing holds `users`; the search, when sent again, answers `found`."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/users" and request.method == "GET":
            return json_reply(200, {"users": list(users), "pages": 0})
        if request.url.path == "/api/users/search":
            return json_reply(200, _found(*found))
        raise AssertionError(f"unexpected request {request.method} {request.url}")

    return handler


# --- what "contains, ignoring case" may and must mean ------------------------------------------
@pytest.mark.parametrize(
    ("text", "email", "may", "must"),
    [
        ("@example.com", "ada@example.com", True, True),
        ("ADA", "ada@example.com", True, True),  # ASCII case: every reading agrees
        ("other.org", "Bob@Other.org", True, True),
        ("nobody", "ada@example.com", False, False),
        ("SS", "straße@example.com", True, False),  # case folding only (ß is ss)
        ("É", "émile@example.com", True, False),  # Unicode lower case, not ASCII
        ("é", "émile@example.com", True, True),  # the very text
        (NO_TEXT, "anyone@example.com", True, True),
    ],
)
def test_contains_ignoring_case(text: Any, email: str, may: bool, must: bool) -> None:
    assert may_match(text, email) is may
    assert must_match(text, email) is must


# --- search_results_match --------------------------------------------------------------------
@pytest.mark.parametrize(
    "search",
    [_by_query("EXAMPLE.com"), _by_body({"filters": {"query": "EXAMPLE.com"}})],
    ids=["query-string", "body"],
)
def test_a_search_returning_a_user_without_the_text_fails(search: Any) -> None:
    assert fails(checks.search_results_match, search, response(search, 200, _found(ADA, BOB)))
    assert not fails(checks.search_results_match, search, response(search, 200, _found(ADA)))
    assert not fails(checks.search_results_match, search, response(search, 200, _found(None)))


def test_a_search_without_text_may_return_everyone() -> None:
    search = _by_body({"filters": {}})
    assert not fails(checks.search_results_match, search, response(search, 200, _found(ADA, BOB)))


def test_a_body_the_contract_refuses_is_not_judged() -> None:
    search = _by_body({"query": "ada"})  # no `filters`: 400 is documented
    assert checks.search_results_match(None, response(search, 200, _found(BOB)), search) is True


# --- search_misses_no_match ------------------------------------------------------------------
@pytest.mark.parametrize(
    "search",
    [_by_query("example"), _by_body({"filters": {"query": "example"}})],
    ids=["query-string", "body"],
)
def test_a_whole_search_missing_a_matching_user_fails(search: Any) -> None:
    with suite("tyk-dashboard", _everyone(ADA, BOB)):
        missing = response(search, 200, _found(None))
        with pytest.raises(AssertionError, match="misses user"):
            checks.search_misses_no_match(None, missing, search)
        assert not fails(checks.search_misses_no_match, search, response(search, 200, _found(ADA)))


def test_a_user_made_after_the_search_is_found_by_the_same_search_again() -> None:
    """A concurrent worker may create a matching user between the search and the listing."""
    search = _by_body({"filters": {"query": "example"}})

    with suite("tyk-dashboard", _everyone(ADA, BOB, found=(ADA,))):  # found by the second search
        assert not fails(checks.search_misses_no_match, search, response(search, 200, _found()))


def test_a_page_of_a_search_is_not_the_whole_answer() -> None:
    search = _by_query("example", p=1)
    with suite("tyk-dashboard"):  # nothing is read: a page may rightly leave users out
        assert checks.search_misses_no_match(None, response(search, 200, _found()), search) is True


def test_only_users_every_reading_of_ignoring_case_matches_are_required() -> None:
    straße = tyk_user("c" * 24, email_address="straße@example.com")
    search = _by_query("SS")
    with suite("tyk-dashboard", _everyone(straße)):
        assert not fails(checks.search_misses_no_match, search, response(search, 200, _found()))
