"""The User object each row keeps (ce_views): rendered again by every kind of write, whoever
writes; the same in a list as alone; installed once and brought up to date on older databases;
and the `where` fields' indexes used by the filters they serve."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from server_harness import ApiClient, ResponseChecker, RunningServer, running_server

from generator.ceql import fields_of
from generator.openapi.where_fields import where_fields
from generator.server import ce_store, ce_views
from generator.server.ceql import USER_COLUMNS, UserWhere
from generator.server.context import ServerState


@pytest.fixture(scope="module")
def ids(server: RunningServer) -> dict[str, Any]:
    return server.credentials["cloud-elements"]


def _create(elements: ApiClient, account: int, **extra: Any) -> dict[str, Any]:
    email = f"view-{uuid.uuid4().hex[:10]}@example.com"
    body = {"firstName": "First", "lastName": "Last", "email": email, "password": "password1"}
    return elements.call(
        "createAccountUser", "POST", f"/accounts/{account}/users", json={**body, **extra}
    )


def _get(elements: ApiClient, user_id: int) -> dict[str, Any]:
    params = {"includeInactive": "true"}
    got: dict[str, Any] = elements.call("getUser", "GET", f"/users/{user_id}", params=params)
    return got


def _listed(elements: ApiClient, user_id: int) -> dict[str, Any]:
    params = {"where": f"id = {user_id}", "includeInactive": "true"}
    users = elements.call("listUsers", "GET", "/users", params=params)
    assert len(users) == 1
    found: dict[str, Any] = users[0]
    return found


def test_every_write_renders_the_user_again(elements: ApiClient, ids: dict) -> None:
    user = _create(elements, ids["default_account_id"], city="Denver")
    path = f"/users/{user['id']}"
    assert _get(elements, user["id"])["city"] == "Denver"
    elements.call("updateUser", "PATCH", path, json={"firstName": "Renamed", "phone": "555"})
    after = _get(elements, user["id"])
    assert (after["firstName"], after["fullName"], after["phone"]) == (
        "Renamed",
        "Renamed Last",
        "555",
    )
    elements.call("updateUser", "PATCH", path, json={"active": False})
    assert _get(elements, user["id"])["active"] is False
    assert _get(elements, user["id"])["enabled"] is False
    elements.call("assignUserRole", "PUT", f"{path}/roles/admin")
    assert [r["key"] for r in _get(elements, user["id"])["roles"]] == ["admin", "default-user"]
    elements.call("removeUserRole", "DELETE", f"{path}/roles/default-user")
    assert [r["key"] for r in _get(elements, user["id"])["roles"]] == ["admin"]
    assert _listed(elements, user["id"]) == _get(elements, user["id"])


def test_a_deleted_user_leaves_no_object(
    elements: ApiClient, ids: dict, server: RunningServer
) -> None:
    user = _create(elements, ids["default_account_id"])
    elements.call("deleteUser", "DELETE", f"/users/{user['id']}")
    with closing(sqlite3.connect(server.db_path)) as conn:
        found = "SELECT count(*) FROM user_views WHERE user_id = ?"
        assert conn.execute(found, (user["id"],)).fetchone()[0] == 0


def test_text_of_any_kind_reads_back_as_written(elements: ApiClient, ids: dict) -> None:
    hostile = 'Quote " back\\slash \n tab\t é ☃ 😀 \u2028 </script> \x7f'
    user = _create(elements, ids["default_account_id"], firstName=hostile, street1=hostile)
    for shown in (_get(elements, user["id"]), _listed(elements, user["id"])):
        assert shown["firstName"] == hostile and shown["street1"] == hostile
        assert shown["fullName"] == f"{hostile} Last"


def test_a_row_written_by_another_program_is_rendered(
    elements: ApiClient, ids: dict, server: RunningServer
) -> None:
    """A script or a migration writing rows directly, as the server bench's bulk load does."""
    template = _create(elements, ids["default_account_id"])
    email = f"direct-{uuid.uuid4().hex[:8]}@example.com"
    with closing(sqlite3.connect(server.db_path)) as conn, conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(users)") if r[1] != "id"]
        chosen = {"email": "?", "username": "?", "secret_hash": "randomblob(32)"}
        select = ", ".join(chosen.get(c, c) for c in columns)
        new_id = conn.execute(
            f"INSERT INTO users ({', '.join(columns)}) SELECT {select} FROM users WHERE id = ?",
            (email, email, template["id"]),
        ).lastrowid
        conn.execute("UPDATE users SET city = 'Boulder' WHERE id = ?", (new_id,))
        conn.execute(
            "INSERT INTO user_roles (user_id, role_key) VALUES (?, 'org'), (?, 'no-such-role')",
            (new_id, new_id),
        )
    shown = _get(elements, new_id)
    assert (shown["id"], shown["email"], shown["username"], shown["city"]) == (
        new_id,
        email,
        email,
        "Boulder",
    )
    assert [r["key"] for r in shown["roles"]] == ["org"]  # a key outside the catalogue is left out


