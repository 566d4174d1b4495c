"""`usersapi test` as a user runs it: a real process, its exit code, output and report files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from faulty_servers import running_variant

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
        run = _run("cloud-elements", *live, *QUICK)
        waived = _run("cloud-elements", *live, *QUICK, "--waivers", str(waivers))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAILED secret_only_when_authorized" in run.stdout
    assert "Why it matters:" in run.stdout and "Reproduce with:" in run.stdout
    assert "Traceback" not in run.stderr
    assert waived.returncode == 0, waived.stdout + waived.stderr
    assert "WAIVED secret_only_when_authorized" in waived.stdout


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
