"""Bad input gets its documented status in the API's own error format, never a 500."""

from __future__ import annotations

import logging
import socket
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from server_harness import ApiClient, RunningServer

BIG = b'{"firstName": "' + b"x" * (1024 * 1024 + 10) + b'"}'
WEIRD_BODIES = [
    b"{",
    b"[]",
    b"null",
    b'"x"',
    b"NaN",
    b'{"email": "\\ud800@x.com"}',
    b"[" * 100000,
    b"\xff\xfe",
    b'{"firstName": 1}',
    b"{}",
]


@pytest.fixture(scope="module")
def ce(server: RunningServer) -> dict[str, Any]:
    return server.credentials["cloud-elements"]


def test_elements_body_errors(elements: ApiClient, ce: dict) -> None:
    path = f"/users/{ce['user_id']}"
    error = elements.call(
        "updateUser",
        "PATCH",
        path,
        400,
        content=b"{bad",
        headers={"Content-Type": "application/json"},
    )
    assert error["message"].startswith("Malformed JSON")
    error = elements.call(
        "updateUser", "PATCH", path, 415, content=b"{}", headers={"Content-Type": "text/plain"}
    )
    elements.call(
        "updateUser", "PATCH", path, 413, content=BIG, headers={"Content-Type": "application/json"}
    )
    before = elements.call("getUser", "GET", path)
    ignored = elements.call(
        "updateUser", "PATCH", path, json={"emial": "x@y.com", "first_name": "X"}
    )
    assert "emial" not in ignored and ignored["email"] == before["email"]  # unknown: ignored
    assert ignored["firstName"] == before["firstName"]
    error = elements.call("updateUser", "PATCH", path, 400, json={"email": "not-an-email"})
    assert "email" in error["message"]
    account = ce["default_account_id"]
    error = elements.call(
        "createAccountUser",
        "POST",
        f"/accounts/{account}/users",
        400,
        json={"firstName": "A", "lastName": "B", "email": "a@b.com"},
    )
    assert "password" in error["message"]


def test_elements_parameter_errors(elements: ApiClient) -> None:
    for params in (
        {"pageSize": 0},
        {"pageSize": 501},
        {"pageSize": "ten"},
        {"includeInactive": "maybe"},
        {"nextPage": "forged"},
    ):
        error = elements.call("listUsers", "GET", "/users", 400, params=params)
        assert next(iter(params)) in error["message"] or "page token" in error["message"]
    elements.call("deleteUser", "DELETE", "/users/abc", 400)
    elements.call("deleteUser", "DELETE", "/users/99999999999999999999", 400)
    elements.call("getUser", "GET", "/users/²", 404)  # a digit to isdigit(), not to int()
    elements.call("listAccountUsers", "GET", "/accounts/0/users", 404)  # any integer is an id


def test_tampered_and_foreign_page_tokens(elements: ApiClient) -> None:
    elements.call("listUsers", "GET", "/users", params={"pageSize": 2})
    token = elements.last.headers["Elements-Next-Page-Token"]
    elements.call("listUsers", "GET", "/users", params={"pageSize": 2, "nextPage": token})
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    elements.call("listUsers", "GET", "/users", 400, params={"pageSize": 2, "nextPage": tampered})
    elements.call(
        "listUsers",
        "GET",
        "/users",
        400,
        params={"pageSize": 2, "nextPage": token, "where": "active = true"},
    )


def test_routing_errors(server: RunningServer, ce: dict) -> None:
    headers = {"Authorization": ce["Authorization"]}
    response = httpx.get(ce["base_url"] + "/nowhere", headers=headers)
    assert response.status_code == 404 and "requestId" in response.json()
    response = httpx.post(ce["base_url"] + "/users", headers=headers, json={})
    assert response.status_code == 405 and response.headers["Allow"] == "GET"
    assert "message" in response.json()
    response = httpx.request("PATCH", server.base_url + "/api/users", headers=headers)
    assert response.status_code == 405 and response.headers["Allow"] == "GET, POST"
    assert response.json()["Status"] == "Error"
    response = httpx.get(server.base_url + "/api/nothing")
    assert response.status_code == 404 and response.json()["Status"] == "Error"


def test_tyk_errors(tyk: ApiClient) -> None:
    tyk.call(
        "createUser",
        "POST",
        "/api/users",
        400,
        content=b"{",
        headers={"Content-Type": "application/json"},
    )
    tyk.call(
        "createUser",
        "POST",
        "/api/users",
        415,
        content=b"{}",
        headers={"Content-Type": "application/xml"},
    )
    tyk.call(
        "createUser",
        "POST",
        "/api/users",
        413,
        content=BIG,
        headers={"Content-Type": "application/json"},
    )
    error = tyk.call("createUser", "POST", "/api/users", 400, json={"first_name": "A"})
    assert "last_name" in error["Message"] or "email_address" in error["Message"]
    tyk.call("listUsers", "GET", "/api/users", 400, params={"p": "one"})
    tyk.call("getUser", "GET", "/api/users/not-hex", 400)


