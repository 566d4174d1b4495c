"""Cloud Elements response bodies built from rows: the User and Role objects."""

from __future__ import annotations

import sqlite3
from typing import Any

from .ce_store import camel, role_keys

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

_OPTIONAL_COLUMNS = [
    "street1",
    "street2",
    "city",
    "state_province",
    "postal_code",
    "country",
    "phone",
    "oauth_provider",
    "oauth_id",
    "oauth_token",
    "last_login_date",
    "external_id",
]

# (column, JSON name) pairs, computed once: this runs for every user in every response.
_OPTIONAL_FIELDS = tuple((column, camel(column)) for column in _OPTIONAL_COLUMNS)


def role_view(key: str) -> dict[str, Any]:
    return dict(ROLES[key])


def user_view(row: sqlite3.Row, secret: str | None = None) -> dict[str, Any]:
    # sqlite3.Row looks a name up by comparing it with every column: one dict is much cheaper
    # than the twenty-odd lookups below (a list page builds fifty of these).
    row = dict(zip(row.keys(), row, strict=True))  # type: ignore[assignment]
    active = bool(row["active"])
    view: dict[str, Any] = {
        "id": row["id"],
        "createdDate": row["created_date"],
        "firstName": row["first_name"],
        "lastName": row["last_name"],
        "fullName": row["full_name"],
        "email": row["email"],
        "username": row["username"],
        "password": "secured",
        "active": active,
        "roles": [role_view(key) for key in role_keys(row) if key in ROLES],
    }
    for column, name in _OPTIONAL_FIELDS:
        value = row[column]
        if value is not None:
            view[name] = value
    if secret is not None:
        view["secret"] = secret
    # Deprecated flags the platform still returns; derived, never stored.
    view.update(
        accountExpired=False,
        accountLocked=False,
        credentialsExpired=False,
        emailValid=True,
        accountNonExpired=True,
        accountNonLocked=True,
        credentialsNonExpired=True,
        enabled=active,
    )
    return view