def test_install_renders_once_and_brings_older_databases_up_to_date(
    tmp_path: Path, specs: dict[str, Any]
) -> None:
    db = tmp_path / "users.sqlite3"
    with running_server(db, specs=specs) as first:
        user_id = first.credentials["cloud-elements"]["user_id"]
    state = ServerState.open(str(db))
    try:
        assert ce_views.install(state.conn) is False  # a second start renders nothing
        # A row copied in while the triggers were away has no object: rendered at the start.
        state.conn.execute("DELETE FROM user_views WHERE user_id = ?", (user_id,))
        assert ce_views.install(state.conn) is False
        found = "SELECT count(*) FROM user_views WHERE user_id = ?"
        assert state.conn.execute(found, (user_id,)).fetchone()[0] == 1
        # As a database written before views were stored: no triggers, no views.
        triggers = "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'ce_user_%'"
        for (name,) in state.conn.execute(triggers).fetchall():
            state.conn.execute(f"DROP TRIGGER {name}")
        state.conn.execute("DELETE FROM user_views")
    finally:
        state.close()
    with running_server(db, specs=specs) as again:
        creds = again.credentials["cloud-elements"]
        client = ApiClient(
            creds["base_url"], creds["Authorization"], ResponseChecker(specs["cloud-elements"])
        )
        assert _get(client, user_id)["id"] == user_id
        assert len(client.call("listUsers", "GET", "/users")) > 1


def _plan(conn: sqlite3.Connection, query: ce_store.PageQuery) -> str:
    rows = conn.execute("EXPLAIN QUERY PLAN " + query.sql, query.params).fetchall()
    return " | ".join(str(row[3]) for row in rows)


@pytest.mark.parametrize("include_inactive", [False, True])
def test_each_page_is_found_in_an_index_without_reading_user_rows(
    server: RunningServer, specs: dict, include_inactive: bool
) -> None:
    """Each `where` field's filter walks that field's index, an unfiltered page the
    organization's or the account's, and every one carries what the page is decided by."""
    where = UserWhere(fields_of(where_fields(specs["cloud-elements"])))
    page = {"include_inactive": include_inactive, "after_id": 0, "offset": 0, "limit": 50}
    with closing(sqlite3.connect(server.db_path)) as conn:
        for name, field in where.fields.items():
            column = USER_COLUMNS[name]
            literal = {"integer": "1", "boolean": "true", "date": "'2020-01-02'"}.get(
                field.kind, "'x'"
            )
            query = ce_store.page_query(
                1, account_id=None, where=where.sql(f"{name} = {literal}"), **page
            )
            plan = _plan(conn, query)
            expected = "INTEGER PRIMARY KEY" if column == "id" else f"users_where_{column}"
            assert expected in plan, (name, plan)
            if column != "id":
                assert f"COVERING INDEX {expected}" in plan, (name, plan)
        for account_id in (None, 2):  # (the active filter may take `active`'s own index)
            query = ce_store.page_query(1, account_id=account_id, where=None, **page)
            plan = _plan(conn, query)
            assert "SEARCH users USING COVERING INDEX users_" in plan, plan


def test_list_indexes_of_an_earlier_version_are_made_again(tmp_path: Path) -> None:
    state = ServerState.open(str(tmp_path / "users.sqlite3"))
    try:
        conn = state.conn
        conn.execute("CREATE INDEX users_org ON users(org_id, id)")  # as it was defined before
        conn.execute("CREATE INDEX users_where_gone ON users(org_id, phone, id)")
        ce_store.index_lists(conn, ["city"])
        found = dict(
            conn.execute(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name LIKE 'users_%'"
            ).fetchall()
        )
        assert found["users_org"] == "CREATE INDEX users_org ON users(org_id, id, active)"
        assert "users_where_city" in found and "users_where_gone" not in found
    finally:
        state.close()
