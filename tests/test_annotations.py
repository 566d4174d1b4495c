"""GitHub Actions annotations: escaping, and failures placed on the operation in the contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.annotations import finding_annotations, result_annotations, workflow_command
from generator.cli import cli
from generator.conformance import runner
from generator.conformance.findings import why
from generator.conformance.results import FailureRecord, OperationStats, SuiteResult
from generator.openapi.apis import api_dir
from generator.openapi.bundle import load_bundle
from generator.openapi.findings import Finding


def test_properties_and_message_are_escaped_as_the_runner_reads_them() -> None:
    line = workflow_command(
        "error", "100% wrong\nsecond line", title="a: b, c", file=Path.cwd() / "x.yaml", line=3
    )
    assert line == "::error file=x.yaml,line=3,title=a%3A b%2C c::100%25 wrong%0Asecond line"
    assert workflow_command("warning", "a\r\nb") == "::warning::a%0D%0Ab"


def test_findings_keep_file_line_column_rule_and_severity(tmp_path: Path) -> None:
    finding = Finding(tmp_path / "a.yaml", 4, 7, "some-rule", "is wrong", "warning")
    (line,) = finding_annotations([finding])
    assert line.startswith("::warning file=")
    assert line.endswith("a.yaml,line=4,col=7,title=some-rule::is wrong")


def _failed_run() -> SuiteResult:
    result = SuiteResult("tyk-dashboard", "http://x", "now", None, 1, 1)
    operation = OperationStats("listUsers", "GET", "/api/users")
    operation.add_failure(FailureRecord("status_code", "Undocumented status", "got 418", "curl x"))
    operation.add_failure(FailureRecord("status_code", "Undocumented status", "got 418", "curl x"))
    result.operations[operation.label] = operation
    result.errors.append("the server went away")
    return result


def test_a_failure_points_at_the_line_that_declares_its_operation() -> None:
    failure, error = result_annotations(_failed_run(), load_bundle("tyk-dashboard"))
    source = api_dir("tyk-dashboard") / "paths" / "api_users.yaml"
    get_line = source.read_text(encoding="utf-8").splitlines().index("get:") + 1
    assert f"api_users.yaml,line={get_line}," in failure
    assert "title=usersapi test tyk-dashboard%3A status_code::" in failure
    message = failure.split("::", 2)[2].split("%0A")
    assert message[0] == "GET /api/users: Undocumented status (2 times)"
    assert message[1] == "Why it matters: " + why("status_code")
    assert "got 418" in message
    assert message[-2:] == ["Reproduce with:", "    curl x"]
    assert error == "::error title=usersapi test tyk-dashboard::the server went away"


def test_the_test_command_prints_them_after_the_run_and_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failed_suite(api: str, **options: Any) -> SuiteResult:
        return _failed_run()

    monkeypatch.setattr(runner, "run_suite", failed_suite)
    args = ["test", "tyk-dashboard", "--base-url", "http://x", "-H", "A: b", "--format", "github"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    annotations = [line for line in result.output.splitlines() if line.startswith("::")]
    assert len(annotations) == 2 and annotations[0].startswith("::error file=")
