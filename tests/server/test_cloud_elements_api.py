"""Every Cloud Elements operation over real HTTP, each answer checked against the contract."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from server_harness import ApiClient, RunningServer


def _email() -> str:
    return f"ce-{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture(scope="module")
def ids(server: RunningServer) -> dict[str, Any]:
    return server.credentials["cloud-elements"]


def _create(elements: ApiClient, account: int, **extra: Any) -> dict[str, Any]:
    body = {"firstName": "First", "lastName": "Last", "email": _email(), "password": "password1"}
    return elements.call(
        "createAccountUser", "POST", f"/accounts/{account}/users", json={**body, **extra}
    )


def test_create_returns_user_with_secret_and_placeholder_password(
    elements: ApiClient, ids: dict
) -> None:
    user = _create(elements, ids["default_account_id"], city="Denver", roles=[{"key": "admin"}])
    assert user["password"] == "secured" and user["secret"]
    assert user["fullName"] == "First Last" and user["city"] == "Denver"
    assert [r["key"] for r in user["roles"]] == ["admin"]


def test_get_by_id_and_email_secret_only_with_password(elements: ApiClient, ids: dict) -> None:
    user = _create(elements, ids["default_account_id"])
    by_id = elements.call("getUser", "GET", f"/users/{user['id']}")
    assert "secret" not in by_id and by_id["email"] == user["email"]
    by_email = elements.call("getUser", "GET", f"/users/{user['email'].upper()}")
    assert by_email["id"] == user["id"]
    wrong = elements.call(
        "getUser", "GET", f"/users/{user['id']}", headers={"Elements-User-Password": "nope"}
    )
    assert "secret" not in wrong
    right = elements.call(
        "getAccountUser",
        "GET",
        f"/accounts/{ids['default_account_id']}/users/{user['email']}",
        headers={"Elements-User-Password": "password1"},
    )
    assert right["secret"] == user["secret"]
    elements.call("getUser", "GET", "/users/nobody@example.com", 404)


def test_update_patch_and_deactivate(elements: ApiClient, ids: dict) -> None:
    user = _create(elements, ids["default_account_id"])
    updated = elements.call(
        "updateUser",
        "PATCH",
        f"/users/{user['id']}",
        json={"lastName": "Changed", "password": "newpass1"},
    )
    assert updated["fullName"] == "First Changed" and "secret" not in updated
    secret = elements.call(
        "getUser", "GET", f"/users/{user['id']}", headers={"Elements-User-Password": "newpass1"}
    )["secret"]
    assert secret == user["secret"]  # a new password keeps the user's secret
    off = elements.call(
        "updateUser",
        "PATCH",
        f"/users/{user['id']}",
        params={"permanent": "true"},
        json={"active": False},
    )
    assert off["active"] is False
    elements.call("getUser", "GET", f"/users/{user['id']}", 404)
    elements.call("getUser", "GET", f"/users/{user['id']}", params={"includeInactive": "true"})
    account = ids["default_account_id"]
    patched = elements.call(
        "updateAccountUser",
        "PATCH",
        f"/accounts/{account}/users/{user['id']}",
        json={"active": True, "firstName": "Again"},
    )
    assert patched["active"] is True and patched["fullName"] == "Again Changed"


def test_replace_clears_address_and_resets_roles(elements: ApiClient, ids: dict) -> None:
    account = ids["default_account_id"]
    user = _create(elements, account, city="Denver", roles=[{"key": "admin"}])
    body = {"firstName": "New", "lastName": "Name", "email": _email()}
    replaced = elements.call(
        "replaceAccountUser", "PUT", f"/accounts/{account}/users/{user['id']}", json=body
    )
    assert "city" not in replaced and replaced["email"] == body["email"]
    assert [r["key"] for r in replaced["roles"]] == ["default-user"] and replaced["active"] is True


def test_email_conflicts_are_409(elements: ApiClient, ids: dict) -> None:
    account = ids["default_account_id"]
    first, second = _create(elements, account), _create(elements, account)
    body = {"firstName": "A", "lastName": "B", "email": first["email"].upper(), "password": "pw"}
    elements.call("createAccountUser", "POST", f"/accounts/{account}/users", 409, json=body)
    elements.call(
        "updateUser", "PATCH", f"/users/{second['id']}", 409, json={"email": first["email"]}
    )
    elements.call(
        "replaceAccountUser",
        "PUT",
        f"/accounts/{account}/users/{second['id']}",
        409,
        json={"firstName": "A", "lastName": "B", "email": first["email"]},
    )


def test_roles(elements: ApiClient, ids: dict) -> None:
    user = _create(elements, ids["default_account_id"])
    roles = f"/users/{user['id']}/roles"
    assert [r["key"] for r in elements.call("listUserRoles", "GET", roles)] == ["default-user"]
    role = elements.call("assignUserRole", "PUT", f"{roles}/admin")
    assert role["key"] == "admin" and role["description"]
    again = elements.call("assignUserRole", "PUT", f"{roles}/admin", 409)
    assert "admin" in again["message"] and again["requestId"]
    keys = {r["key"] for r in elements.call("listUserRoles", "GET", roles)}
    assert keys == {"default-user", "admin"}
    elements.call("removeUserRole", "DELETE", f"{roles}/admin")
    elements.call("removeUserRole", "DELETE", f"{roles}/admin")  # idempotent
    elements.call("assignUserRole", "PUT", f"{roles}/superuser", 400)
    elements.call("assignUserRole", "PUT", f"{roles}/sys-admin", 403)
    elements.call("listUserRoles", "GET", "/users/999999/roles", 404)
    elements.call("assignUserRole", "PUT", "/users/-1/roles/admin", 404)


def test_role_calls_outside_the_callers_scope_are_403(elements: ApiClient, ids: dict) -> None:
    other = ApiClient(ids["base_url"], ids["second_org"]["Authorization"], elements.checker)
    user = _create(elements, ids["default_account_id"])
    roles = f"/users/{user['id']}/roles"
    other.call("assignUserRole", "PUT", f"{roles}/admin", 403)
    other.call("listUserRoles", "GET", roles, 403)
    other.call("removeUserRole", "DELETE", f"{roles}/admin", 403)
    own = f"/users/{ids['admin_user_id']}/roles"
    elements.call("listUserRoles", "GET", own)
    elements.call("assignUserRole", "PUT", f"{own}/admin", 403)
    elements.call("removeUserRole", "DELETE", f"{own}/org-admin", 403)
    body = {"firstName": "A", "lastName": "B", "email": _email(), "password": "pw"}
    body["roles"] = [{"key": "sys-admin"}, {"key": "org-admin"}]
    account = ids["default_account_id"]
    elements.call("createAccountUser", "POST", f"/accounts/{account}/users", 403, json=body)


def test_delete_org_and_account_level(elements: ApiClient, ids: dict) -> None:
    account = ids["default_account_id"]
    first, second = _create(elements, account), _create(elements, account)
    assert elements.call("deleteUser", "DELETE", f"/users/{first['id']}") is None
    elements.call("getUser", "GET", f"/users/{first['id']}", 404)
    elements.call("deleteAccountUser", "DELETE", f"/accounts/{account}/users/{second['id']}")
    elements.call("deleteAccountUser", "DELETE", f"/accounts/{account}/users/{second['id']}", 404)


def test_lists_filter_and_count(elements: ApiClient, ids: dict) -> None:
    everyone = elements.call("listUsers", "GET", "/users")
    assert elements.last.headers["Elements-Returned-Count"] == str(len(everyone))
    assert all(u["active"] for u in everyone)
    with_inactive = elements.call("listUsers", "GET", "/users", params={"includeInactive": "true"})
    assert len(with_inactive) > len(everyone)
    denver = elements.call("listUsers", "GET", "/users", params={"where": "city = 'Denver'"})
    assert denver and all(u["city"] == "Denver" for u in denver)
    west = ids["second_account_id"]
    account_users = elements.call(
        "listAccountUsers",
        "GET",
        f"/accounts/{west}/users",
        params={"where": "email LIKE '%@acme.example'", "offset": 2},
    )
    full = elements.call(
        "listAccountUsers",
        "GET",
        f"/accounts/{west}/users",
        params={"where": "email LIKE '%@acme.example'"},
    )
    assert [u["id"] for u in account_users] == [u["id"] for u in full][2:]
    error = elements.call("listUsers", "GET", "/users", 400, params={"where": "city = = 'x'"})
    assert "position" in error["message"]
    elements.call("listUsers", "GET", "/users", 400, params={"where": "shoeSize = 3"})


def test_a_listed_user_is_the_user_get_one_shows(elements: ApiClient, ids: dict) -> None:
    """A page reads its users' roles in one query of its own: each user, roles included, is
    still exactly what GET one user shows (a user with two roles, one with none)."""
    account = ids["default_account_id"]
    two = _create(elements, account, roles=[{"key": "admin"}, {"key": "default-user"}])
    none = _create(elements, account)
    elements.call("removeUserRole", "DELETE", f"/users/{none['id']}/roles/default-user")
    page = elements.call("listUsers", "GET", "/users", params={"pageSize": 500})
    listed = {user["id"]: user for user in page}
    assert len(listed[two["id"]]["roles"]) == 2 and listed[none["id"]]["roles"] == []
    for user in page:
        assert elements.call("getUser", "GET", f"/users/{user['id']}") == user


def test_permissions_and_isolation(elements: ApiClient, ids: dict, server: RunningServer) -> None:
    checker = elements.checker
    base = ids["base_url"]
    account_admin = ApiClient(base, ids["account_admin"]["Authorization"], checker)
    west, default = ids["second_account_id"], ids["default_account_id"]
    account_admin.call("listAccountUsers", "GET", f"/accounts/{west}/users")
    account_admin.call("listAccountUsers", "GET", f"/accounts/{default}/users", 403)
    account_admin.call("listUsers", "GET", "/users", 403)
    created = _create(account_admin, west)
    body = {
        "firstName": "A",
        "lastName": "B",
        "email": _email(),
        "password": "pw",
        "roles": [{"key": "org-admin"}],
    }
    account_admin.call("createAccountUser", "POST", f"/accounts/{west}/users", 403, json=body)
    plain = ApiClient(base, "", checker)
    plain.call("listUsers", "GET", "/users", 401)
    bad = ApiClient(base, "User nope, Organization nope", checker)
    bad.call("listAccountUsers", "GET", f"/accounts/{west}/users", 401)
    other = ApiClient(base, ids["second_org"]["Authorization"], checker)
    other.call("getUser", "GET", f"/users/{created['id']}", 404)
    other.call("deleteUser", "DELETE", f"/users/{created['id']}", 404)
    other.call("listAccountUsers", "GET", f"/accounts/{west}/users", 404)
    assert {u["email"] for u in other.call("listUsers", "GET", "/users")} <= {
        "hank@globex.example",
        "homer@globex.example",
    }
    # The account admin's own user secret works; a regular user's does not reach admin operations.
    regular = _create(elements, default)
    org_secret = ids["Authorization"].split("Organization ")[1]
    as_regular = ApiClient(base, f"User {regular['secret']}, Organization {org_secret}", checker)
    as_regular.call("listUsers", "GET", "/users", 401)


def test_organization_users_live_in_the_default_account(elements: ApiClient, ids: dict) -> None:
    body = {"firstName": "Chuck", "lastName": "Taylor", "email": _email(), "city": "Denver"}
    created = elements.call("createOrganizationUser", "POST", "/organizations/users", json=body)
    assert created["secret"] and created["fullName"] == "Chuck Taylor"
    account_users = f"/accounts/{ids['default_account_id']}/users/{created['id']}"
    assert elements.call("getAccountUser", "GET", account_users)["id"] == created["id"]
    listed = elements.call("listOrganizationUsers", "GET", "/organizations/users")
    assert created["id"] in {u["id"] for u in listed} and all("secret" not in u for u in listed)
    found = elements.call(
        "listOrganizationUsers",
        "GET",
        "/organizations/users",
        params={"where": f"email = '{body['email']}'"},
    )
    assert [u["id"] for u in found] == [created["id"]]
    by_email = elements.call("getOrganizationUser", "GET", f"/organizations/users/{body['email']}")
    assert by_email["id"] == created["id"]
    path = f"/organizations/users/{created['id']}"
    patched = elements.call("updateOrganizationUser", "PATCH", path, json={"password": "pw123456"})
    assert patched["city"] == "Denver" and "secret" not in patched
    unlocked = elements.call(
        "getOrganizationUser", "GET", path, headers={"Elements-User-Password": "pw123456"}
    )
    assert unlocked["secret"] == created["secret"]
    elements.call("createOrganizationUser", "POST", "/organizations/users", 409, json=body)
    elements.call("createOrganizationUser", "POST", "/organizations/users", 400, json={})
    elements.call("deleteOrganizationUser", "DELETE", path)
    elements.call("getOrganizationUser", "GET", path, 404)
    elements.call("deleteOrganizationUser", "DELETE", "/organizations/users/-1", 404)
    elements.call("getOrganizationUser", "GET", "/organizations/users/-1", 404)
    west_user = _create(elements, ids["second_account_id"])
    elements.call("getOrganizationUser", "GET", f"/organizations/users/{west_user['id']}", 404)


def test_organization_users_are_for_organization_admins(elements: ApiClient, ids: dict) -> None:
    account_admin = ApiClient(
        ids["base_url"], ids["account_admin"]["Authorization"], elements.checker
    )
    account_admin.call("listOrganizationUsers", "GET", "/organizations/users", 403)
    body = {"firstName": "A", "lastName": "B", "email": _email()}
    account_admin.call("createOrganizationUser", "POST", "/organizations/users", 403, json=body)


def test_unknown_body_fields_are_ignored_never_stored(elements: ApiClient, ids: dict) -> None:
    account = ids["default_account_id"]
    user = _create(elements, account, fullName="Forged Name", id=1, shoeSize=44)
    assert user["fullName"] == "First Last" and "shoeSize" not in user and user["id"] != 1
    path = f"/accounts/{account}/users/{user['id']}"
    body = {"firstName": "F", "lastName": "L", "email": _email(), "externalId": "crm-1"}
    replaced = elements.call(
        "replaceAccountUser", "PUT", path, json={**body, "createdDate": 0, "x-extra": [1]}
    )
    assert replaced["externalId"] == "crm-1" and "x-extra" not in replaced
    read = elements.call("getAccountUser", "GET", path)
    assert read["externalId"] == "crm-1" and "x-extra" not in read
    del body["externalId"]
    cleared = elements.call("replaceAccountUser", "PUT", path, json=body)  # left out: cleared
    assert "externalId" not in cleared
