"""The suite against the correct reference server: no failures, deep states, all report files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.conformance.checks import DOMAIN_CHECKS
from generator.conformance.results import SuiteResult
from generator.conformance.runner import run_suite

pytestmark = pytest.mark.slow  # whole runs of the suite: scheduled first (tests/conftest.py)

SEED = 20240601
# Domain checks of what only one API has (CEQL, fullName, secret; revoke, me, email search).
ONLY_FOR = {
    "cloud-elements": {
        "secret_only_when_authorized",
        "full_name_consistent",
        "where_filter_respected",
    },
    "tyk-dashboard": {
        "revoked_user_is_inactive",
        "current_user_is_the_caller",
        "search_results_match",
        "search_misses_no_match",
    },
}
_SEARCH = {"search_results_match", "search_misses_no_match", "second_org_isolated"}
NEWER_OPERATIONS = {
    "cloud-elements": {
        "GET /organizations/users": {
            "where_filter_respected",
            "paging_yields_each_once",
            "second_org_isolated",
            "full_name_consistent",
            "secret_only_when_authorized",
        },
        "POST /organizations/users": {
            "read_your_writes",
            "duplicate_email_conflicts",
            "password_not_echoed",
            "secret_only_when_authorized",
        },
        "GET /organizations/users/{emailOrId}": {
            "second_org_isolated",
            "secret_only_when_authorized",
            "full_name_consistent",
        },
        "PATCH /organizations/users/{emailOrId}": {"read_your_writes", "second_org_isolated"},
        "DELETE /organizations/users/{emailOrId}": {"deleted_user_is_gone"},
    },
    "tyk-dashboard": {
        "PUT /api/users/{userId}/actions/revoke": {"revoked_user_is_inactive"},
        "GET /api/users/me": {"current_user_is_the_caller"},
        "GET /api/users/search": _SEARCH,
        "POST /api/users/search": _SEARCH,
    },
}


@pytest.fixture(scope="module", params=["cloud-elements", "tyk-dashboard"])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    out = tmp_path_factory.mktemp(request.param)
    lines: list[str] = []
    result = run_suite(
        request.param,
        seed=SEED,
        deterministic=True,
        max_examples=8,
        junit_xml=out / "junit.xml",
        report_dir=out,
        progress=lines.append,
    )
    return result, out, lines


def test_no_failures_with_a_fixed_seed(run: tuple) -> None:
    result, _, _ = run
    problems = [f"{op.label} {f.check}: {f.message[:200]} {f.curl}" for op, f in result.failures]
    assert result.ok, "\n".join(problems + result.errors)


def test_every_operation_runs_every_check_family(run: tuple) -> None:
    result: SuiteResult = run[0]
    assert all(op.cases > 0 for op in result.operations.values())
    ran = {name for op in result.operations.values() for name in op.checks}
    assert {"not_a_server_error", "response_schema_conformance", "ignored_auth"} <= ran
    domain = {check.__name__ for check in DOMAIN_CHECKS}
    assert domain - ONLY_FOR[_other(result.api)] <= ran


def _other(api: str) -> str:
    return "tyk-dashboard" if api == "cloud-elements" else "cloud-elements"


def test_the_newer_operations_run_their_domain_checks(run: tuple) -> None:
    """Cloud Elements' /organizations/users gets the checks of the account paths; Tyk's revoke,
    me and searches get their own."""
    result: SuiteResult = run[0]
    for label, expected in NEWER_OPERATIONS[result.api].items():
        assert expected <= set(result.operations[label].checks), label


def test_positive_cases_mostly_reach_existing_resources(run: tuple) -> None:
    result: SuiteResult = run[0]
    positive = sum(op.positive_cases for op in result.operations.values())
    succeeded = sum(op.positive_2xx for op in result.operations.values())
    assert positive > 0 and succeeded / positive > 0.6, (succeeded, positive)


def test_reports_are_written(run: tuple) -> None:
    result, out, lines = run
    data = json.loads((out / "result.json").read_text())
    assert data["ok"] is True and data["base_url"].startswith("http://127.0.0.1:")
    first = data["operations"][0]
    assert {"operationId", "method", "path", "status_classes", "checks", "failures"} <= set(first)
    suite = ET.parse(out / "junit.xml").getroot()
    assert suite.tag == "testsuite" and int(suite.get("failures", "-1")) == 0
    assert len(suite.findall("testcase")) == len(result.operations)
    html = Path(out / "report.html").read_text()
    assert "<script" not in html and first["operationId"] in html
    assert any(line.startswith("Phase fuzzing") for line in lines)
    assert lines[-1].splitlines()[-1].startswith(f"{result.api}: PASSED")
