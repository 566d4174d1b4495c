"""`usersapi proxy` run as a person runs it: start on port 0, send traffic, stop with SIGTERM;
the reports are written and --fail-on-violation decides the exit code."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from server_harness import RunningServer

USERSAPI = Path(sys.executable).parent / "usersapi"


def _start(
    upstream: str, *options: str, own_group: bool = False
) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [str(USERSAPI), "proxy", "tyk-dashboard", "--upstream", upstream, "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=own_group,  # a process group of its own, as a terminal gives it
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"on (http://127\.0\.0\.1:\d+) -> ", first)
    assert found, first
    return process, found.group(1)


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    return process.returncode, out


def test_session_reports_and_fails_on_violation(server: RunningServer, tmp_path: Path) -> None:
    report, junit = tmp_path / "report", tmp_path / "junit.xml"
    process, origin = _start(
        server.base_url, "--report", str(report), "--junit-xml", str(junit), "--fail-on-violation"
    )
    try:
        auth = {"Authorization": server.credentials["tyk-dashboard"]["Authorization"]}
        assert httpx.get(origin + "/api/users", headers=auth).status_code == 200
        assert httpx.get(origin + "/api/undocumented", headers=auth).status_code == 404
    finally:
        code, out = _stop(process)
    assert code == 1, out
    assert "VIOLATION GET /api/undocumented operation_documented:" in out
    assert "tyk-dashboard coverage:" in out and "2 exchanges, 1 violations" in out
    result = json.loads((report / "result.json").read_text())
    assert result["api"] == "tyk-dashboard" and result["cases"] == 2 and not result["ok"]
    listed = next(op for op in result["operations"] if op["operationId"] == "listUsers")
    assert listed["status_codes"] == {"200": 1}
    assert result["coverage"]["totals"]["operations"]["seen"] == 1
    assert (report / "report.html").exists()
    assert "operation_documented" in junit.read_text()


def test_clean_session_exits_0_and_fail_under_gates(server: RunningServer) -> None:
    process, origin = _start(server.base_url, "--fail-on-violation")
    auth = {"Authorization": server.credentials["tyk-dashboard"]["Authorization"]}
    httpx.get(origin + "/api/users", headers=auth)
    code, out = _stop(process)
    assert code == 0, out
    process, origin = _start(server.base_url, "--fail-under", "90")
    httpx.get(origin + "/api/users", headers=auth)
    code, out = _stop(process)
    assert code == 1 and "is under --fail-under 90%" in out, out


def test_bad_upstream_is_a_usage_error() -> None:
    done = subprocess.run(
        [str(USERSAPI), "proxy", "tyk-dashboard", "--upstream", "ftp://x", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "must be an http:// or https:// URL" in done.stderr
    assert "Traceback" not in done.stderr


def test_unwritable_report_folder_fails_before_the_session(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = subprocess.run(
        [
            str(USERSAPI),
            "proxy",
            "tyk-dashboard",
            "--upstream",
            "http://127.0.0.1:9",
            "--port",
            "0",
            "--report",
            str(blocker / "report"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "cannot write reports to" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _judge_pid(proxy: int) -> int:
    """The judge process: the one grandchild (the fork server's child) of the proxy."""
    (judge,) = [pid for child in _children(proxy) for pid in _children(child)]
    return judge


def test_exchanges_not_judged_yet_at_sigterm_or_ctrl_c_are_all_reported(
    server: RunningServer, tmp_path: Path
) -> None:
    """The judge is stopped (SIGSTOP) while traffic passes and the session is ended: every
    exchange is still waiting to be judged then, and each is in the reports afterwards."""
    auth = {"Authorization": server.credentials["tyk-dashboard"]["Authorization"]}
    for stop in (signal.SIGTERM, signal.SIGINT):
        report = tmp_path / stop.name
        process, origin = _start(
            server.base_url, "--report", str(report), "--fail-on-violation", own_group=True
        )
        judge = _judge_pid(process.pid)
        os.kill(judge, signal.SIGSTOP)
        ended = False
        try:
            for _ in range(3):  # answered at once: the forwarding does not wait for the judge
                assert httpx.get(origin + "/api/users", headers=auth).status_code == 200
            assert httpx.get(origin + "/api/undocumented", headers=auth).status_code == 404
            # SIGTERM to the proxy; Ctrl-C as a terminal sends it, to the whole process group.
            if stop is signal.SIGTERM:
                process.send_signal(stop)
            else:
                os.killpg(process.pid, stop)
            ended = True
        finally:
            os.kill(judge, signal.SIGCONT)
            if not ended:
                process.kill()
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 1, out
        assert "VIOLATION GET /api/undocumented operation_documented:" in out
        assert "4 exchanges, 1 violations" in out, out
        result = json.loads((report / "result.json").read_text())
        assert result["cases"] == 4, stop
