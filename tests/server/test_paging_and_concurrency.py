"""Keyset paging under concurrent inserts, and 32 concurrent writers against one store."""

from __future__ import annotations

import random
import threading
import uuid
from typing import Any

from server_harness import ApiClient, ResponseChecker, RunningServer


def _body(email: str) -> dict[str, Any]:
    return {"firstName": "Con", "lastName": "Current", "email": email, "password": "password1"}


def test_walking_pages_sees_every_user_once_while_users_are_added(
    elements: ApiClient, server: RunningServer
) -> None:
    account = server.credentials["cloud-elements"]["second_account_id"]
    tag = uuid.uuid4().hex[:8]
    path = f"/accounts/{account}/users"
    for i in range(23):
        elements.call(
            "createAccountUser", "POST", path, json=_body(f"walk{i}-{tag}@paging.example")
        )
    where = f"email LIKE '%-{tag}@paging.example'"
    expected = {
        u["id"] for u in elements.call("listAccountUsers", "GET", path, params={"where": where})
    }
    seen: list[int] = []
    params: dict[str, Any] = {"where": where, "pageSize": 5}
    for page in range(100):
        users = elements.call("listAccountUsers", "GET", path, params=params)
        seen += [u["id"] for u in users]
        token = elements.last.headers.get("Elements-Next-Page-Token")
        elements.call(
            "createAccountUser", "POST", path, json=_body(f"late{page}-{tag}@paging.example")
        )
        if token is None:
            break
        params = {"where": where, "pageSize": 5, "nextPage": token}
    assert len(seen) == len(set(seen)), "a user was returned twice"
    assert expected <= set(seen), "a user present from the start was skipped"


def test_32_concurrent_clients_leave_exactly_what_was_acknowledged(
    server: RunningServer, specs: dict[str, Any]
) -> None:
    creds = server.credentials["cloud-elements"]
    account = creds["default_account_id"]
    tag = uuid.uuid4().hex[:8]
    lock = threading.Lock()
    expected: dict[int, str] = {}  # id -> lastName the acknowledged responses imply
    shared_winners: dict[str, int] = {}
    errors: list[str] = []

    def client(n: int) -> None:
        api = ApiClient(
            creds["base_url"], creds["Authorization"], ResponseChecker(specs["cloud-elements"])
        )
        rng = random.Random(n)
        mine: list[int] = []
        try:
            for i in range(6):
                user = api.call(
                    "createAccountUser",
                    "POST",
                    f"/accounts/{account}/users",
                    json=_body(f"c{n}-{i}-{tag}@conc.example"),
                )
                mine.append(user["id"])
                with lock:
                    expected[user["id"]] = "Current"
            for user_id in rng.sample(mine, 3):
                name = f"N{n}x{rng.randrange(1000)}"
                api.call("updateUser", "PATCH", f"/users/{user_id}", json={"lastName": name})
                with lock:
                    expected[user_id] = name
            for user_id in rng.sample(mine, 2):
                api.call("deleteUser", "DELETE", f"/users/{user_id}")
                with lock:
                    del expected[user_id]
            for k in range(3):  # every client races for the same three emails
                email = f"shared{k}-{tag}@conc.example"
                response = api.http.post(
                    f"/accounts/{account}/users",
                    json=_body(email),
                    headers={"Authorization": api.authorization},
                )
                assert response.status_code in (200, 409), response.text
                if response.status_code == 200:
                    with lock:
                        assert email not in shared_winners
                        shared_winners[email] = response.json()["id"]
                        expected[response.json()["id"]] = "Current"
        except AssertionError as exc:  # collected: a failing thread must fail the test
            errors.append(f"client {n}: {exc}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert len(shared_winners) == 3

    reader = ApiClient(
        creds["base_url"], creds["Authorization"], ResponseChecker(specs["cloud-elements"])
    )
    stored = reader.call(
        "listAccountUsers",
        "GET",
        f"/accounts/{account}/users",
        params={"where": f"email LIKE '%-{tag}@conc.example'", "pageSize": 500},
    )
    assert {u["id"]: u["lastName"] for u in stored} == expected
