"""Every Tyk Dashboard operation over real HTTP, each answer checked against the contract."""

from __future__ import annotations

import uuid

import httpx
from server_harness import ApiClient, RunningServer


def _email() -> str:
    return f"tyk-{uuid.uuid4().hex[:10]}@example.com"


def _create(tyk: ApiClient, **extra: object) -> dict:
    body = {"first_name": "Jason", "last_name": "Jasonson", "email_address": _email(), **extra}
    created = tyk.call("createUser", "POST", "/api/users", json=body)
    assert created["Status"] == "OK" and created["Message"] == "User created"
    return created["Meta"]


def test_create_then_get_returns_the_user_without_password(tyk: ApiClient) -> None:
    user = _create(tyk, active=True)
    fetched = tyk.call("getUser", "GET", f"/api/users/{user['id']}")
    assert fetched == user
    assert "password" not in fetched and len(fetched["access_key"]) >= 16


def test_list_all_and_pages(tyk: ApiClient) -> None:
    everyone = tyk.call("listUsers", "GET", "/api/users")
    assert everyone["pages"] == 0 and len(everyone["users"]) >= 14
    first = tyk.call("listUsers", "GET", "/api/users", params={"p": 1})
    assert len(first["users"]) == 10 and first["pages"] == -(-len(everyone["users"]) // 10)
    walked = []
    for page in range(1, first["pages"] + 1):
        walked += tyk.call("listUsers", "GET", "/api/users", params={"p": page})["users"]
    assert [u["id"] for u in walked] == [u["id"] for u in everyone["users"]]
    past = tyk.call("listUsers", "GET", "/api/users", params={"p": first["pages"] + 1})
    assert past["users"] == []
    assert tyk.call("listUsers", "GET", "/api/users", params={"p": -1})["pages"] == 0


def test_update_merges_fields(tyk: ApiClient) -> None:
    user = _create(tyk)
    updated = tyk.call(
        "updateUser",
        "PUT",
        f"/api/users/{user['id']}",
        json={"last_name": "Jasonsonson", "user_permissions": {"users": "read"}},
    )
    assert updated["last_name"] == "Jasonsonson" and updated["first_name"] == "Jason"
    assert updated["user_permissions"] == {"users": "read"}


def test_duplicate_email_is_403_on_create_and_update(tyk: ApiClient) -> None:
    first, second = _create(tyk), _create(tyk)
    body = {"first_name": "A", "last_name": "B", "email_address": first["email_address"].upper()}
    error = tyk.call("createUser", "POST", "/api/users", 403, json=body)
    assert error["Message"] == "User email already exists for this org."
    tyk.call(
        "updateUser",
        "PUT",
        f"/api/users/{second['id']}",
        403,
        json={"email_address": first["email_address"]},
    )


def test_delete_then_404(tyk: ApiClient) -> None:
    user = _create(tyk)
    deleted = tyk.call("deleteUser", "DELETE", f"/api/users/{user['id']}")
    assert deleted["Message"] == "User deleted"
    tyk.call("getUser", "GET", f"/api/users/{user['id']}", 404)
    tyk.call("deleteUser", "DELETE", f"/api/users/{user['id']}", 404)


def test_reset_password_and_key(tyk: ApiClient, server: RunningServer) -> None:
    user = _create(tyk)
    done = tyk.call(
        "resetUserPassword",
        "POST",
        f"/api/users/{user['id']}/actions/reset",
        json={"new_password": "test123456"},
    )
    assert done["Message"] == "User password updated"
    tyk.call(
        "resetUserPassword",
        "POST",
        f"/api/users/{user['id']}/actions/reset",
        400,
        json={"new_password": "short"},
    )
    old_key = user["access_key"]
    assert (
        httpx.get(server.base_url + "/api/users", headers={"Authorization": old_key}).status_code
        == 200
    )
    renewed = tyk.call("resetUserAccessKey", "PUT", f"/api/users/{user['id']}/actions/key/reset")
    assert renewed["Message"] == "User session renewed"
    new_key = tyk.call("getUser", "GET", f"/api/users/{user['id']}")["access_key"]
    assert new_key != old_key
    assert (
        httpx.get(server.base_url + "/api/users", headers={"Authorization": old_key}).status_code
        == 401
    )
    assert (
        httpx.get(server.base_url + "/api/users", headers={"Authorization": new_key}).status_code
        == 200
    )


def test_auth_and_permissions(tyk: ApiClient, server: RunningServer) -> None:
    creds = server.credentials["tyk-dashboard"]
    tyk.call("listUsers", "GET", "/api/users", 401, headers={"Authorization": "not-a-key"})
    reader = ApiClient(server.base_url, creds["read_only"]["Authorization"], tyk.checker)
    reader.call("listUsers", "GET", "/api/users")
    body = {"first_name": "A", "last_name": "B", "email_address": _email()}
    assert (
        reader.call("createUser", "POST", "/api/users", 403, json=body)["Message"]
        == "access denied: You do not have permission to access /api/users"
    )
    other = ApiClient(server.base_url, creds["second_org"]["Authorization"], tyk.checker)
    other.call("getUser", "GET", f"/api/users/{creds['user_id']}", 404)
    ids = {u["id"] for u in other.call("listUsers", "GET", "/api/users")["users"]}
    assert creds["user_id"] not in ids and ids == {creds["second_org"]["user_id"]}


def test_unknown_fields_are_ignored_never_stored(tyk: ApiClient) -> None:
    user = _create(tyk, emial_address="typo@example.com", org_id="0" * 24)
    assert "emial_address" not in user and user["org_id"] != "0" * 24
    updated = tyk.call(
        "updateUser", "PUT", f"/api/users/{user['id']}", json={"nickname": "J", "last_name": "X"}
    )
    assert "nickname" not in updated and updated["last_name"] == "X"
    assert tyk.call("updateUser", "PUT", f"/api/users/{user['id']}", json={}) == updated


def test_unknown_user_answers_as_documented(tyk: ApiClient) -> None:
    unknown = "66498cd1e2fcd1000184ecb4"
    wanted = {
        ("getUser", "GET", ""): (404, "Could not retrieve user detail."),
        ("deleteUser", "DELETE", ""): (404, "Could not retrieve user detail."),
        ("updateUser", "PUT", ""): (400, "user does not exist."),
        ("revokeUser", "PUT", "/actions/revoke"): (400, "Could not retrieve user detail."),
        ("resetUserAccessKey", "PUT", "/actions/key/reset"): (
            404,
            "Could not retrieve user detail.",
        ),
    }
    for (operation, method, tail), (status, message) in wanted.items():
        body = {"last_name": "X"} if operation == "updateUser" else None
        path = f"/api/users/{unknown}{tail}"
        assert tyk.call(operation, method, path, status, json=body)["Message"] == message


def test_deleting_yourself_is_refused(tyk: ApiClient, server: RunningServer) -> None:
    me = server.credentials["tyk-dashboard"]["admin_user_id"]
    error = tyk.call("deleteUser", "DELETE", f"/api/users/{me}", 400)
    assert error["Message"] == "Could not delete the user."


def test_revoke_deactivates_and_refuses_the_key(tyk: ApiClient, server: RunningServer) -> None:
    user = _create(tyk, active=True)
    revoked = tyk.call("revokeUser", "PUT", f"/api/users/{user['id']}/actions/revoke")
    assert revoked == {"Status": "OK", "Message": "User revoked", "Meta": None}
    assert tyk.call("getUser", "GET", f"/api/users/{user['id']}")["active"] is False
    answer = httpx.get(
        server.base_url + "/api/users", headers={"Authorization": user["access_key"]}
    )
    assert answer.status_code == 401


def test_me_by_header_or_session_cookie(tyk: ApiClient, server: RunningServer) -> None:
    creds = server.credentials["tyk-dashboard"]
    assert tyk.call("getCurrentUser", "GET", "/api/users/me")["id"] == creds["admin_user_id"]
    reader_key = creds["read_only"]["Authorization"]
    by_cookie = httpx.get(server.base_url + "/api/users/me", cookies={"authorisation": reader_key})
    assert by_cookie.status_code == 200 and by_cookie.json()["id"] == creds["read_only"]["user_id"]
    elsewhere = httpx.get(server.base_url + "/api/users", cookies={"authorisation": reader_key})
    assert elsewhere.status_code == 401  # the cookie is the credential of /me only


def test_search_by_email_part_both_forms(tyk: ApiClient) -> None:
    marker = uuid.uuid4().hex[:8]
    made = [_create(tyk, email_address=f"s{n}-{marker}@Search.example") for n in range(12)]
    by_post = tyk.call(
        "searchUsers", "POST", "/api/users/search", json={"filters": {"query": marker}}
    )
    assert [u["id"] for u in by_post["users"]] == [u["id"] for u in made]
    paged = tyk.call(
        "searchUsersByQuery",
        "GET",
        "/api/users/search",
        params={"q": f"{marker}@search.EXAMPLE", "p": 2},
    )
    assert paged["pages"] == 2 and [u["id"] for u in paged["users"]] == [u["id"] for u in made[10:]]
    literal = tyk.call("searchUsersByQuery", "GET", "/api/users/search", params={"q": "%_"})
    assert literal["users"] == []
    # SQLite's LIKE ends a pattern at a NUL: "e\x00zz" must not be searched as "e".
    nul = tyk.call("searchUsersByQuery", "GET", "/api/users/search", params={"q": "e\x00zz"})
    assert nul["users"] == []
    error = tyk.call("searchUsers", "POST", "/api/users/search", 400, json={"query": marker})
    assert "filters" in error["Message"]  # the dashboard: "Could not extract search filter ..."
