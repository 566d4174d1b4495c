"""The generated Python clients drive a full user lifecycle against the reference server.

Only the generated code talks to the server: its models build the bodies and parse the answers,
so a contract that does not match the server fails here as a parse error or a wrong type.
"""

from __future__ import annotations

import importlib
import uuid
from types import ModuleType
from typing import Any

import pytest
from server_harness import RunningServer

from generator.clients import GenerationResult


def _email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


@pytest.mark.parametrize("api", ["cloud-elements", "tyk-dashboard"])
def test_generation_has_no_warnings(python_clients: dict[str, GenerationResult], api: str) -> None:
    result = python_clients[api]
    assert result.warnings == [], "\n\n".join(result.warnings)
    assert (result.out_dir / result.module / "py.typed").exists()


def test_cloud_elements_flow(python_packages: dict[str, ModuleType], server: RunningServer) -> None:
    pkg = python_packages["cloud-elements"]
    api = importlib.import_module(f"{pkg.__name__}.api")
    ops: dict[str, Any] = {
        name: importlib.import_module(f"{api.__name__}.{tag}.{name}")
        for tag, name in [
            ("account_users", "create_account_user"),
            ("organization_users", "get_user"),
            ("organization_users", "list_users"),
            ("organization_users", "update_user"),
            ("organization_users", "delete_user"),
            ("user_roles", "assign_user_role"),
        ]
    }
    models = importlib.import_module(f"{pkg.__name__}.models")
    creds = server.credentials["cloud-elements"]
    client = pkg.AuthenticatedClient(
        base_url=creds["base_url"],
        token=creds["Authorization"],
        prefix="",  # the header is "User <secret>, Organization <secret>", not a bearer token
        raise_on_unexpected_status=True,
    )
    email = _email("gen")
    body = models.UserCreate(
        first_name="Gen", last_name="Client", email=email, password="password1"
    )
    body.city = "Denver"
    body.roles = [models.RoleRef.from_dict({"key": "default-user"})]
    created = ops["create_account_user"].sync(creds["default_account_id"], client=client, body=body)
    assert isinstance(created, models.User), created
    assert created.email == email and created.full_name == "Gen Client"
    assert created.secret and created.password == "secured"

    got = ops["get_user"].sync(email.upper(), client=client)
    assert isinstance(got, models.User) and got.id == created.id and got.city == "Denver"

    answer = ops["list_users"].sync_detailed(client=client, where=f"email = '{email}'")
    assert answer.status_code == 200
    assert [u.id for u in answer.parsed] == [created.id]
    assert answer.headers["Elements-Returned-Count"] == "1"

    role = ops["assign_user_role"].sync(created.id, "admin", client=client)
    assert isinstance(role, models.Role) and role.key == "admin"

    change = models.UserUpdate(last_name="Changed")
    updated = ops["update_user"].sync(created.id, client=client, body=change)
    assert isinstance(updated, models.User), updated
    assert updated.full_name == "Gen Changed" and updated.email == email
    assert sorted(r.key for r in updated.roles) == ["admin", "default-user"]

    deleted = ops["delete_user"].sync_detailed(created.id, client=client)
    assert deleted.status_code == 200
    gone = ops["get_user"].sync(str(created.id), client=client)
    assert isinstance(gone, models.Error) and gone.request_id and gone.message


