"""`usersapi proxy` run as a person runs it: start on port 0, send traffic, stop with SIGTERM or
Ctrl-C (with its judge held back, so nothing is judged yet); the reports are written and hold
every exchange, and --fail-on-violation decides the exit code."""

from __future__ import annotations

import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from server_harness import RunningServer

USERSAPI = Path(sys.executable).parent / "usersapi"


def _start(
    upstream: str, *options: str, api: str = "tyk-dashboard"
) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [str(USERSAPI), "proxy", api, "--upstream", upstream, "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal gives it
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"on (http://\S+) -> ", first)
    assert found, first
    return process, found.group(1)


def _signal(process: subprocess.Popen[str], stop: signal.Signals = signal.SIGTERM) -> None:
    """SIGTERM to the proxy, or SIGINT to its process group as Ctrl-C in a terminal sends it."""
    if stop is signal.SIGINT:
        os.killpg(process.pid, stop)
    else:
        process.send_signal(stop)


def _ended(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, _ = process.communicate(timeout=60)
    return process.returncode, out


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    _signal(process)
    return _ended(process)


@contextmanager
def _judge_held(process: subprocess.Popen[str]) -> Iterator[None]:
    """The proxy's judge stopped (SIGSTOP) in the block: whatever passes meanwhile, and a
    SIGTERM or Ctrl-C sent in it, finds every exchange still waiting to be judged."""
    judge = _judge_pid(process.pid)
    os.kill(judge, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(judge, signal.SIGCONT)


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _judge_pid(proxy: int) -> int:
    """The judge process: the one grandchild (the fork server's child) of the proxy."""
    (judge,) = [pid for child in _children(proxy) for pid in _children(child)]
    return judge


def test_session_reports_and_fails_on_violation(server: RunningServer, tmp_path: Path) -> None:
    report, junit = tmp_path / "report", tmp_path / "junit.xml"
    process, origin = _start(
        server.base_url, "--report", str(report), "--junit-xml", str(junit), "--fail-on-violation"
    )
    # The answers come while the judge is held, and so does SIGTERM: the reports still hold both.
    with _judge_held(process):
        try:
            auth = {"Authorization": server.credentials["tyk-dashboard"]["Authorization"]}
            assert httpx.get(origin + "/api/users", headers=auth).status_code == 200
            assert httpx.get(origin + "/api/undocumented", headers=auth).status_code == 404
        finally:
            _signal(process, signal.SIGTERM)
    code, out = _ended(process)
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
    with _judge_held(process):  # Ctrl-C before the exchange is judged: it is not lost
        httpx.get(origin + "/api/users", headers=auth)
        _signal(process, signal.SIGINT)
    code, out = _ended(process)
    assert code == 1 and "is under --fail-under 90%" in out, out
    assert "tyk-dashboard: 1 exchanges, 0 violations" in out, out


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


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback")
def test_ipv6_host_is_a_url_in_brackets(server: RunningServer) -> None:
    process, origin = _start(server.base_url, "--host", "::1")
    try:
        assert re.fullmatch(r"http://\[::1\]:\d+", origin), origin
        auth = {"Authorization": server.credentials["tyk-dashboard"]["Authorization"]}
        assert httpx.get(origin + "/api/users", headers=auth).status_code == 200
    finally:
        code, out = _stop(process)
    assert code == 0 and "tyk-dashboard: 1 exchanges, 0 violations" in out, out


def test_requests_outside_the_base_path_are_counted(server: RunningServer, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    process, origin = _start(
        server.base_url, "--report", str(tmp_path), "--junit-xml", str(junit), api="cloud-elements"
    )
    auth = {"Authorization": server.credentials["cloud-elements"]["Authorization"]}
    try:  # a client that forgot the base path: forwarded, not judged
        httpx.get(origin + "/users", headers=auth)
        httpx.get(origin + "/elements/users", headers=auth)
    finally:
        code, out = _stop(process)
    assert code == 0, out
    assert "cloud-elements: 0 exchanges, 0 violations" in out, out
    assert "2 requests outside /elements/api-v2 were forwarded unjudged" in out, out
    assert json.loads((tmp_path / "result.json").read_text())["outside_base_path"] == 2
    page = html.unescape((tmp_path / "report.html").read_text())
    assert "2 requests were outside the API's base path: forwarded by the proxy" in page
    found = ET.parse(junit).getroot().find("properties/property[@name='outside_base_path']")
    assert found is not None and found.get("value") == "2"


def test_a_killed_judge_is_a_clear_error(server: RunningServer, tmp_path: Path) -> None:
    process, origin = _start(server.base_url, "--report", str(tmp_path / "report"))
    judge = _judge_pid(process.pid)
    os.kill(judge, signal.SIGKILL)
    code, out = _stop(process)
    assert code == 1, out
    assert "usersapi proxy: the judge process was killed (SIGKILL); no reports written" in out
    assert "Traceback" not in out, out
    assert not (tmp_path / "report" / "result.json").exists()
