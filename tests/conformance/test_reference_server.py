"""The suite against the correct reference server: no failures, deep states, all report files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.conformance.checks import DOMAIN_CHECKS
from generator.conformance.results import SuiteResult
from generator.conformance.runner import run_suite

SEED = 20240601


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
    applicable = (
        domain
        if result.api == "cloud-elements"
        else domain
        - {
            "secret_only_when_authorized",
            "full_name_consistent",
            "where_filter_respected",
        }
    )
    assert applicable <= ran


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