def test_cloud_elements_organization_users_flow(
    python_packages: dict[str, ModuleType], server: RunningServer
) -> None:
    """The five /organizations/users operations: the default account's users."""
    pkg = python_packages["cloud-elements"]
    ops: dict[str, Any] = {
        name: importlib.import_module(f"{pkg.__name__}.api.organization_users.{name}")
        for name in (
            "create_organization_user",
            "get_organization_user",
            "list_organization_users",
            "update_organization_user",
            "delete_organization_user",
        )
    }
    models = importlib.import_module(f"{pkg.__name__}.models")
    creds = server.credentials["cloud-elements"]
    client = pkg.AuthenticatedClient(
        base_url=creds["base_url"], token=creds["Authorization"], prefix=""
    )
    email = _email("org")
    body = models.OrganizationUserCreate(first_name="Org", last_name="Client", email=email)
    created = ops["create_organization_user"].sync(client=client, body=body)
    assert isinstance(created, models.User), created
    assert created.email == email and created.secret

    got = ops["get_organization_user"].sync(email, client=client)
    assert isinstance(got, models.User) and got.id == created.id

    listed = ops["list_organization_users"].sync_detailed(client=client, where=f"email = '{email}'")
    assert listed.status_code == 200 and [u.id for u in listed.parsed] == [created.id]

    change = models.UserUpdate(last_name="Changed")
    updated = ops["update_organization_user"].sync(created.id, client=client, body=change)
    assert isinstance(updated, models.User) and updated.full_name == "Org Changed"

    deleted = ops["delete_organization_user"].sync_detailed(created.id, client=client)
    assert deleted.status_code == 200
    gone = ops["get_organization_user"].sync(str(created.id), client=client)
    assert isinstance(gone, models.Error) and gone.message


def test_tyk_dashboard_flow(python_packages: dict[str, ModuleType], server: RunningServer) -> None:
    pkg = python_packages["tyk-dashboard"]
    ops: dict[str, Any] = {
        name: importlib.import_module(f"{pkg.__name__}.api.dashboard_users.{name}")
        for name in (
            "create_user",
            "get_user",
            "list_users",
            "update_user",
            "reset_user_password",
            "search_users",
            "search_users_by_query",
            "revoke_user",
            "get_current_user",
            "delete_user",
        )
    }
    models = importlib.import_module(f"{pkg.__name__}.models")
    creds = server.credentials["tyk-dashboard"]
    client = pkg.AuthenticatedClient(
        base_url=creds["base_url"],
        token=creds["Authorization"],
        prefix="",  # Tyk sends the raw access key
        raise_on_unexpected_status=True,
    )
    email = _email("gen")
    body = models.UserCreate(first_name="Gen", last_name="Client", email_address=email)
    created = ops["create_user"].sync(client=client, body=body)
    assert isinstance(created, models.UserCreated), created
    assert created.status == "OK" and isinstance(created.meta, models.User)
    user_id = created.meta.id
    assert created.meta.org_id == creds["org_id"] and created.meta.access_key

    got = ops["get_user"].sync(user_id, client=client)
    assert isinstance(got, models.User) and got.email_address == email

    everyone = ops["list_users"].sync(client=client)
    assert isinstance(everyone, models.UserList) and everyone.pages == 0
    assert [u.id for u in everyone.users if u.email_address == email] == [user_id]
    first_page = ops["list_users"].sync(client=client, p=1)
    assert isinstance(first_page, models.UserList) and len(first_page.users) == 10
    assert first_page.pages == -(-len(everyone.users) // 10)

    permissions = models.UserPermissions.from_dict({"users": "read"})
    change = models.UserUpdate(last_name="Changed", user_permissions=permissions)
    updated = ops["update_user"].sync(user_id, client=client, body=change)
    assert isinstance(updated, models.User), updated
    assert updated.last_name == "Changed" and updated.user_permissions["users"] == "read"

    reset = ops["reset_user_password"].sync(
        user_id, client=client, body=models.PasswordReset(new_password="s3cret-pass")
    )
    assert isinstance(reset, models.Status) and reset.status == "OK"

    search = models.UserSearch.from_dict({"filters": {"query": email}})
    found = ops["search_users"].sync(client=client, body=search)
    assert isinstance(found, models.UserList) and [u.id for u in found.users] == [user_id]
    by_query = ops["search_users_by_query"].sync(client=client, q=email.upper())
    assert isinstance(by_query, models.UserList) and [u.id for u in by_query.users] == [user_id]
    revoked = ops["revoke_user"].sync(user_id, client=client)
    assert isinstance(revoked, models.Status) and revoked.message == "User revoked"
    me = ops["get_current_user"].sync(client=client)
    assert isinstance(me, models.User) and me.id == creds["admin_user_id"]

    deleted = ops["delete_user"].sync(user_id, client=client)
    assert isinstance(deleted, models.Status) and deleted.message == "User deleted"
    gone = ops["get_user"].sync(user_id, client=client)
    assert isinstance(gone, models.Error) and gone.status == "Error"
