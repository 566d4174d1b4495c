"""Data and demo credentials survive a restart on the same database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_harness import running_server

from generator.server.context import ServerState, StorageError


def test_restart_keeps_users_and_prints_the_same_credentials(
    tmp_path: Path, specs: dict[str, Any]
) -> None:
    db = tmp_path / "users.sqlite3"
    with running_server(db, specs=specs) as first:
        ce = first.credentials["cloud-elements"]
        headers = {"Authorization": ce["Authorization"]}
        account = ce["default_account_id"]
        body = {
            "firstName": "Per",
            "lastName": "Sistent",
            "email": "per@example.com",
            "password": "password1",
        }
        created = httpx.post(
            f"{ce['base_url']}/accounts/{account}/users", json=body, headers=headers
        ).json()
        tyk = first.credentials["tyk-dashboard"]
        tyk_user = httpx.post(
            first.base_url + "/api/users",
            headers={"Authorization": tyk["Authorization"]},
            json={"first_name": "T", "last_name": "K", "email_address": "t@k.example"},
        ).json()["Meta"]
    with running_server(db, specs=specs) as second:
        assert {
            k: v for k, v in second.credentials["cloud-elements"].items() if k != "base_url"
        } == {k: v for k, v in ce.items() if k != "base_url"}
        ce2 = second.credentials["cloud-elements"]
        again = httpx.get(
            f"{ce2['base_url']}/users/per@example.com",
            headers={"Authorization": ce2["Authorization"], "Elements-User-Password": "password1"},
        )
        assert again.status_code == 200 and again.json()["secret"] == created["secret"]
        tyk_again = httpx.get(
            f"{second.base_url}/api/users/{tyk_user['id']}",
            headers={"Authorization": second.credentials["tyk-dashboard"]["Authorization"]},
        )
        assert tyk_again.json()["access_key"] == tyk_user["access_key"]
    assert Path(str(db) + ".key").stat().st_mode & 0o077 == 0  # the sealing key is private


def test_demo_secrets_differ_between_databases(tmp_path: Path, specs: dict[str, Any]) -> None:
    with (
        running_server(tmp_path / "a.sqlite3", specs=specs) as a,
        running_server(tmp_path / "b.sqlite3", specs=specs) as b,
    ):
        assert (
            a.credentials["cloud-elements"]["Authorization"]
            != b.credentials["cloud-elements"]["Authorization"]
        )
        assert (
            a.credentials["tyk-dashboard"]["Authorization"]
            != b.credentials["tyk-dashboard"]["Authorization"]
        )


def test_without_demo_there_are_no_credentials(specs: dict[str, Any]) -> None:
    with running_server(demo=False, specs=specs) as bare:
        assert bare.credentials == {}
        assert (
            httpx.get(bare.base_url + "/api/users", headers={"Authorization": "x"}).status_code
            == 401
        )


def test_a_database_of_the_retired_sealing_format_is_refused_untouched(
    tmp_path: Path, specs: dict[str, Any]
) -> None:
    db = tmp_path / "old.sqlite3"
    with running_server(db, specs=specs):
        pass
    with sqlite3.connect(db) as conn:  # as a version before AES-GCM sealing left it
        conn.execute("PRAGMA user_version = 0")
    before = db.read_bytes()
    with pytest.raises(StorageError, match=r"older usersapi .*Move it and .*\.key aside"):
        ServerState.open(str(db))
    assert db.read_bytes() == before
