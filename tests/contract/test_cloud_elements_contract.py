"""Cloud Elements Users API: every operation and the links, with built-in and domain checks."""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from conftest import contract_schema, run_links, suite_headers  # tests/contract/conftest.py
from schemathesis import BaseSchema, Case

API = "cloud-elements"


@pytest.fixture(scope="module")
def elements_schema(request: pytest.FixtureRequest, reference_credentials: Any) -> BaseSchema:
    return contract_schema(API, request, reference_credentials)


schema = schemathesis.pytest.from_fixture("elements_schema")


@schema.parametrize()
def test_operation_conforms(case: Case) -> None:
    case.call_and_validate(headers=suite_headers())


def test_links_conform(elements_schema: BaseSchema) -> None:
    settings = hypothesis.settings(
        max_examples=5, stateful_step_count=5, deadline=None, derandomize=True
    )
    run_links(elements_schema, settings)
