"""Bad traffic is a violation line, never a crash: an unreachable upstream (502 in the API's
own error format), bodies that are not JSON or stop early, undocumented calls, bad requests."""

from __future__ import annotations

import json
import re
import socket
import socketserver
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from proxied import Proxied, start_proxy
from server_harness import RunningServer, loopback_socket, serving, socket_serving

USER = "5" * 24


async def _broken_tyk(scope: dict, receive: Any, send: Any) -> None:
    """A Tyk 'server' whose answers are not JSON, and whose user answers are cut short."""
    if scope["type"] != "http":
        return
    if not scope["path"].startswith("/api/users/"):
        head = [(b"content-type", b"application/json"), (b"content-length", b"9")]
        await send({"type": "http.response.start", "status": 200, "headers": head})
        await send({"type": "http.response.body", "body": b"not json!"})
    else:
        head = [(b"content-type", b"application/json"), (b"content-length", b"500")]
        await send({"type": "http.response.start", "status": 200, "headers": head})
        await send({"type": "http.response.body", "body": b'{"id": "', "more_body": True})
        raise RuntimeError("the upstream dies mid-body")


@pytest.fixture
def broken() -> Iterator[Proxied]:
    sock, origin = loopback_socket()
    with serving(_broken_tyk, sock, lifespan="off"):
        yield from start_proxy("tyk-dashboard", origin)


