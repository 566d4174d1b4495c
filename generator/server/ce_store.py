"""Cloud Elements storage: organizations -> accounts -> users, and role assignments."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from .sealing import SealBox, index_hash, new_secret
from .store import transaction

# The address and reference columns: writable, reset by a replace, shown only when set.
_CONTACT_COLUMNS = (
    "street1",
    "street2",
    "city",
    "state_province",
    "postal_code",
    "country",
    "phone",
    "external_id",
)
# What a User object shows only when the column holds a value, in the order shown.
SHOWN_IF_SET = (
    *_CONTACT_COLUMNS[:-1],
    "oauth_provider",
    "oauth_id",
    "oauth_token",
    "last_login_date",
    "external_id",
)
# What a User object shows, first in every select of users and in this order: the view reads
# them by position (a name lookup on sqlite3.Row compares it with every column's name).
VIEW_COLUMNS = (
    "id",
    "created_date",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "username",
    "active",
    *SHOWN_IF_SET,
)
_ROLE_KEYS = "(SELECT group_concat(role_key) FROM user_roles WHERE user_id = users.id) AS role_keys"
# Lists read only what they show: every column more is a Python object per row (a page of
# fifty users on a 100,000-user database spent most of its time converting them). Their roles
# come in one query for the page (_page_roles) instead of a subquery per row.
LIST_SELECT = f"SELECT {', '.join(VIEW_COLUMNS)} FROM users"
USER_SELECT = (
    f"SELECT {', '.join(VIEW_COLUMNS)}, {_ROLE_KEYS},"
    " org_id, account_id, password_hash, secret_hash, secret_sealed FROM users"
)
# Columns a request body may set (body keys are camelCase, validated by the contract first).
WRITABLE_COLUMNS = frozenset(["first_name", "last_name", "email", "active", *_CONTACT_COLUMNS])
RESETTABLE_ON_REPLACE = _CONTACT_COLUMNS
NO_PASSWORD = ""  # the stored hash of a user created without a password: no password matches it


class EmailTaken(Exception):
    pass


def camel(column: str) -> str:
    head, *rest = column.split("_")
    return head + "".join(part.title() for part in rest)


# Body field -> column. Any other body field is ignored: bodies are open, like the platform's.
COLUMN_OF_FIELD = {camel(column): column for column in WRITABLE_COLUMNS}


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def body_columns(body: dict[str, Any]) -> dict[str, Any]:
    columns = {COLUMN_OF_FIELD[k]: v for k, v in body.items() if k in COLUMN_OF_FIELD}
    if "active" in columns:
        columns["active"] = 1 if columns["active"] else 0
    return columns


def create_org(conn: sqlite3.Connection, box: SealBox, name: str) -> tuple[int, str]:
    secret = new_secret(16)
    cur = conn.execute(
        "INSERT INTO organizations (name, secret_hash, secret_sealed) VALUES (?, ?, ?)",
        (name, index_hash(secret), box.seal(secret)),
    )
    return int(cur.lastrowid or 0), secret


def create_account(conn: sqlite3.Connection, org_id: int, name: str, default: bool) -> int:
    cur = conn.execute(
        "INSERT INTO accounts (org_id, name, is_default) VALUES (?, ?, ?)",
        (org_id, name, int(default)),
    )
    return int(cur.lastrowid or 0)


def org_by_secret(conn: sqlite3.Connection, secret_hash: bytes) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT id, secret_hash FROM organizations WHERE secret_hash = ?", (secret_hash,)
    ).fetchone()


def user_by_secret(conn: sqlite3.Connection, secret_hash: bytes) -> sqlite3.Row | None:
    return conn.execute(USER_SELECT + " WHERE secret_hash = ?", (secret_hash,)).fetchone()


def account(conn: sqlite3.Connection, account_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()


def default_account_id(conn: sqlite3.Connection, org_id: int) -> int:
    row = conn.execute(
        "SELECT id FROM accounts WHERE org_id = ? AND is_default = 1 ORDER BY id LIMIT 1", (org_id,)
    ).fetchone()
    if row is None:
        raise LookupError(f"organization {org_id} has no default account")
    return int(row["id"])


def org_of_user(conn: sqlite3.Connection, user_id: int) -> int | None:
    """The organization of any user, whoever asks (role calls answer 403 across organizations)."""
    row = conn.execute("SELECT org_id FROM users WHERE id = ?", (user_id,)).fetchone()
    return None if row is None else int(row["org_id"])


def find_user(
    conn: sqlite3.Connection,
    org_id: int,
    email_or_id: str | int,
    account_id: int | None = None,
    include_inactive: bool = True,
) -> sqlite3.Row | None:
    clauses: list[str] = ["org_id = ?"]
    params: list[Any] = [org_id]
    text = str(email_or_id)
    # isdigit() alone also accepts digits int() refuses (superscript '²'): ASCII digits only.
    if text.isascii() and text.isdigit() and len(text) < 19:
        clauses.append("id = ?")
        params.append(int(text))
    else:
        clauses.append("email = ?")
        params.append(text)
    if account_id is not None:
        clauses.append("account_id = ?")
        params.append(account_id)
    if not include_inactive:
        clauses.append("active = 1")
    return conn.execute(USER_SELECT + " WHERE " + " AND ".join(clauses), params).fetchone()


def list_users(
    conn: sqlite3.Connection,
    org_id: int,
    *,
    account_id: int | None,
    where: tuple[str, Sequence[Any]] | None,
    include_inactive: bool,
    after_id: int,
    offset: int,
    limit: int,
) -> list[tuple[Any, ...]]:
    """A page of users: each the values of VIEW_COLUMNS, then its role keys (as USER_SELECT's
    ``role_keys``)."""
    clauses, params = ["org_id = ?", "id > ?"], [org_id, after_id]
    if account_id is not None:
        clauses.append("account_id = ?")
        params.append(account_id)
    if not include_inactive:
        clauses.append("active = 1")
    if where is not None:
        clauses.append(f"({where[0]})")
        params.extend(where[1])
    sql = LIST_SELECT + " WHERE " + " AND ".join(clauses) + " ORDER BY id LIMIT ? OFFSET ?"
    rows = _tuples(conn).execute(sql, [*params, limit, offset]).fetchall()
    roles = _page_roles(conn, [row[0] for row in rows])
    return [(*row, roles.get(row[0])) for row in rows]


def _tuples(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor giving plain tuples: a page's rows are read by position, and making each an
    ``sqlite3.Row`` first was a tenth of a list's time."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor


def _page_roles(conn: sqlite3.Connection, user_ids: list[int]) -> dict[int, str]:
    """The role keys of each of a page's users, comma-separated, as ``role_keys`` holds them."""
    if not user_ids:
        return {}
    marks = ",".join("?" * len(user_ids))
    sql = (
        "SELECT user_id, group_concat(role_key) FROM user_roles"
        f" WHERE user_id IN ({marks}) GROUP BY user_id"
    )
    return dict(_tuples(conn).execute(sql, user_ids).fetchall())


