"""A finding's excerpts: one line of JSON, cut when long, and on the part at fault when the
check says where it is (a user 57th in a listing is shown, not cut off)."""

from __future__ import annotations

import json

import pytest
from handmade import case, response, tyk_user
from schemathesis.core.failures import FailureGroup

from generator.conformance.excerpts import EXCERPT, body_excerpt
from generator.conformance.findings import failure_record

USERS = [tyk_user(f"{index:024x}", first_name=f"User{index}") for index in range(100)]


def test_a_short_body_is_one_line_of_json_and_other_text_comes_as_it_came() -> None:
    assert body_excerpt(b'{\n  "a": [1,\n 2]\n}') == '{"a": [1, 2]}'
    assert body_excerpt(b"Internal Server Error\n") == "Internal Server Error\n"


def test_a_long_body_is_cut_and_says_how_long_it_was() -> None:
    shown = body_excerpt(_listing())
    assert len(shown) < EXCERPT + 30 and shown.endswith(f"... ({len(_listing())} characters)")


def test_a_long_body_shows_the_user_around_the_field_at_fault_with_the_rest_counted() -> None:
    user = json.dumps(USERS[57])
    shown = body_excerpt(_listing(), ["users", 57, "email_address"])
    assert shown == f'{{"users": [… 57 items, {user}, … 42 items], … 1 other key}}'
    assert body_excerpt(_listing(), ["users", 0]) == (
        f'{{"users": [{json.dumps(USERS[0])}, … 99 items], … 1 other key}}'
    )


def test_a_place_the_body_does_not_have_falls_back_to_the_cut() -> None:
    assert body_excerpt(_listing(), ["users", 500]) == body_excerpt(_listing())


def test_a_schema_failure_points_its_excerpt_at_the_user_at_fault() -> None:
    listing = case("tyk-dashboard", "listUsers")
    users = [*USERS[:57], {**USERS[57], "email_address": 12}, *USERS[58:]]
    answer = response(listing, 200, {"users": users, "pages": 1})
    with pytest.raises(FailureGroup) as raised:
        listing.operation.validate_response(answer, case=listing)
    [failure] = [f for f in raised.value.exceptions if f.instance_path[-1:] == ["email_address"]]
    record = failure_record(
        check="response_schema_conformance",
        title=failure.title,
        message=failure.message,
        operation="GET /api/users",
        seed=1,
        curl="",
        response=answer,
        fault_at=failure.instance_path,  # as the runner passes it
    )
    assert '"email_address": 12' in record.response and "… 57 items" in record.response


def _listing() -> bytes:
    return json.dumps({"users": USERS, "pages": 1}).encode()
