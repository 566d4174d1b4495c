"""The checks of revoke and of the current user on hand-built cases and responses: each fires on
the fault it names and stays quiet on every answer the contract allows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from handmade import case, fails, json_reply, response, suite, tyk_user

from generator.conformance import checks

USER, CALLER_KEY, USER_KEY = "a" * 24, "c" * 32, "d" * 32
REVOKED = {"Status": "OK", "Message": "User revoked", "Meta": ""}


def _revoke() -> Any:
    return case("tyk-dashboard", "revokeUser", path_parameters={"userId": USER})


def _server(user: dict[str, Any] | None, key_status: int = 401) -> Any:
    """Answers the user's read and a call with the user's own key; records the requests."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == f"/api/users/{USER}":
            return json_reply(200, user) if user else json_reply(404, {"Message": "gone"})
        if request.url.path == "/api/users/me" and request.headers["authorization"] == USER_KEY:
            return json_reply(key_status, tyk_user(USER) if key_status == 200 else {})
        raise AssertionError(f"unexpected request {request.method} {request.url}")

    handler.seen = seen  # type: ignore[attr-defined]
    return handler


# --- revoked_user_is_inactive --------------------------------------------------------------
@pytest.mark.parametrize(
    ("user", "key_status", "wrong"),
    [
        (tyk_user(USER, active=False, access_key=USER_KEY), 401, False),
        (tyk_user(USER, active=False, access_key=USER_KEY), 403, False),
        (tyk_user(USER, active=False, access_key=""), 200, False),  # key hidden: not tried
        (tyk_user(USER, active=True, access_key=USER_KEY), 401, True),
        (tyk_user(USER, active=False, access_key=USER_KEY), 200, True),  # the key still works
        (None, 401, False),  # deleted meanwhile
    ],
    ids=["refused-401", "refused-403", "key-hidden", "still-active", "key-works", "gone"],
)
def test_a_revoked_user_reads_back_inactive_and_its_key_is_refused(
    user: dict[str, Any] | None, key_status: int, wrong: bool
) -> None:
    revoke = _revoke()
    handler = _server(user, key_status)
    with suite("tyk-dashboard", handler):
        assert (
            fails(checks.revoked_user_is_inactive, revoke, response(revoke, 200, REVOKED)) is wrong
        )
    assert handler.seen[0].url.path == f"/api/users/{USER}"  # the user, not the revoke path


def test_a_refused_revoke_or_a_run_without_context_is_not_judged() -> None:
    revoke = _revoke()
    with suite("tyk-dashboard"):
        answer = response(revoke, 400, {"Status": "Error", "Message": "x", "Meta": None})
        assert checks.revoked_user_is_inactive(None, answer, revoke) is True
    assert checks.revoked_user_is_inactive(None, response(revoke, 200, REVOKED), revoke) is True


# --- current_user_is_the_caller ------------------------------------------------------------
def _me(headers: dict[str, str]) -> Any:
    return case("tyk-dashboard", "getCurrentUser", headers=headers)


@pytest.mark.parametrize(
    ("key", "wrong"),
    [(CALLER_KEY, False), (f"  {CALLER_KEY} ", False), (USER_KEY, True), ("", False)],
    ids=["the-caller", "spaces-around", "another-user", "key-hidden"],
)
def test_the_current_user_is_the_one_whose_key_was_sent(key: str, wrong: bool) -> None:
    me = _me({"Authorization": CALLER_KEY})
    answer = response(me, 200, tyk_user(access_key=key.strip() or key))
    assert fails(checks.current_user_is_the_caller, me, answer) is wrong


def test_a_session_cookie_is_no_access_key_to_compare_with() -> None:
    """The dashboard UI's `authorisation` cookie holds a session, and with both credentials the
    contract does not say which one names the caller."""
    me = _me({"Authorization": CALLER_KEY, "Cookie": "authorisation=some-session"})
    answer = response(me, 200, tyk_user(access_key=USER_KEY))
    assert checks.current_user_is_the_caller(None, answer, me) is True
    cookie_only = _me({"Cookie": "authorisation=some-session"})
    answer = response(cookie_only, 200, tyk_user(access_key=USER_KEY))
    assert checks.current_user_is_the_caller(None, answer, cookie_only) is True


def test_a_refused_current_user_call_is_not_judged() -> None:
    me = _me({"Authorization": CALLER_KEY})
    answer = response(me, 401, {"Status": "Error", "Message": "Not authorised", "Meta": None})
    assert checks.current_user_is_the_caller(None, answer, me) is True
