"""Every operation of both contracts against the reference server, through the pytest plugin:
one suite run per API (the generation, checks, waivers and reports of `usersapi test`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.conformance.pytest_plugin import assert_operation_conforms, assert_run_clean
from generator.conformance.results import SuiteResult
from generator.conformance.runner import declared_operations
from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api

pytestmark = pytest.mark.slow  # whole runs of the suite: scheduled first (tests/conftest.py)

OPERATIONS = [(api, op.label) for api in API_NAMES for op in declared_operations(bundle_api(api))]
Run = Callable[[str], SuiteResult]


@pytest.fixture(autouse=True)
def _plugin_items_instead(pytestconfig: pytest.Config) -> None:
    if pytestconfig.getoption("usersapi_api"):
        pytest.skip("--usersapi-api given: the plugin's own tests run instead")


@pytest.mark.parametrize(("api", "operation"), OPERATIONS)
def test_operation_conforms(usersapi_run: Run, api: str, operation: str) -> None:
    result = usersapi_run(api)
    assert result.operations[operation].cases > 0
    assert_operation_conforms(result, operation)


@pytest.mark.parametrize("api", API_NAMES)
def test_run_is_clean(usersapi_run: Run, api: str) -> None:
    assert_run_clean(usersapi_run(api))