@pytest.fixture
def nowhere() -> Iterator[str]:
    """An origin that refuses connections: the port is held bound, never listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.mark.parametrize("api", ["cloud-elements", "tyk-dashboard"])
def test_unreachable_upstream_is_a_502_in_the_apis_format(api: str, nowhere: str) -> None:
    path = "/elements/api-v2/users" if api == "cloud-elements" else "/api/users"
    for proxied in start_proxy(api, nowhere):
        answer = httpx.get(proxied.origin + path, headers={"Authorization": "k"}, timeout=30)
        violations = proxied.violations()
    assert answer.status_code == 502
    body = answer.json()
    if api == "cloud-elements":
        assert set(body) == {"requestId", "message"}
        assert answer.headers["elements-request-id"] == body["requestId"]
    else:
        assert body["Status"] == "Error" and body["Meta"] is None and "Message" in body
    assert nowhere in (body.get("message") or body.get("Message"))
    assert len(violations) == 1 and " upstream_reachable: " in violations[0]


def test_a_body_that_is_not_json_is_a_violation(broken: Proxied) -> None:
    answer = httpx.get(broken.origin + "/api/users", headers={"Authorization": "k"}, timeout=30)
    assert (answer.status_code, answer.content) == (200, b"not json!")  # forwarded as it came
    violations = broken.violations()
    assert any(" response_schema_conformance: " in line for line in violations), violations


def test_a_body_cut_short_is_a_violation(broken: Proxied) -> None:
    with pytest.raises(httpx.HTTPError):  # the client sees the cut, as it would directly
        httpx.get(broken.origin + f"/api/users/{USER}", headers={"Authorization": "k"}, timeout=30)
    violations = broken.violations()
    assert len(violations) == 1 and " response_complete: " in violations[0], violations
    assert broken.session.result.errors == []


def test_bad_requests_are_violations(broken: Proxied) -> None:
    calls = [
        ("GET", "/api/nothing-here", {}, b"", "operation_documented"),
        (
            "POST",
            "/api/users",
            {"content-type": "application/json"},
            b"{not json",
            "request_conformance",
        ),
        ("POST", "/api/users", {"content-type": "text/csv"}, b"a,b", "request_conformance"),
        ("GET", "/api/users?p=not-a-number", {}, b"", "request_conformance"),
    ]
    for method, path, headers, body, check in calls:
        before = len(broken.violations())
        httpx.request(
            method, broken.origin + path, headers={"Authorization": "k", **headers}, content=body
        )
        new = broken.violations()[before:]
        assert any(f" {check}: " in line for line in new), (method, path, new)
    result = json.loads(json.dumps(broken.session.result.to_json()))  # JSON-ready
    assert result["errors"] == []


def test_a_request_body_cut_short_is_a_violation_and_frees_the_upstream(
    tyk_proxy: Proxied, server: RunningServer
) -> None:
    """The client leaves after 18 of 100 bytes: the upstream (which waits for the other 82)
    is not left holding half a request until the proxy's read timeout, and the violation names
    the cut, not an unreachable upstream."""
    auth = server.credentials["tyk-dashboard"]["Authorization"]
    host, port = urlsplit(tyk_proxy.origin).hostname, urlsplit(tyk_proxy.origin).port
    with socket.create_connection((host, port)) as client:
        client.sendall(
            b"POST /api/users HTTP/1.1\r\nHost: x\r\nAuthorization: "
            + auth.encode()
            + b"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            + b'{"first_name": "A"'
        )
    deadline = time.monotonic() + 30  # well under the 60 s the upstream read would wait
    while not tyk_proxy.violations():
        assert time.monotonic() < deadline, "the cut request was not judged"
        time.sleep(0.02)
    violations = tyk_proxy.violations()
    assert len(violations) == 1 and " request_complete: " in violations[0], violations
    stats = tyk_proxy.session.result.operations["POST /api/users"]
    # At most the 18 sent: uvicorn drops what it holds of the body once the client has left.
    assert re.fullmatch(
        r"the client closed the connection after (\d+) of 100 bytes of the body",
        stats.failures[0].message,
    )
    assert stats.cases == 1 and not stats.status_codes  # no answer, so no status seen
    assert tyk_proxy.session.result.errors == []


@pytest.mark.parametrize(
    "head, reason",
    [
        (b"GET /api/users HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", "header"),
        (b"GET /api/users HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n", "header value"),
        (b"GET /api/us ers HTTP/1.1\r\nHost: x\r\n\r\n", ""),
    ],
    ids=["a header line without a colon", "a control character in a header", "a broken URL"],
)
def test_a_request_that_is_not_http_is_a_violation(
    tyk_proxy: Proxied, head: bytes, reason: str
) -> None:
    """uvicorn answers it 400 before the forwarding sees it: the session still hears of it."""
    origin = urlsplit(tyk_proxy.origin)
    with socket.create_connection((origin.hostname, origin.port)) as client:
        client.sendall(head)
        answer = b""
        while chunk := client.recv(4096):  # the proxy closes the connection after its 400
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 ")
    violations = tyk_proxy.violations()
    assert len(violations) == 1 and " request_well_formed: " in violations[0], violations
    failures = [f for op in tyk_proxy.session.result.operations.values() for f in op.failures]
    assert len(failures) == 1 and reason in failures[0].message.lower(), failures
    assert "forwarded nothing" in failures[0].message
    assert tyk_proxy.session.result.errors == []


class _NotHttp(socketserver.StreamRequestHandler):
    """An 'upstream' whose answer has a header line without a colon."""

    def handle(self) -> None:
        while self.rfile.readline() not in (b"\r\n", b""):  # the request's head
            pass
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nNo colon here\r\n\r\n{}")


@pytest.fixture
def not_http() -> Iterator[str]:
    with socket_serving(socketserver.ThreadingTCPServer(("127.0.0.1", 0), _NotHttp)) as origin:
        yield origin


def test_an_answer_that_is_not_http_is_a_violation_of_its_own(not_http: str) -> None:
    for proxied in start_proxy("tyk-dashboard", not_http):
        answer = httpx.get(proxied.origin + "/api/users", headers={"Authorization": "k"})
        violations = proxied.violations()
    assert answer.status_code == 502
    assert "answered in what is not HTTP/1.1" in answer.json()["Message"]
    assert len(violations) == 1 and " upstream_answer_valid: " in violations[0], violations
