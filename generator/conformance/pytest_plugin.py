"""The conformance suite as a pytest plugin (entry point `pytest11: usersapi`).

`pytest --usersapi-api tyk-dashboard --usersapi-base-url URL --usersapi-header 'Name: value'`
adds one test per operation of the contract to any pytest run. They share everything with
`usersapi test`: one suite run (same generation, checks, seed and cases digest), the same
waivers, the same reports; each test fails with the operation's explained findings.

A test suite of its own can use the `usersapi_run` fixture instead (as tests/contract does):
`usersapi_run(api)` runs the suite once per session and API and returns its SuiteResult, and
`assert_operation_conforms(result, label)` fails with the findings of one operation.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.openapi.apis import API_NAMES

from .config import ALL_PHASES, DEFAULT_MAX_EXAMPLES, parse_phases
from .findings import explain
from .results import SuiteResult

_RESULTS = pytest.StashKey[dict[str, SuiteResult]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("usersapi", "usersapi conformance suite")
    group.addoption(
        "--usersapi-api", choices=API_NAMES, help="add the contract tests of this API to the run"
    )
    group.addoption("--usersapi-base-url", help="test this live server (default: reference)")
    group.addoption(
        "--usersapi-header", action="append", default=[], help="'Name: value' on every request"
    )
    group.addoption(
        "--usersapi-second-org-header",
        action="append",
        default=[],
        help="another organization's credentials (isolation check)",
    )
    group.addoption(
        "--usersapi-account-id",
        action="append",
        type=int,
        default=[],
        help="a Cloud Elements account the credentials administer",
    )
    group.addoption("--usersapi-seed", type=int, help="repeat a run (same cases)")
    group.addoption("--usersapi-max-examples", type=int, help="cases per operation and phase")
    group.addoption(
        "--usersapi-phases",
        type=_phases,
        help=f"comma-separated subset of the phases to run ({', '.join(ALL_PHASES)})",
    )
    group.addoption("--usersapi-waivers", help="YAML file of accepted deviations")
    group.addoption("--usersapi-report", help="write <DIR>/<api>/result.json and report.html")


class ContractFailure(AssertionError):
    """An operation's findings, already explained: shown as they are, without a traceback."""


def assert_operation_conforms(result: SuiteResult, label: str) -> None:
    op = result.operations[label]
    failing = [record for record in op.failures if record.waived is None]
    if failing:
        raise ContractFailure("\n\n".join(explain(record) for record in failing))


def assert_run_clean(result: SuiteResult) -> None:
    """Run errors (refused credentials, expired waivers) fail the run, as in `usersapi test`."""
    if result.errors:
        raise ContractFailure("\n".join(result.errors))


def _settings(config: pytest.Config, defaults: dict[str, Any]) -> dict[str, Any]:
    option = config.getoption
    seed = option("usersapi_seed")
    examples = option("usersapi_max_examples")
    return {
        "base_url": option("usersapi_base_url"),
        "headers": option("usersapi_header"),
        "second_org_headers": option("usersapi_second_org_header"),
        "account_ids": option("usersapi_account_id"),
        "seed": seed if seed is not None else defaults.get("seed"),
        "max_examples": examples or defaults.get("max_examples", DEFAULT_MAX_EXAMPLES),
        "phases": option("usersapi_phases") or ALL_PHASES,
    }


def _phases(text: str) -> tuple[str, ...]:
    try:
        return parse_phases(text)
    except ValueError as error:  # pytest prints it as a usage error naming the option
        raise argparse.ArgumentTypeError(str(error)) from None


def run_once(
    config: pytest.Config, api: str, defaults: dict[str, Any] | None = None
) -> SuiteResult:
    """The suite run of `api` for this pytest session (run on first use)."""
    from .runner import run_suite
    from .waivers import load_waivers

    results = config.stash.setdefault(_RESULTS, {})
    if api not in results:
        waivers_file = config.getoption("usersapi_waivers")
        report = config.getoption("usersapi_report")
        results[api] = run_suite(
            api,
            **_settings(config, defaults or {}),
            waivers=load_waivers(waivers_file) if waivers_file else [],
            report_dir=Path(report) / api if report else None,
        )
    return results[api]


@pytest.fixture(scope="session")
def usersapi_defaults() -> dict[str, Any]:
    """Settings the command line does not give (override it: seed, max_examples)."""
    return {}


@pytest.fixture(scope="session")
def usersapi_run(
    pytestconfig: pytest.Config, usersapi_defaults: dict[str, Any]
) -> Callable[[str], SuiteResult]:
    return lambda api: run_once(pytestconfig, api, usersapi_defaults)


class _ContractItem(pytest.Item):
    def __init__(self, *, api: str, label: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api, self.label = api, label

    def runtest(self) -> None:
        result = run_once(self.config, self.api)
        if self.label is None:
            assert_run_clean(result)
        else:
            assert_operation_conforms(result, self.label)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ContractFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[str, int | None, str]:
        return f"usersapi:{self.api}", None, self.name


def _contract_items(session: pytest.Session, api: str) -> Iterator[_ContractItem]:
    from generator.openapi.bundle import bundle_api

    from .runner import declared_operations

    for stats in declared_operations(bundle_api(api)):
        name = f"usersapi[{api}] {stats.label}"
        yield _ContractItem.from_parent(session, name=name, api=api, label=stats.label)
    yield _ContractItem.from_parent(session, name=f"usersapi[{api}] run", api=api, label=None)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    api = config.getoption("usersapi_api")
    if api:
        items.extend(_contract_items(session, api))
