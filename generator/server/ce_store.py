"""Cloud Elements storage: organizations -> accounts -> users, and role assignments."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from .sealing import SealBox, index_hash, new_secret
from .store import keep_defined, transaction

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
# What a User object always shows, in this order, before `active` and SHOWN_IF_SET.
ALWAYS_SHOWN = ("id", "created_date", "first_name", "last_name", "full_name", "email", "username")
# The columns a User object shows (ce_views renders it from them into user_views).
VIEW_COLUMNS = (*ALWAYS_SHOWN, "active", *SHOWN_IF_SET)
# A list page is one row: its users' rendered User objects (ce_views) joined into the page's
# JSON array by SQLite (why: generator/server/README.md). A subquery with ORDER BY feeds the
# aggregate in that order (SQLite does not flatten it into an aggregate query).
PAGE_SELECT = (
    "SELECT count(*), max(id), CAST('[' || coalesce(group_concat(view, ','), '') || ']' AS BLOB)"
    " FROM (SELECT id, view FROM users JOIN user_views ON user_id = id"
    " WHERE {where} ORDER BY id LIMIT ? OFFSET ?)"
)
# One user: the rendered object, and what the handlers decide by (access, names, the password
# and the secret for the owner).
USER_SELECT = (
    "SELECT id, view, org_id, account_id, active, first_name, last_name,"
    " password_hash, secret_hash, secret_sealed FROM users JOIN user_views ON user_id = id"
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


def _find_user_sql(by_id: bool, in_account: bool, include_inactive: bool) -> str:
    clauses = ["org_id = ?", "id = ?" if by_id else "email = ?"]
    if in_account:
        clauses.append("account_id = ?")
    if not include_inactive:
        clauses.append("active = 1")
    return USER_SELECT + " WHERE " + " AND ".join(clauses)


# Every variant written once: this runs for each request naming a user.
_FIND_USER_SQL = {flags: _find_user_sql(*flags) for flags in product((True, False), repeat=3)}


def find_user(
    conn: sqlite3.Connection,
    org_id: int,
    email_or_id: str | int,
    account_id: int | None = None,
    include_inactive: bool = True,
) -> sqlite3.Row | None:
    text = str(email_or_id)
    # isdigit() alone also accepts digits int() refuses (superscript '²'): ASCII digits only.
    by_id = text.isascii() and text.isdigit() and len(text) < 19
    params: list[Any] = [org_id, int(text) if by_id else text]
    if account_id is not None:
        params.append(account_id)
    sql = _FIND_USER_SQL[by_id, account_id is not None, include_inactive]
    return conn.execute(sql, params).fetchone()


@dataclass(frozen=True)
class Page:
    size: int  # how many users it holds
    last_id: int | None
    body: bytes  # the JSON array of their User objects


@dataclass(frozen=True)
class PageQuery:
    """Which users a list page holds: the SQL of the page and its parameters."""

    sql: str
    params: tuple[Any, ...]


def page_query(
    org_id: int,
    *,
    account_id: int | None,
    where: tuple[str, Sequence[Any]] | None,
    include_inactive: bool,
    after_id: int,
    offset: int,
    limit: int,
) -> PageQuery:
    """The page of users in id order after ``after_id``, as list_users runs it."""
    clauses, params = ["org_id = ?", "id > ?"], [org_id, after_id]
    if account_id is not None:
        clauses.append("account_id = ?")
        params.append(account_id)
    if not include_inactive:
        clauses.append("active = 1")
    if where is not None:
        clauses.append(f"({where[0]})")
        params.extend(where[1])
    return PageQuery(PAGE_SELECT.format(where=" AND ".join(clauses)), (*params, limit, offset))


def list_users(conn: sqlite3.Connection, query: PageQuery) -> Page:
    size, last_id, body = conn.execute(query.sql, query.params).fetchone()
    return Page(size, last_id, body)


def _list_indexes(where_columns: Iterable[str]) -> dict[str, str]:
    """Each index a list walks, by name: its CREATE statement as sqlite_schema keeps it.

    A page walks users in id order, within an organization (without an index of its own,
    SQLite picked the (org_id, email) one and sorted every user of the organization for each
    page) or an account; each column a `where` filter may name has an index per organization
    in id order, so a selective filter reads the users it returns, not all of them (a filter
    matching none of 100,000 users took 50 ms without it), with binary collation as the
    compiled filters compare text (ceql.py). Each index carries `active`, which a list filters
    on unless asked for inactive users too: the page is found without reading a user's row.
    """
    indexes = {
        "users_org": "CREATE INDEX users_org ON users(org_id, id, active)",
        "users_account": "CREATE INDEX users_account ON users(account_id, id, active, org_id)",
    }
    for column in where_columns:
        if column == "id":  # the table's own key
            continue
        carried = "" if column == "active" else ", active"
        indexes[f"users_where_{column}"] = (
            f"CREATE INDEX users_where_{column} ON users(org_id, {column} COLLATE BINARY, id"
            f"{carried})"
        )
    return indexes


def _is_list_index(name: str) -> bool:
    return name in ("users_org", "users_account") or name.startswith("users_where_")


def index_lists(conn: sqlite3.Connection, where_columns: Iterable[str]) -> None:
    """Create the indexes lists walk, and make again those defined otherwise (a database of an
    earlier version); drop the indexes of columns no longer filterable."""
    with transaction(conn):
        keep_defined(conn, "index", _list_indexes(where_columns), _is_list_index)


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


def role_keys(conn: sqlite3.Connection, user_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT role_key FROM user_roles WHERE user_id = ? ORDER BY role_key", (user_id,)
    ).fetchall()
    return [row[0] for row in rows]
