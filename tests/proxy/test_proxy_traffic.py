"""Real clients through the real proxy to the real reference server: answers byte for byte the
same as without the proxy, and no violation from correct traffic to a correct server."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import httpx
import pytest
from proxied import Proxied
from server_harness import RunningServer

CURL = shutil.which("curl")


def _curl(url: str, *headers: str) -> bytes:
    """Status line, headers and body as curl shows them (-i), without the Date header."""
    command = [str(CURL), "-s", "-i", url]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(command, capture_output=True, check=True, timeout=30).stdout
    return b"\n".join(line for line in out.split(b"\n") if not line.lower().startswith(b"date:"))


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
def test_curl_answers_are_byte_identical(
    server: RunningServer, ce_proxy: Proxied, tyk_proxy: Proxied
) -> None:
    ce = server.credentials["cloud-elements"]
    tyk = server.credentials["tyk-dashboard"]
    calls = [
        (ce_proxy, "/elements/api-v2/users?pageSize=2", ce["Authorization"]),
        (ce_proxy, f"/elements/api-v2/users/{ce['user_id']}", ce["Authorization"]),
        (
            ce_proxy,
            "/elements/api-v2/users?where=firstName%20like%20%27A%25%27",
            ce["Authorization"],
        ),
        (
            ce_proxy,
            f"/elements/api-v2/accounts/{ce['default_account_id']}/users",
            ce["Authorization"],
        ),
        (tyk_proxy, "/api/users", tyk["Authorization"]),
        (tyk_proxy, f"/api/users/{tyk['user_id']}", tyk["Authorization"]),
        (tyk_proxy, "/api/users/" + "0" * 24, tyk["Authorization"]),  # 404, a fixed body
    ]
    for proxied, path, auth in calls:
        direct = _curl(server.base_url + path, f"Authorization: {auth}")
        through = _curl(proxied.origin + path, f"Authorization: {auth}")
        assert through == direct, path
    assert ce_proxy.violations() == [] and tyk_proxy.violations() == []
    assert ce_proxy.session.result.cases == 4 and tyk_proxy.session.result.cases == 3


def test_a_user_lifecycle_keeps_the_contract(server: RunningServer, ce_proxy: Proxied) -> None:
    creds = server.credentials["cloud-elements"]
    auth = {"Authorization": creds["Authorization"]}
    api = ce_proxy.origin + "/elements/api-v2"
    email = f"proxied-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client(headers=auth, timeout=30) as client:
        made = client.post(
            f"{api}/accounts/{creds['default_account_id']}/users",
            json={"email": email, "firstName": "Pro", "lastName": "Xy", "password": "pass-word-1"},
        )
        assert made.status_code == 200, made.text
        user = made.json()["id"]
        got = client.get(f"{api}/users/{user}", headers={"Elements-User-Password": "pass-word-1"})
        assert got.status_code == 200 and "secret" in got.json()
        assert client.patch(f"{api}/users/{user}", json={"lastName": "Zed"}).status_code == 200
        listed = client.get(f"{api}/users", params={"where": f"email = '{email}'"})
        assert [u["id"] for u in listed.json()] == [user]
        assert client.delete(f"{api}/users/{user}").status_code == 200
        assert client.get(f"{api}/users/{user}").status_code == 404
    assert ce_proxy.violations() == []
    result = ce_proxy.session.result
    assert result.operations["GET /users/{emailOrId}"].status_codes == {"200": 1, "404": 1}
    passed = result.operations["GET /users/{emailOrId}"].checks
    assert passed["secret_only_when_authorized"].passed == 1
    assert passed["response_schema_conformance"].passed == 2


def test_a_chunked_request_body_is_forwarded(server: RunningServer, tyk_proxy: Proxied) -> None:
    creds = server.credentials["tyk-dashboard"]
    email = f"chunked-{uuid.uuid4().hex[:8]}@example.com"
    parts = [
        b'{"first_name": "Chun", "last_name": "Ked", ',
        f'"email_address": "{email}"}}'.encode(),
    ]
    answer = httpx.post(
        tyk_proxy.origin + "/api/users",
        content=iter(parts),  # no length known: sent chunked
        headers={"Authorization": creds["Authorization"], "Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert tyk_proxy.violations() == []
    assert tyk_proxy.session.result.operations["POST /api/users"].exercised["request_fields"] == {
        "first_name",
        "last_name",
        "email_address",
    }
