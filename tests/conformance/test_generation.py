"""Generation hooks: what they put in requests must be what the contract calls valid."""

from __future__ import annotations

import pytest

from generator.conformance.context import KnownUser, SuiteContext
from generator.conformance.generation import random_where
from generator.conformance.profiles import PROFILES
from generator.server import ceql


@pytest.mark.parametrize("email", ["plain@example.com", "o'brien@example.com", "a''b@x'y.dev"])
def test_random_where_is_valid_ceql_for_any_email(email: str) -> None:
    ctx = SuiteContext(PROFILES["cloud-elements"], "http://127.0.0.1:9", {})
    ctx.remember(KnownUser(1, email))
    try:
        expressions = {random_where(ctx) for _ in range(200)}
    finally:
        ctx.close()
    assert any(email.replace("'", "''") in expression for expression in expressions)
    for expression in expressions:
        ceql.parse(expression, ceql.USER_FIELDS)  # raises CeqlError when not valid CEQL
