"""`usersapi test` as a user runs it: a real process, its exit code, output and report files."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from faulty_servers import running_variant

from generator.conformance.findings import why

pytestmark = pytest.mark.slow  # whole runs of the suite: scheduled first (tests/conftest.py)

USERSAPI = [sys.executable, "-m", "generator"]
QUICK = ["--seed", "3", "--max-examples", "3", "--phases", "examples,fuzzing"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*USERSAPI, "test", *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_without_base_url_it_tests_its_own_reference_server(tmp_path: Path) -> None:
    run = _run(
        "tyk-dashboard", *QUICK, "--report", str(tmp_path), "--junit-xml", str(tmp_path / "j.xml")
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Phase fuzzing" in run.stdout and "tyk-dashboard: PASSED" in run.stdout
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["ok"] and result["base_url"].startswith("http://127.0.0.1:")
    assert (tmp_path / "report.html").is_file() and (tmp_path / "j.xml").is_file()


def test_a_broken_live_server_exits_one_and_names_the_check(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(  # the leak is on every get of one user
        "".join(
            f"- {{check: secret_only_when_authorized, operation: {op}, reason: known (T-9)}}\n"
            for op in ("getUser", "getAccountUser", "getOrganizationUser")
        )
    )
    with running_variant("secret_leak") as (origin, creds):
        key = creds["cloud-elements"]["Authorization"]
        live = ["--base-url", origin, "-H", f"Authorization: {key}"]
        reports = ["--report", str(tmp_path / "r"), "--junit-xml", str(tmp_path / "j.xml")]
        run = _run("cloud-elements", *live, *QUICK, *reports)
        waived = _run("cloud-elements", *live, *QUICK, "--waivers", str(waivers))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAILED secret_only_when_authorized" in run.stdout
    assert "Traceback" not in run.stderr
    _every_output_explains_the_finding(run.stdout, tmp_path / "r", tmp_path / "j.xml")
    assert waived.returncode == 0, waived.stdout + waived.stderr
    assert "WAIVED secret_only_when_authorized" in waived.stdout


def _every_output_explains_the_finding(terminal: str, report: Path, junit: Path) -> None:
    """Terminal, result.json, JUnit and HTML each carry the check, why it matters, the operation,
    the seed, the request and response excerpts and a curl reproducer; the HTML also lists what
    passed, per operation."""
    check = "secret_only_when_authorized"
    result = json.loads((report / "result.json").read_text())
    records = [f for op in result["operations"] for f in op["failures"] if f["check"] == check]
    assert records, result["operations"]
    record = records[0]
    assert record["why"] == why(check) and record["why"] != why("no such check")
    assert record["operation"].startswith("GET /") and record["seed"] == 3
    assert record["curl"].startswith("curl ") and record["message"]
    assert record["request"].startswith("GET http://127.0.0.1:")
    assert record["response"].startswith("200 application/json")
    expected = [
        check,
        f"Why it matters: {record['why']}",
        f"Operation: {record['operation']}  (seed 3)",
        "Request:\n    " + record["request"].splitlines()[0],
        "Response:\n    200 application/json",
        "Reproduce with:\n    curl ",
    ]
    failures = [
        failure.text or ""
        for failure in ET.parse(junit).getroot().iter("failure")
        if failure.get("type") == check
    ]
    for output, name in ((terminal, "terminal"), ("\n".join(failures), "JUnit")):
        missing = [text for text in expected if text not in output]
        assert not missing, f"{name} lacks {missing}"
    page = html.unescape((report / "report.html").read_text())
    for text in (
        check,
        f"Why it matters: {record['why']}",
        f"Operation {record['operation']}, seed 3",
        record["request"].splitlines()[0],
        "200 application/json",
        record["curl"],
    ):
        assert text in re.sub(r"<[^>]+>", "", page), text
    assert page.count("Passed: ") == len(result["operations"])


def test_bad_options_are_clear_errors_not_tracebacks(tmp_path: Path) -> None:
    unreachable = _run(
        "tyk-dashboard", "--base-url", "http://127.0.0.1:9", "-H", "Authorization: k"
    )
    assert unreachable.returncode == 2
    assert "cannot reach http://127.0.0.1:9" in unreachable.stderr
    not_a_url = _run("tyk-dashboard", "--base-url", "http://[::1", "-H", "Authorization: k")
    assert not_a_url.returncode == 2 and "is not a URL" in not_a_url.stderr
    bad_header = _run("tyk-dashboard", "--base-url", "http://127.0.0.1:9", "-H", "no colon")
    assert bad_header.returncode == 2 and "is not 'Name: value'" in bad_header.stderr
    bad_phase = _run("tyk-dashboard", "--phases", "examples,nope")
    assert bad_phase.returncode == 2 and "unknown phase(s) nope" in bad_phase.stderr
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    no_report = _run("tyk-dashboard", "--report", str(a_file / "report"))
    assert no_report.returncode == 2 and f"cannot write reports to {a_file}" in no_report.stderr
    for run in (unreachable, not_a_url, bad_header, bad_phase, no_report):
        assert "Traceback" not in run.stderr


def test_coverage_under_fail_under_exits_one_and_says_so() -> None:
    # A quarter of the operations, one example each: the run passes, its coverage is low.
    small = ["--seed", "3", "--max-examples", "1", "--phases", "examples", "--shard", "1/4"]
    run = _run("tyk-dashboard", *small, "--fail-under", "99.5")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "tyk-dashboard: PASSED" in run.stdout, run.stdout
    shown = re.search(r"tyk-dashboard coverage: ([\d.]+)% of", run.stdout)
    assert shown and float(shown.group(1)) < 99.5, run.stdout
    assert f"coverage {shown.group(1)}% is under --fail-under 99.5%" in run.stderr
    assert "Traceback" not in run.stderr
