"""Cloud Elements response bodies: the Role objects, and the User object kept for each user.

A User object is rendered when its row or its roles change, not when it is read: SQLite
triggers write it as JSON into ``user_views`` and answers send those bytes as they are (why:
generator/server/README.md). The trigger SQL is generated here from the same column lists as
the table's (``ce_store``), so a User has one definition, right whoever writes the row.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import orjson

from .ce_store import ALWAYS_SHOWN, SHOWN_IF_SET, VIEW_COLUMNS, camel
from .store import keep_defined, transaction

# The platform's fixed role catalogue (keys from the contract's roleKey enum).
ROLES: dict[str, dict[str, Any]] = {
    "default-user": {"id": 1, "name": "Default User", "description": "A user of an account."},
    "admin": {"id": 2, "name": "Account Administrator", "description": "Administers one account."},
    "org-admin": {
        "id": 3,
        "name": "Organization Administrator",
        "description": "Administers the organization and all its accounts.",
    },
    "org": {"id": 4, "name": "Organization", "description": "The organization's own user."},
}
for _key, _role in ROLES.items():
    _role.update({"key": _key, "active": True, "features": [], "privileges": [], "hide": False})

# Deprecated flags the platform still returns; derived, never stored ("enabled" is "active").
_FIXED_FLAGS = {
    "accountExpired": False,
    "accountLocked": False,
    "credentialsExpired": False,
    "emailValid": True,
    "accountNonExpired": True,
    "accountNonLocked": True,
    "credentialsNonExpired": True,
}
TRIGGER_PREFIX = "ce_user_view_"


def role_view(key: str) -> dict[str, Any]:
    return dict(ROLES[key])


def with_secret(view: bytes, secret: str) -> dict[str, Any]:
    """The User object of a user's ``view`` with the user's secret, for its owner only."""
    return {**orjson.loads(view), "secret": secret}


def _text(value: str) -> str:
    """An SQL string literal (the values are this module's constants, quoted all the same)."""
    return "'" + value.replace("'", "''") + "'"


def _boolean(column: str) -> str:
    return f"json(CASE WHEN {column} THEN 'true' ELSE 'false' END)"


def _roles() -> str:
    """The user's roles as a JSON array of Role objects, sorted by key; a key outside the
    catalogue is left out. One test per catalogue key, in key order, so the order is the SQL's
    own and not an aggregate's."""
    pieces = [
        f"CASE WHEN EXISTS (SELECT 1 FROM user_roles WHERE user_id = users.id AND role_key ="
        f" {_text(key)}) THEN {_text(',' + orjson.dumps(ROLES[key]).decode())} ELSE '' END"
        for key in sorted(ROLES)
    ]
    return "json('[' || substr(" + " || ".join(pieces) + ", 2) || ']')"


def view_sql() -> str:
    """The User object of the users row being written, as an SQL expression (JSON text).

    json_patch adds the keys of its patch after the object's own, in order, and leaves out a
    key whose value is NULL: the optional fields appear only when set, then the fixed flags.
    """
    always = ", ".join(f"{_text(camel(column))}, {column}" for column in ALWAYS_SHOWN)
    base = (
        f"json_object({always}, 'password', 'secured', 'active', {_boolean('active')},"
        f" 'roles', {_roles()})"
    )
    optional = ", ".join(f"{_text(camel(column))}, {column}" for column in SHOWN_IF_SET)
    flags = f"json({_text(orjson.dumps(_FIXED_FLAGS).decode())})"
    tail = f"json_patch({flags}, json_object('enabled', {_boolean('active')}))"
    # Kept as UTF-8 bytes (BLOB): read back without decoding, sent as they are.
    return f"CAST(json_patch(json_patch({base}, json_object({optional})), {tail}) AS BLOB)"


# Renders the users chosen by a WHERE clause into user_views (none of them may have one yet).
_RENDER = f"INSERT INTO user_views (user_id, view) SELECT id, {view_sql()} FROM users"


def _render_again(user: str) -> str:
    """Trigger statements rendering one user again. Delete, then insert: an INSERT OR REPLACE
    in a trigger takes the conflict policy of the statement that fired it, and under the
    INSERT OR IGNORE that grants a role it would keep the old object."""
    return f"DELETE FROM user_views WHERE user_id = {user}; {_RENDER} WHERE id = {user};"


def _triggers() -> dict[str, str]:
    """Each trigger's CREATE statement as SQLite keeps it in sqlite_schema (compared as text)."""
    shown = ", ".join(VIEW_COLUMNS)
    events = {
        "insert": f"AFTER INSERT ON users BEGIN {_render_again('NEW.id')} END",
        "update": f"AFTER UPDATE OF {shown} ON users BEGIN {_render_again('NEW.id')} END",
        "delete": "AFTER DELETE ON users BEGIN DELETE FROM user_views WHERE user_id = OLD.id; END",
        "role_added": f"AFTER INSERT ON user_roles BEGIN {_render_again('NEW.user_id')} END",
        "role_removed": f"AFTER DELETE ON user_roles BEGIN {_render_again('OLD.user_id')} END",
        "role_changed": (
            "AFTER UPDATE ON user_roles BEGIN"
            f" {_render_again('OLD.user_id')} {_render_again('NEW.user_id')} END"
        ),
    }
    return {
        TRIGGER_PREFIX + event: f"CREATE TRIGGER {TRIGGER_PREFIX}{event} {body}"
        for event, body in events.items()
    }


def _is_view_trigger(name: str) -> bool:
    return name.startswith(TRIGGER_PREFIX)


def install(conn: sqlite3.Connection) -> bool:
    """Create the triggers, and render every user again when they are new or were defined
    otherwise (a database of an earlier version); whether all were rendered. A user without a
    rendered object (rows copied in while the triggers were away) is rendered in any case:
    answers read users joined with their objects, and must miss nobody."""
    with transaction(conn):
        remade = keep_defined(conn, "trigger", _triggers(), _is_view_trigger)
        if remade:
            conn.execute("DELETE FROM user_views")
            conn.execute(_RENDER)
        else:
            conn.execute(f"{_RENDER} WHERE id NOT IN (SELECT user_id FROM user_views)")
    return remade
