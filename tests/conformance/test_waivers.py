"""Waivers: accepted deviations stay visible, expire, and are reported when they match nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.conformance.findings import failure_record
from generator.conformance.results import OperationStats, SuiteResult
from generator.conformance.runner import summary
from generator.conformance.targets import SuiteSetupError
from generator.conformance.waivers import apply_waivers, load_waivers

TODAY = dt.date(2026, 12, 1)


def _result(*checks: str) -> SuiteResult:
    result = SuiteResult("tyk-dashboard", "http://x", "t", 1, 5, 1)
    op = OperationStats("getUser", "GET", "/api/users/{userId}", cases=3)
    for check in checks:
        op.add_failure(
            failure_record(
                check=check, title="t", message="m", operation=op.label, seed=1, curl="curl x"
            )
        )
    result.operations[op.label] = op
    return result


def _waivers(tmp_path: Path, text: str) -> list:
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    return load_waivers(path)


def test_a_waived_failure_is_reported_as_waived_and_passes_the_run(tmp_path: Path) -> None:
    waivers = _waivers(
        tmp_path,
        "waivers:\n  - check: response_schema_conformance\n    operation: getUser\n"
        "    reason: staging omits org_id (T-1)\n    expires: 2027-01-31\n",
    )
    result = _result("response_schema_conformance")
    apply_waivers(result, waivers, TODAY)
    assert result.ok and len(result.waived) == 1
    assert result.waived[0][1].waived == "staging omits org_id (T-1) (until 2027-01-31)"
    text = summary(result)
    assert "WAIVED response_schema_conformance" in text and "1 waived" in text
    assert result.to_json()["operations"][0]["failures"][0]["waived"]


def test_an_operation_is_named_by_id_or_by_method_and_path(tmp_path: Path) -> None:
    waivers = _waivers(
        tmp_path,
        "- {check: not_a_server_error, operation: 'GET /api/users/{userId}', reason: known}\n",
    )
    result = _result("not_a_server_error", "ignored_auth")
    apply_waivers(result, waivers, TODAY)
    assert [f.check for _, f in result.failures] == ["ignored_auth"] and not result.ok


def test_an_expired_waiver_fails_the_run(tmp_path: Path) -> None:
    waivers = _waivers(
        tmp_path,
        "waivers:\n  - {check: ignored_auth, operation: getUser, reason: r, expires: 2026-11-30}\n",
    )
    result = _result("ignored_auth")
    apply_waivers(result, waivers, TODAY)
    assert not result.ok and not result.waived
    assert any("waiver expired on 2026-11-30" in error for error in result.errors)


def test_a_waiver_that_matches_nothing_is_reported(tmp_path: Path) -> None:
    waivers = _waivers(tmp_path, "- {check: ignored_auth, operation: listUsers, reason: r}\n")
    result = _result()
    apply_waivers(result, waivers, TODAY)
    assert result.ok
    assert "matched no failure: ignored_auth on listUsers" in result.waiver_notes[0]
    assert "waiver: matched no failure" in summary(result)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {check: a, operation: b}\n", "waiver 1: missing reason"),
        ("- {check: a, operation: b, reason: c, expires: soon}\n", "is not a date"),
        ("- {check: a, operation: b, reason: c, owner: d}\n", "unknown key(s) owner"),
        ("waivers: [\n", "not valid YAML"),
    ],
)
def test_a_malformed_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SuiteSetupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _waivers(tmp_path, text)
