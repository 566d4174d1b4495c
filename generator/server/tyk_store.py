"""Tyk Dashboard storage: organisations -> users (24-hex ids, access keys sealed + indexed)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import time
from typing import Any

from .sealing import SealBox, index_hash
from .store import transaction

PAGE_SIZE = 10  # Tyk's fixed page length for ?p=N
_PLAIN_COLUMNS = frozenset({"first_name", "last_name", "email_address", "active"})
_JSON_COLUMNS = frozenset({"api_model", "user_permissions"})


class EmailTaken(Exception):
    pass


def object_id() -> str:
    """A MongoDB-style id like the dashboard's: 4 bytes of time, 8 random bytes, in hex."""
    return int(time.time()).to_bytes(4, "big").hex() + secrets.token_hex(8)


def new_access_key() -> str:
    return secrets.token_hex(16)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def body_columns(body: dict[str, Any]) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for key, value in body.items():
        if key in _PLAIN_COLUMNS:
            columns[key] = int(value) if key == "active" else value
        elif key in _JSON_COLUMNS:
            columns[key] = json.dumps(value)
    return columns


def create_org(conn: sqlite3.Connection, name: str) -> str:
    org_id = object_id()
    conn.execute("INSERT INTO tyk_orgs (id, name) VALUES (?, ?)", (org_id, name))
    return org_id


def insert_user(
    conn: sqlite3.Connection, box: SealBox, org_id: str, columns: dict[str, Any], password_hash: str
) -> tuple[str, str]:
    user_id, key = object_id(), new_access_key()
    row = {
        "active": 1,
        **columns,
        "id": user_id,
        "org_id": org_id,
        "password_hash": password_hash,
        "key_hash": index_hash(key),
        "key_sealed": box.seal(key),
        "created_at": now(),
    }
    names, marks = ", ".join(row), ", ".join("?" * len(row))
    with transaction(conn):
        try:
            conn.execute(f"INSERT INTO tyk_users ({names}) VALUES ({marks})", list(row.values()))
        except sqlite3.IntegrityError as exc:
            raise EmailTaken(columns.get("email_address")) from exc
    return user_id, key


def get_user(conn: sqlite3.Connection, org_id: str, user_id: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM tyk_users WHERE id = ? AND org_id = ?", (user_id, org_id)
    ).fetchone()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_users(
    conn: sqlite3.Connection, org_id: str, page: int | None, email_part: str | None = None
) -> tuple[list[sqlite3.Row], int]:
    """(users, pages): one page of PAGE_SIZE for page >= 1, else everyone and pages 0.

    With email_part, only users whose email contains it (ignoring ASCII case, like the index).
    """
    where, args = "org_id = ?", [org_id]
    if email_part and "\x00" in email_part:
        where += " AND 0"  # LIKE would stop at the NUL; no stored address holds one
    elif email_part:
        where += " AND email_address LIKE ? ESCAPE '\\'"
        args.append(f"%{_escape_like(email_part)}%")
    if page is None or page < 1:
        rows = conn.execute(f"SELECT * FROM tyk_users WHERE {where} ORDER BY seq", args)
        return rows.fetchall(), 0
    total = conn.execute(f"SELECT count(*) FROM tyk_users WHERE {where}", args).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM tyk_users WHERE {where} ORDER BY seq LIMIT ? OFFSET ?",
        [*args, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )
    return rows.fetchall(), -(-total // PAGE_SIZE)


def update_user(conn: sqlite3.Connection, user_id: str, changes: dict[str, Any]) -> None:
    if not changes:
        return
    assignments = ", ".join(f"{name} = ?" for name in changes)
    with transaction(conn):
        try:
            conn.execute(
                f"UPDATE tyk_users SET {assignments} WHERE id = ?", [*changes.values(), user_id]
            )
        except sqlite3.IntegrityError as exc:
            raise EmailTaken(changes.get("email_address")) from exc


def renew_key(conn: sqlite3.Connection, box: SealBox, user_id: str) -> str:
    key = new_access_key()
    update_user(conn, user_id, {"key_hash": index_hash(key), "key_sealed": box.seal(key)})
    return key


def delete_user(conn: sqlite3.Connection, user_id: str) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM tyk_users WHERE id = ?", (user_id,))


def user_view(row: sqlite3.Row, box: SealBox) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": row["id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "email_address": row["email_address"],
        "org_id": row["org_id"],
        "active": bool(row["active"]),
        "access_key": box.unseal(row["key_sealed"]) or "",
        "api_model": json.loads(row["api_model"]),
        "user_permissions": json.loads(row["user_permissions"]),
        "created_at": row["created_at"],
    }
    if row["last_login_date"]:
        view["last_login_date"] = row["last_login_date"]
    return view
