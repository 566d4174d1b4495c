"""Tyk Dashboard Users API handlers. HANDLERS maps the contract's operationIds to them."""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from . import tyk_store
from .auth import TykPrincipal, authenticate_tyk
from .context import Call, ServerState
from .errors import ApiError, tyk_error
from .passwords import hash_password
from .responses import Json

render_error = tyk_error
EMAIL_TAKEN = "User email already exists for this org."
# The dashboard's own messages (Tyk Dashboard 5.x API reference, users paths).
USER_NOT_FOUND = "Could not retrieve user detail."
UPDATE_UNKNOWN_USER = "user does not exist."
NOT_DELETED = "Could not delete the user."
CURRENT_USER_NOT_FOUND = "Could not retrieve current user detail."


def authenticate(state: ServerState, request: Request, headers: dict[str, str]) -> TykPrincipal:
    return authenticate_tyk(state, request, headers)


def _status(message: str, meta: Any = None) -> Response:
    return Json({"Status": "OK", "Message": message, "Meta": meta})


def _may(call: Call, *, write: bool, own: bool = False) -> TykPrincipal:
    principal: TykPrincipal = call.principal
    allowed = principal.can_write if write else principal.can_read
    if not (allowed or (own and call.path.get("userId") == principal.user_id)):
        path = call.request.url.path
        raise ApiError(403, f"access denied: You do not have permission to access {path}")
    return principal


def _user(call: Call, status: int = 404, message: str = USER_NOT_FOUND) -> sqlite3.Row:
    user = tyk_store.get_user(call.state.conn, call.principal.org_id, call.path["userId"])
    if user is None:
        raise ApiError(status, message)
    return user


def _user_list(call: Call, email_part: str | None) -> Response:
    principal = _may(call, write=False)
    rows, pages = tyk_store.list_users(
        call.state.conn, principal.org_id, call.query.get("p"), email_part
    )
    users = [tyk_store.user_view(row, call.state.box) for row in rows]
    return Json({"users": users, "pages": pages})


async def list_users(call: Call) -> Response:
    return _user_list(call, None)


async def search_users_by_query(call: Call) -> Response:
    return _user_list(call, call.query["q"])


async def search_users(call: Call) -> Response:
    query = call.body["filters"].get("query")  # the contract requires filters, an object
    return _user_list(call, query)


async def create_user(call: Call) -> Response:
    principal = _may(call, write=True)
    body: dict[str, Any] = call.body
    # The dashboard gives new users a random password unless one is sent.
    password = body.get("password") or secrets.token_urlsafe(24)
    password_hash = await run_in_threadpool(hash_password, password)
    try:
        user_id, _ = tyk_store.insert_user(
            call.state.conn,
            call.state.box,
            principal.org_id,
            tyk_store.body_columns(body),
            password_hash,
        )
    except tyk_store.EmailTaken:
        raise ApiError(403, EMAIL_TAKEN) from None
    user = tyk_store.get_user(call.state.conn, principal.org_id, user_id)
    assert user is not None  # written above, on this same connection, with no await since
    return _status("User created", tyk_store.user_view(user, call.state.box))


async def get_user(call: Call) -> Response:
    _may(call, write=False, own=True)
    return Json(tyk_store.user_view(_user(call), call.state.box))


async def get_current_user(call: Call) -> Response:
    principal: TykPrincipal = call.principal
    user = tyk_store.get_user(call.state.conn, principal.org_id, principal.user_id)
    if user is None:
        raise ApiError(404, CURRENT_USER_NOT_FOUND)
    return Json(tyk_store.user_view(user, call.state.box))


async def update_user(call: Call) -> Response:
    _may(call, write=True)
    user = _user(call, 400, UPDATE_UNKNOWN_USER)
    try:
        tyk_store.update_user(call.state.conn, user["id"], tyk_store.body_columns(call.body))
    except tyk_store.EmailTaken:
        raise ApiError(403, EMAIL_TAKEN) from None
    call.state.forget_auth()
    return Json(tyk_store.user_view(_user(call), call.state.box))


async def delete_user(call: Call) -> Response:
    principal = _may(call, write=True)
    user = _user(call)
    if user["id"] == principal.user_id:
        raise ApiError(400, NOT_DELETED)  # deleting yourself would lock you out
    tyk_store.delete_user(call.state.conn, user["id"])
    call.state.forget_auth()
    return _status("User deleted")


async def revoke_user(call: Call) -> Response:
    _may(call, write=True)
    user = _user(call, 400)
    tyk_store.update_user(call.state.conn, user["id"], {"active": 0})
    call.state.forget_auth()
    return _status("User revoked")


async def reset_user_password(call: Call) -> Response:
    _may(call, write=True, own=True)
    # current_password is not checked: only callers who may manage users (or the user themself,
    # already authenticated by their key) reach this point.
    password_hash = await run_in_threadpool(hash_password, call.body["new_password"])
    user = _user(call)  # after the await, so a concurrent delete answers 404
    tyk_store.update_user(call.state.conn, user["id"], {"password_hash": password_hash})
    return _status("User password updated")


async def reset_user_access_key(call: Call) -> Response:
    _may(call, write=True, own=True)
    user = _user(call)
    tyk_store.renew_key(call.state.conn, call.state.box, user["id"])
    call.state.forget_auth()
    return _status("User session renewed")


HANDLERS = {
    "listUsers": list_users,
    "searchUsersByQuery": search_users_by_query,
    "searchUsers": search_users,
    "createUser": create_user,
    "getUser": get_user,
    "getCurrentUser": get_current_user,
    "updateUser": update_user,
    "deleteUser": delete_user,
    "revokeUser": revoke_user,
    "resetUserPassword": reset_user_password,
    "resetUserAccessKey": reset_user_access_key,
}
