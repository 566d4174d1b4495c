"""Cloud Elements response bodies built from rows: the User and Role objects."""

from __future__ import annotations

import sqlite3
from typing import Any

from .ce_store import SHOWN_IF_SET, VIEW_COLUMNS, camel

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

# Where each column is in a row of ce_store's user selects: VIEW_COLUMNS, then role_keys.
_AT = {column: index for index, column in enumerate((*VIEW_COLUMNS, "role_keys"))}
# (position, JSON name) pairs, computed once: this runs for every user in every response.
_OPTIONAL_FIELDS = tuple((_AT[column], camel(column)) for column in SHOWN_IF_SET)
# VIEW_COLUMNS starts with id, created_date, first_name, last_name, full_name, email,
# username, active: in that order.
_ID, _CREATED, _FIRST, _LAST, _FULL, _EMAIL, _USERNAME, _ACTIVE = range(8)
_ROLES = _AT["role_keys"]
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


def role_view(key: str) -> dict[str, Any]:
    return dict(ROLES[key])


def user_view(row: sqlite3.Row | tuple[Any, ...], secret: str | None = None) -> dict[str, Any]:
    """The User object of a row of ce_store's USER_SELECT or of ``list_users``."""
    values = tuple(row)
    active = bool(values[_ACTIVE])
    roles = values[_ROLES]
    view: dict[str, Any] = {
        "id": values[_ID],
        "createdDate": values[_CREATED],
        "firstName": values[_FIRST],
        "lastName": values[_LAST],
        "fullName": values[_FULL],
        "email": values[_EMAIL],
        "username": values[_USERNAME],
        "password": "secured",
        "active": active,
        "roles": [role_view(key) for key in sorted(roles.split(",")) if key in ROLES]
        if roles
        else [],
    }
    for index, name in _OPTIONAL_FIELDS:
        value = values[index]
        if value is not None:
            view[name] = value
    if secret is not None:
        view["secret"] = secret
    view.update(_FIXED_FLAGS)
    view["enabled"] = active
    return view