def insert_user(
    conn: sqlite3.Connection,
    box: SealBox,
    *,
    org_id: int,
    account_id: int,
    columns: dict[str, Any],
    password_hash: str,
    roles: Iterable[str],
) -> tuple[int, str]:
    secret = new_secret()
    created = today()
    row = {
        **columns,
        "org_id": org_id,
        "account_id": account_id,
        "created_date": created,
        "last_login_date": created,
        "username": columns["email"],
        "full_name": f"{columns['first_name']} {columns['last_name']}",
        "password_hash": password_hash,
        "secret_hash": index_hash(secret),
        "secret_sealed": box.seal(secret),
    }
    names = ", ".join(row)
    marks = ", ".join("?" * len(row))
    with transaction(conn):
        try:
            cur = conn.execute(f"INSERT INTO users ({names}) VALUES ({marks})", list(row.values()))
        except sqlite3.IntegrityError as exc:
            raise EmailTaken(columns["email"]) from exc
        user_id = int(cur.lastrowid or 0)
        _set_roles(conn, user_id, roles)
    return user_id, secret


def update_user(
    conn: sqlite3.Connection,
    user: sqlite3.Row,
    columns: dict[str, Any],
    *,
    password_hash: str | None = None,
    roles: Iterable[str] | None = None,
) -> None:
    changes = dict(columns)
    if "email" in changes:
        changes["username"] = changes["email"]
    if "first_name" in changes or "last_name" in changes:
        first = changes.get("first_name", user["first_name"])
        last = changes.get("last_name", user["last_name"])
        changes["full_name"] = f"{first} {last}"
    if password_hash is not None:
        changes["password_hash"] = password_hash
    with transaction(conn):
        if changes:
            assignments = ", ".join(f"{name} = ?" for name in changes)
            try:
                conn.execute(
                    f"UPDATE users SET {assignments} WHERE id = ?", [*changes.values(), user["id"]]
                )
            except sqlite3.IntegrityError as exc:
                raise EmailTaken(changes.get("email", "")) from exc
        if roles is not None:
            _set_roles(conn, user["id"], roles)


def delete_user(conn: sqlite3.Connection, user_id: int) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM users WHERE id = ?", (user_id,))


def _set_roles(conn: sqlite3.Connection, user_id: int, roles: Iterable[str]) -> None:
    conn.execute("DELETE FROM user_roles WHERE user_id = ?", (user_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO user_roles (user_id, role_key) VALUES (?, ?)",
        [(user_id, key) for key in roles],
    )


def add_role(conn: sqlite3.Connection, user_id: int, role_key: str) -> bool:
    """Whether the role was added (False: the user already had it)."""
    with transaction(conn):
        cur = conn.execute(
            "INSERT OR IGNORE INTO user_roles (user_id, role_key) VALUES (?, ?)",
            (user_id, role_key),
        )
    return cur.rowcount > 0


def remove_role(conn: sqlite3.Connection, user_id: int, role_key: str) -> bool:
    with transaction(conn):
        cur = conn.execute(
            "DELETE FROM user_roles WHERE user_id = ? AND role_key = ?", (user_id, role_key)
        )
    return cur.rowcount > 0


def role_keys(user: sqlite3.Row) -> list[str]:
    return sorted(user["role_keys"].split(",")) if user["role_keys"] else []
