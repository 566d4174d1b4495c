"""SQLite storage: one connection, WAL, schema, transactions. Parameterised SQL only.

All database work runs on the event-loop thread (statements take microseconds), so writes are
serialised without lock contention and a read-check-write in one handler cannot interleave with
another request; slow work (scrypt) runs in a thread *before* the transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    secret_hash BLOB NOT NULL UNIQUE,
    secret_sealed BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    created_date TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    username TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    last_login_date TEXT,
    street1 TEXT, street2 TEXT, city TEXT, state_province TEXT,
    postal_code TEXT, country TEXT, phone TEXT,
    oauth_provider TEXT, oauth_id TEXT, oauth_token TEXT,
    external_id TEXT,
    password_hash TEXT NOT NULL,
    secret_hash BLOB NOT NULL UNIQUE,
    secret_sealed BLOB NOT NULL,
    UNIQUE (org_id, email)
);
-- The indexes lists walk are kept by ce_store.index_lists (they follow the contract's `where`
-- fields).
-- Each user's User object as JSON, written by triggers (ce_views.py), read by the answers.
CREATE TABLE IF NOT EXISTS user_views (
    user_id INTEGER PRIMARY KEY,
    view BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_key TEXT NOT NULL,
    PRIMARY KEY (user_id, role_key)
);
CREATE TABLE IF NOT EXISTS tyk_orgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tyk_users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL REFERENCES tyk_orgs(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email_address TEXT NOT NULL COLLATE NOCASE,
    active INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT NOT NULL,
    key_hash BLOB NOT NULL UNIQUE,
    key_sealed BLOB NOT NULL,
    api_model TEXT NOT NULL DEFAULT '{}',
    user_permissions TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    last_login_date TEXT,
    UNIQUE (org_id, email_address)
);
CREATE INDEX IF NOT EXISTS tyk_users_org ON tyk_users(org_id, seq);
-- Which rows are the demo principals, so their (sealed) credentials can be printed at each start.
-- Demo passwords are kept sealed (see sealing.py); secrets are read from the live user rows.
CREATE TABLE IF NOT EXISTS demo_credentials (
    name TEXT PRIMARY KEY,
    value TEXT,
    sealed BLOB
);
"""


def connect(db_path: str) -> sqlite3.Connection:
    if db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves; check_same_thread=False because the
    # connection is created before uvicorn's loop thread starts (it is still used by one thread).
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    if db_path != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(SCHEMA)
    _check_storage_format(conn, db_path)
    _add_missing_columns(conn)
    return conn


# PRAGMA user_version of a database this version writes. 0 is a database written before the
# sealed secrets moved to AES-GCM (an HMAC stream cipher of our own): its sealed columns cannot be
# read with the new cipher, and reading them as if they could would silently lose secrets.
STORAGE_FORMAT = 2
_SEALED_TABLES = ("organizations", "users", "tyk_users", "demo_credentials")


class StorageFormatError(Exception):
    """The database was written in a format this version cannot read."""


def _check_storage_format(conn: sqlite3.Connection, db_path: str) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == STORAGE_FORMAT:
        return
    holds_data = any(
        conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in _SEALED_TABLES
    )
    if version == 0 and not holds_data:
        conn.execute(f"PRAGMA user_version = {STORAGE_FORMAT}")
        return
    conn.close()
    raise StorageFormatError(
        f"{db_path} was written by an older usersapi (storage format {version}, this version "
        f"reads {STORAGE_FORMAT}: secrets are now sealed with AES-GCM); it was left untouched. "
        f"Move it and {db_path}.key aside to start with a fresh database."
    )


# Columns added after a release: a database made by an earlier version gets them on open.
_ADDED_COLUMNS = {"users": {"external_id": "TEXT"}}


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    for table, columns in _ADDED_COLUMNS.items():
        present = {row["name"] for row in conn.execute(f"PRAGMA table_info({table})")}
        for name, kind in columns.items():
            if name not in present:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def keep_defined(
    conn: sqlite3.Connection, kind: str, wanted: Mapping[str, str], owned: Callable[[str], bool]
) -> bool:
    """Make the schema objects of ``kind`` ("index", "trigger") whose names ``owned`` claims
    exactly ``wanted`` (name -> its CREATE statement as sqlite_schema keeps it): create the
    missing ones, make again those defined otherwise (a database of an earlier version), drop
    the rest. Whether anything changed. Run it inside a transaction."""
    rows = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = ?", (kind,)).fetchall()
    present = {name: sql for name, sql in rows if owned(name)}
    for name, sql in present.items():
        if wanted.get(name) != sql:
            conn.execute(f"DROP {kind.upper()} {name}")
    for name, sql in wanted.items():
        if present.get(name) != sql:
            conn.execute(sql)
    return present != dict(wanted)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
