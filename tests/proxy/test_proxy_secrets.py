"""Passwords clients send through the proxy never reach its output: not the violation line and its
curl reproducer, not result.json, JUnit or HTML. Real clients, the real proxy, the real server;
every secret is a value of the test's own that nothing else in the output could hold."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest
from proxied import Proxied
from server_harness import RunningServer

from generator.conformance.runner import write_reports

CURL = shutil.which("curl")
FILTERED = "[Filtered]"
LONG_PASSWORD = "Tyk-Secret-Pw-7Qz!x"
SHORT_PASSWORD = "Zk#9q"  # under the contract's 6 characters: the check's message quotes it


def _tyk(server: RunningServer) -> dict[str, str]:
    return {"Authorization": server.credentials["tyk-dashboard"]["Authorization"]}


def _email() -> str:
    return f"secret-{uuid.uuid4().hex[:8]}@example.com"


def _reports(proxied: Proxied, tmp_path: Path) -> str:
    """result.json, JUnit and HTML as `usersapi proxy` writes them, read back as one text."""
    proxied.violations()  # every exchange judged
    write_reports(proxied.session.result, junit_xml=tmp_path / "junit.xml", report_dir=tmp_path)
    return "\n".join(
        (tmp_path / name).read_text() for name in ("result.json", "junit.xml", "report.html")
    )


def _curl_of(line: str) -> list[str]:
    """The reproducer of a violation line, as the shell would split it."""
    return shlex.split(line.split(" Reproduce: ", 1)[1])


def _data(line: str) -> str:
    words = _curl_of(line)
    return words[words.index("-d") + 1]


@pytest.mark.parametrize(
    ("fault", "password"),
    [
        ({"first_name": 7}, LONG_PASSWORD),  # a wrong field: the password is only in the body
        ({}, SHORT_PASSWORD),  # the password itself is wrong: the message quotes it
    ],
)
def test_a_password_in_the_body_is_filtered_from_lines_and_reports(
    server: RunningServer, tyk_proxy: Proxied, tmp_path: Path, fault: dict, password: str
) -> None:
    body = {
        "first_name": "Sec",
        "last_name": "Ret",
        "email_address": _email(),
        "password": password,
        **fault,
    }
    answer = httpx.post(tyk_proxy.origin + "/api/users", headers=_tyk(server), json=body)
    assert answer.status_code == 400, answer.text
    violations = tyk_proxy.violations()
    assert any(" request_conformance: " in line for line in violations), violations
    for line in violations:
        assert password not in line
        sent = json.loads(_data(line))
        assert list(sent) == list(body) and sent["password"] == FILTERED
        assert sent["email_address"] == body["email_address"]  # the rest as sent
    reports = _reports(tyk_proxy, tmp_path)
    assert password not in reports and FILTERED in reports


def test_secrets_to_an_undocumented_path_are_filtered_at_any_depth(
    server: RunningServer, tyk_proxy: Proxied, tmp_path: Path
) -> None:
    body = {
        "users": [{"email_address": _email(), "password": LONG_PASSWORD}],
        "reset": {"new_password": "Nested-New-Pw-3Kd", "current_password": "Nested-Old-Pw-8Lm"},
        "note": "kept as sent",
    }
    httpx.post(tyk_proxy.origin + "/api/users/import", headers=_tyk(server), json=body)
    (line,) = tyk_proxy.violations()
    assert " operation_documented: " in line
    sent = json.loads(_data(line))
    assert sent == {
        "users": [{"email_address": body["users"][0]["email_address"], "password": FILTERED}],
        "reset": {"new_password": FILTERED, "current_password": FILTERED},
        "note": "kept as sent",
    }
    reports = _reports(tyk_proxy, tmp_path)
    for secret in (LONG_PASSWORD, "Nested-New-Pw-3Kd", "Nested-Old-Pw-8Lm"):
        assert secret not in line and secret not in reports


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        # Broken JSON is a violation of its own; the fields still read as JSON fields.
        ("application/json", f'{{"first_name": "A", "password": "{LONG_PASSWORD}",}}'),
        ("application/x-www-form-urlencoded", f"first_name=A&password={LONG_PASSWORD}"),
    ],
)
def test_a_password_in_a_body_that_is_not_json_is_filtered(
    server: RunningServer, tyk_proxy: Proxied, content_type: str, data: str
) -> None:
    headers = {**_tyk(server), "Content-Type": content_type}
    httpx.post(tyk_proxy.origin + "/api/users", headers=headers, content=data.encode())
    violations = tyk_proxy.violations()
    assert any(" request_conformance: " in line for line in violations), violations
    for line in violations:
        assert LONG_PASSWORD not in line
        assert "first_name" in _data(line) and "Filtered" in _data(line)


def test_a_password_header_to_an_undocumented_path_is_filtered(
    server: RunningServer, ce_proxy: Proxied
) -> None:
    secret = "Ce-Header-Pw-5Tr"
    headers = {
        "Authorization": server.credentials["cloud-elements"]["Authorization"],
        "Elements-User-Password": secret,
    }
    httpx.get(ce_proxy.origin + "/elements/api-v2/not-documented", headers=headers)
    (line,) = ce_proxy.violations()
    assert " operation_documented: " in line
    assert secret not in line
    assert f"elements-user-password: {FILTERED}" in _curl_of(line)  # httpx sends it lower case


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
def test_the_filtered_reproducer_still_runs(server: RunningServer, tyk_proxy: Proxied) -> None:
    body = {"first_name": 7, "last_name": "R", "email_address": _email(), "password": "Run-Pw-9"}
    httpx.post(tyk_proxy.origin + "/api/users", headers=_tyk(server), json=body)
    line = tyk_proxy.violations()[0]
    words = _curl_of(line)
    assert words[0] == "curl"
    # The credentials are filtered too, so the server refuses it: but it is a request it answers.
    status = subprocess.run(
        [str(CURL), "-s", "-o", "/dev/null", "-w", "%{http_code}", *words[1:]],
        capture_output=True,
        check=True,
        timeout=30,
        text=True,
    ).stdout
    assert status == "401"