def test_no_input_produces_a_500(server: RunningServer, ce: dict) -> None:
    tyk_key = server.credentials["tyk-dashboard"]["Authorization"]
    targets = [
        (ce["base_url"] + f"/users/{ce['user_id']}", "PATCH", ce["Authorization"]),
        (
            ce["base_url"] + f"/accounts/{ce['default_account_id']}/users",
            "POST",
            ce["Authorization"],
        ),
        (
            ce["base_url"] + f"/accounts/{ce['default_account_id']}/users/1",
            "PUT",
            ce["Authorization"],
        ),
        (server.base_url + "/api/users", "POST", tyk_key),
    ]
    with httpx.Client(timeout=30) as client:
        for url, method, auth in targets:
            for body in WEIRD_BODIES:
                response = client.request(
                    method,
                    url,
                    content=body,
                    headers={"Authorization": auth, "Content-Type": "application/json"},
                )
                # An open PATCH body may well be valid ({} changes nothing): never a 500.
                assert response.status_code in (200, 400, 409), (url, body[:20], response.text)
        for where in ["'", "(((", "a" * 5000, "id = 99999999999999999999999", "\x00", "city IN ()"]:
            response = client.get(
                ce["base_url"] + "/users",
                params={"where": where},
                headers={"Authorization": ce["Authorization"]},
            )
            assert response.status_code in (200, 400), (where, response.text)
        for header in [
            "User",
            "User a, Organization",
            "User \u00e9, Organization \u00e9".encode("latin-1"),
            "x" * 9000,
        ]:
            response = client.get(ce["base_url"] + "/users", headers={"Authorization": header})
            assert response.status_code in (400, 401, 431), header[:20]  # type: ignore[index]


def test_a_client_that_leaves_mid_body_is_no_server_error(
    server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The body stops after 18 of 100 bytes and the connection closes: nothing is created and
    nothing is logged as an error of ours (it was a traceback and a 500)."""
    caplog.set_level(logging.DEBUG, logger="usersapi.server")
    auth = server.credentials["tyk-dashboard"]["Authorization"]
    origin = urlsplit(server.base_url)
    with socket.create_connection((origin.hostname, origin.port)) as client:
        client.sendall(
            b"POST /api/users HTTP/1.1\r\nHost: x\r\nAuthorization: "
            + auth.encode()
            + b"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            + b'{"email_address": "left-mid-body@example.com"'
        )
    deadline = time.monotonic() + 30
    while not any(r.name == "usersapi.server" for r in caplog.records):  # what it made of it
        assert time.monotonic() < deadline, "the server did not notice the client leave"
        time.sleep(0.02)
    told = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "usersapi.server"]
    assert told == [("DEBUG", "POST /api/users: the client left before the end of the body")]
    listed = httpx.get(server.base_url + "/api/users", headers={"Authorization": auth}).text
    assert "left-mid-body@example.com" not in listed


NEW_TYK_USER = {"first_name": "Pat", "last_name": "Doe", "email_address": "pat.doe@example.com"}


@pytest.mark.parametrize(
    "operation_id, method, path, body",
    [
        ("resetUserPassword", "POST", "/api/users/{id}/actions/reset", {"new_password": "Zk#9q"}),
        ("createUser", "POST", "/api/users", {**NEW_TYK_USER, "password": "Zk#9q"}),
        ("createUser", "POST", "/api/users", [{"password": "Zk#9q-but-a-longer-one"}]),
    ],
    ids=["too short to reset", "too short to create", "in a body of the wrong type"],
)
def test_a_rejected_password_is_never_quoted_back(
    tyk: ApiClient, operation_id: str, method: str, path: str, body: Any
) -> None:
    """The validator's message quotes the value it rejects (`"Zk#9q" is shorter than ...`):
    for a body carrying a password, the answer says `[Filtered]` instead."""
    new = {"first_name": "Pat", "last_name": "Doe", "email_address": f"{uuid.uuid4().hex}@x.co"}
    user = tyk.call("createUser", "POST", "/api/users", json=new)["Meta"]
    error = tyk.call(operation_id, method, path.format(id=user["id"]), 400, json=body)
    assert "Zk#9q" not in tyk.last.text
    assert "[Filtered]" in error["Message"], error
