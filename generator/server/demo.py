"""Demo data (--demo) and the credentials to use it.

Secrets are random per database, generated when the demo data is first populated. They are
printed again at every start: the ids of the demo principals are recorded in
`demo_credentials`, their current secrets are unsealed from the live rows (so a renewed key
prints the new one), and the demo passwords are stored sealed there too (see sealing.py for why
sealed copies exist at all).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from . import ce_store, tyk_store
from .context import ServerState
from .passwords import hash_password

_FIRST = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Tim",
]
_LAST = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
]
_CITIES = ["Denver", "Boulder", "Austin", "Portland", "Chicago"]


def _remember(state: ServerState, name: str, value: Any = None, sealed: str | None = None) -> None:
    state.conn.execute(
        "INSERT INTO demo_credentials (name, value, sealed) VALUES (?, ?, ?)",
        (
            name,
            None if value is None else json.dumps(value),
            None if sealed is None else state.box.seal(sealed),
        ),
    )


def _person(i: int) -> dict[str, Any]:
    first, last = _FIRST[i % len(_FIRST)], _LAST[i % len(_LAST)]
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{first}.{last}.{i}@acme.example".lower(),
    }


def _populate_cloud_elements(state: ServerState, password_hash: str) -> None:
    conn, box = state.conn, state.box

    def add(org: int, account: int, person: dict[str, Any], roles: list[str], **extra: Any) -> int:
        columns = {"active": 1, **person, **extra}
        user_id, _ = ce_store.insert_user(
            conn,
            box,
            org_id=org,
            account_id=account,
            columns=columns,
            password_hash=password_hash,
            roles=roles,
        )
        return user_id

    org, _ = ce_store.create_org(conn, box, "Acme Data")
    default = ce_store.create_account(conn, org, "Acme Data", default=True)
    west = ce_store.create_account(conn, org, "Acme West", default=False)
    admin = add(
        org,
        default,
        {"first_name": "Jane", "last_name": "Smith", "email": "jane@acmedata.example"},
        ["default-user", "org-admin"],
    )
    west_admin = add(
        org,
        west,
        {"first_name": "Jon", "last_name": "Smith", "email": "jon@acmedata.example"},
        ["default-user", "admin"],
    )
    users = [
        add(
            org,
            west if i % 3 == 0 else default,
            _person(i),
            ["default-user"],
            active=0 if i % 10 == 9 else 1,
            city=_CITIES[i % len(_CITIES)],
            country="US",
        )
        for i in range(30)
    ]
    other, _ = ce_store.create_org(conn, box, "Globex")
    other_account = ce_store.create_account(conn, other, "Globex", default=True)
    other_admin = add(
        other,
        other_account,
        {"first_name": "Hank", "last_name": "Scorpio", "email": "hank@globex.example"},
        ["default-user", "org-admin"],
    )
    add(
        other,
        other_account,
        {"first_name": "Homer", "last_name": "Simpson", "email": "homer@globex.example"},
        ["default-user"],
    )
    _remember(
        state,
        "ce",
        {
            "org": org,
            "default_account": default,
            "second_account": west,
            "admin": admin,
            "account_admin": west_admin,
            "user": users[0],
            "other_org": other,
            "other_account": other_account,
            "other_admin": other_admin,
        },
    )


def _populate_tyk(state: ServerState, password_hash: str) -> None:
    conn, box = state.conn, state.box
    org = tyk_store.create_org(conn, "Acme Dashboard")

    def add(org_id: str, first: str, last: str, email: str, permissions: dict[str, str]) -> str:
        columns = {
            "first_name": first,
            "last_name": last,
            "email_address": email,
            "user_permissions": json.dumps(permissions),
        }
        return tyk_store.insert_user(conn, box, org_id, columns, password_hash)[0]

    admin = add(org, "John", "Smith", "john@jive.example", {"IsAdmin": "admin"})
    reader = add(org, "Rita", "Reader", "rita@jive.example", {"users": "read"})
    users = [
        add(org, p["first_name"], p["last_name"], p["email"].replace("acme", "jive"), {})
        for p in map(_person, range(12))
    ]
    other = tyk_store.create_org(conn, "Initech Dashboard")
    other_admin = add(other, "Bill", "Lumbergh", "bill@initech.example", {"IsAdmin": "admin"})
    _remember(
        state,
        "tyk",
        {
            "org": org,
            "admin": admin,
            "reader": reader,
            "user": users[0],
            "other_org": other,
            "other_admin": other_admin,
        },
    )


def populate(state: ServerState) -> bool:
    """Add the demo data unless the database already has it; True when it was added now."""
    if state.conn.execute("SELECT 1 FROM demo_credentials WHERE name = 'ce'").fetchone():
        return False
    password = secrets.token_urlsafe(12)
    password_hash = hash_password(password)  # one hash for all demo users keeps populating quick
    _populate_cloud_elements(state, password_hash)
    _populate_tyk(state, password_hash)
    _remember(state, "password", sealed=password)
    return True


def _ids(state: ServerState, name: str) -> dict[str, Any]:
    row = state.conn.execute(
        "SELECT value FROM demo_credentials WHERE name = ?", (name,)
    ).fetchone()
    return json.loads(row["value"]) if row else {}


def _ce_header(state: ServerState, user_id: int) -> str:
    row = state.conn.execute(
        "SELECT users.secret_sealed AS user_secret, organizations.secret_sealed AS org_secret"
        " FROM users JOIN organizations ON organizations.id = users.org_id WHERE users.id = ?",
        (user_id,),
    ).fetchone()
    if row is None:
        return ""
    user, org = state.box.unseal(row["user_secret"]), state.box.unseal(row["org_secret"])
    return f"User {user}, Organization {org}"


def _tyk_key(state: ServerState, user_id: str) -> str:
    row = state.conn.execute("SELECT key_sealed FROM tyk_users WHERE id = ?", (user_id,)).fetchone()
    return (state.box.unseal(row["key_sealed"]) or "") if row else ""


def credentials(state: ServerState, base_url: str) -> dict[str, Any]:
    """The demo credentials as the JSON document --credentials writes ({} without demo data)."""
    ce, tyk = _ids(state, "ce"), _ids(state, "tyk")
    if not ce:
        return {}
    row = state.conn.execute(
        "SELECT sealed FROM demo_credentials WHERE name = 'password'"
    ).fetchone()
    password = state.box.unseal(row["sealed"]) if row else None
    return {
        "cloud-elements": {
            "base_url": f"{base_url}/elements/api-v2",
            "Authorization": _ce_header(state, ce["admin"]),
            "org_id": ce["org"],
            "default_account_id": ce["default_account"],
            "second_account_id": ce["second_account"],
            "admin_user_id": ce["admin"],
            "user_id": ce["user"],
            "password": password,
            "account_admin": {
                "Authorization": _ce_header(state, ce["account_admin"]),
                "account_id": ce["second_account"],
                "user_id": ce["account_admin"],
            },
            "second_org": {
                "Authorization": _ce_header(state, ce["other_admin"]),
                "account_id": ce["other_account"],
                "user_id": ce["other_admin"],
            },
        },
        "tyk-dashboard": {
            "base_url": base_url,
            "Authorization": _tyk_key(state, tyk["admin"]),
            "org_id": tyk["org"],
            "admin_user_id": tyk["admin"],
            "user_id": tyk["user"],
            "password": password,
            "read_only": {
                "Authorization": _tyk_key(state, tyk["reader"]),
                "user_id": tyk["reader"],
            },
            "second_org": {
                "Authorization": _tyk_key(state, tyk["other_admin"]),
                "org_id": tyk["other_org"],
                "user_id": tyk["other_admin"],
            },
        },
    }
