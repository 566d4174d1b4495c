"""Cloud Elements Users API handlers (organization, account and role operations).

Routes come from the contract: HANDLERS maps each operationId to its handler.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from generator.ceql import CeqlError, fields_of
from generator.openapi.where_fields import where_fields

from . import ce_store, ce_views, ceql
from .auth import ElementsPrincipal, authenticate_elements
from .ce_views import role_view, with_secret
from .context import Call, ServerState
from .errors import ApiError, cloud_elements_error
from .paging import BadPageToken
from .passwords import hash_password, verify_password
from .responses import Json, JsonText

PREFIX = "/elements/api-v2"
render_error = cloud_elements_error
ORG_ROLES = frozenset({"org-admin", "org"})  # only organization admins may grant these
UNGRANTABLE_ROLES = frozenset({"sys-admin"})  # the platform's own staff: no organization grants it


def authenticate(
    state: ServerState, request: Request, headers: dict[str, str]
) -> ElementsPrincipal:
    return authenticate_elements(state, headers)  # the request's cookies play no part


def _org_admin(call: Call) -> ElementsPrincipal:
    principal: ElementsPrincipal = call.principal
    if principal.org_admin:
        return principal
    if principal.account_admin:  # an administrator, but of one account only
        raise ApiError(403, "Only organization administrators may use organization-level users")
    raise ApiError(401, "Only administrators may manage users")


def _account_admin(call: Call) -> tuple[ElementsPrincipal, int]:
    """The caller and the account id of the path, if the caller administers that account."""
    principal: ElementsPrincipal = call.principal
    account_id = call.path["id"]
    account = ce_store.account(call.state.conn, account_id)
    if account is None or account["org_id"] != principal.org_id:
        raise ApiError(404, f"Account {account_id} not found")
    if principal.org_admin:
        return principal, account_id
    if not principal.account_admin:
        raise ApiError(401, "Only organization or account administrators may manage users")
    if principal.account_id != account_id:
        raise ApiError(403, f"You do not administer account {account_id}")
    return principal, account_id


def _user(
    call: Call, key: str, account_id: int | None = None, *, visible: bool = True
) -> sqlite3.Row:
    include_inactive = not visible or bool(call.query.get("includeInactive", False))
    user = ce_store.find_user(
        call.state.conn, call.principal.org_id, call.path[key], account_id, include_inactive
    )
    if user is None:
        raise ApiError(404, f"User {call.path[key]} not found")
    return user


def _role_keys(call: Call, refs: list[dict[str, Any]] | None) -> list[str] | None:
    if refs is None:
        return None
    keys = sorted({ref["key"] for ref in refs})
    if UNGRANTABLE_ROLES.intersection(keys):
        raise ApiError(403, "You may not grant the role sys-admin")
    if ORG_ROLES.intersection(keys) and not call.principal.org_admin:
        raise ApiError(403, "Only organization administrators may grant organization roles")
    return keys


async def _password_hash(body: dict[str, Any]) -> str | None:
    password = body.get("password")
    return None if password is None else await run_in_threadpool(hash_password, password)


def _json(value: Any, headers: dict[str, str] | None = None) -> Response:
    return Json(value, headers=headers)


def _user_answer(view: bytes, secret: str | None = None) -> Response:
    """A User object as stored (ce_views), with the secret only when its owner is answered."""
    return JsonText(view) if secret is None else _json(with_secret(view, secret))


def prepare(spec: dict[str, Any], state: ServerState) -> None:
    """The `where` compiler and the indexes it uses, on the fields the contract marks; the
    triggers that keep each user's rendered object."""
    state.user_where = ceql.UserWhere(fields_of(where_fields(spec)))
    ce_store.index_lists(state.conn, state.user_where.columns())
    ce_views.install(state.conn)


async def _list(call: Call, account_id: int | None) -> Response:
    state, query = call.state, call.query
    where_text = query.get("where")
    where = None
    if where_text:
        try:
            where = state.user_where.sql(where_text)
        except CeqlError as exc:
            position = getattr(exc, "position", None)
            message = getattr(exc, "message", str(exc))
            raise ApiError(400, f"Invalid where at position {position}: {message}") from None
    include_inactive = bool(query.get("includeInactive", False))
    page_size = int(query["pageSize"])  # binding applied the contract's default when absent
    query_hash = state.tokens.query_hash(
        call.principal.org_id, account_id, where_text, include_inactive
    )
    after_id, offset = 0, int(query.get("offset", 0))
    if query.get("nextPage"):
        if "offset" in query and "offset" in call.sent_query:  # declared, and sent
            raise ApiError(400, "Send either offset or nextPage, not both")
        try:
            after_id = state.tokens.read(query["nextPage"], query_hash)
        except BadPageToken as exc:
            raise ApiError(400, str(exc)) from None
    page_query = ce_store.page_query(
        call.principal.org_id,
        account_id=account_id,
        where=where,
        include_inactive=include_inactive,
        after_id=after_id,
        offset=offset,
        limit=page_size,
    )
    page = ce_store.list_users(state.conn, page_query)
    headers = {"Elements-Returned-Count": str(page.size)}
    if page.size == page_size and page.last_id is not None:
        headers["Elements-Next-Page-Token"] = state.tokens.issue(page.last_id, query_hash)
    return JsonText(page.body, headers=headers)


async def _get(call: Call, key: str, account_id: int | None) -> Response:
    user = _user(call, key, account_id)
    secret = None
    password = call.headers.get("Elements-User-Password")
    if password and await run_in_threadpool(verify_password, password, user["password_hash"]):
        secret = call.state.box.unseal(user["secret_sealed"])
    return _user_answer(user["view"], secret)


async def _update(call: Call, key: str, account_id: int | None, *, replace: bool) -> Response:
    body: dict[str, Any] = call.body
    roles = _role_keys(call, body.get("roles"))
    if replace and roles is None:
        roles = ["default-user"]
    password_hash = await _password_hash(body)
    user = _user(call, key, account_id, visible=False)  # after the await: the row is current
    columns = ce_store.body_columns(body)
    if replace:
        columns = {c: None for c in ce_store.RESETTABLE_ON_REPLACE} | {"active": 1} | columns
    try:
        ce_store.update_user(
            call.state.conn, user, columns, password_hash=password_hash, roles=roles
        )
    except ce_store.EmailTaken:
        raise ApiError(409, f"A user with email {body.get('email')} already exists") from None
    call.state.forget_auth()
    return _user_answer(_reload(call, user["id"])["view"])


def _reload(call: Call, user_id: int) -> sqlite3.Row:
    user = ce_store.find_user(call.state.conn, call.principal.org_id, user_id)
    if user is None:  # deleted by a concurrent request after our update
        raise ApiError(404, f"User {user_id} not found")
    return user


async def _delete(call: Call, key: str, account_id: int | None) -> Response:
    user = _user(call, key, account_id, visible=False)
    if user["id"] == call.principal.user_id:
        raise ApiError(403, "You cannot delete your own user")
    ce_store.delete_user(call.state.conn, user["id"])
    call.state.forget_auth()
    return Response(status_code=200)


async def list_users(call: Call) -> Response:
    _org_admin(call)
    return await _list(call, None)


async def get_user(call: Call) -> Response:
    _org_admin(call)
    return await _get(call, "emailOrId", None)


async def update_user(call: Call) -> Response:
    _org_admin(call)
    return await _update(call, "emailOrId", None, replace=False)


async def delete_user(call: Call) -> Response:
    _org_admin(call)
    return await _delete(call, "emailOrId", None)


def _role_target(call: Call, *, changing: bool) -> sqlite3.Row:
    """The user of a role call: 404 if nobody, 403 outside the organization or for oneself."""
    principal = _org_admin(call)
    user_id = call.path["userId"]
    user = ce_store.find_user(call.state.conn, principal.org_id, user_id)
    if user is None:
        if ce_store.org_of_user(call.state.conn, user_id) is not None:
            raise ApiError(403, f"User {user_id} is not a user of your organization")
        raise ApiError(404, f"User {user_id} not found")
    if changing and user["id"] == principal.user_id:
        raise ApiError(403, "You cannot change your own roles")
    return user


async def list_user_roles(call: Call) -> Response:
    user = _role_target(call, changing=False)
    return _json([role_view(key) for key in ce_store.role_keys(call.state.conn, user["id"])])


async def assign_user_role(call: Call) -> Response:
    key = call.path["roleKey"]
    _org_admin(call)
    if key in UNGRANTABLE_ROLES:
        raise ApiError(403, f"You may not grant the role {key}")
    user = _role_target(call, changing=True)
    if not ce_store.add_role(call.state.conn, user["id"], key):
        raise ApiError(409, f"User {user['id']} already has the role {key}")
    call.state.forget_auth()
    return _json(role_view(key))


async def remove_user_role(call: Call) -> Response:
    user = _role_target(call, changing=True)
    ce_store.remove_role(call.state.conn, user["id"], call.path["roleKey"])  # idempotent
    call.state.forget_auth()
    return Response(status_code=200)


def _default_account(call: Call) -> int:
    principal = _org_admin(call)
    return ce_store.default_account_id(call.state.conn, principal.org_id)


async def list_organization_users(call: Call) -> Response:
    return await _list(call, _default_account(call))


async def create_organization_user(call: Call) -> Response:
    return await _create(call, _default_account(call))


async def get_organization_user(call: Call) -> Response:
    return await _get(call, "emailOrId", _default_account(call))


async def update_organization_user(call: Call) -> Response:
    return await _update(call, "emailOrId", _default_account(call), replace=False)


async def delete_organization_user(call: Call) -> Response:
    return await _delete(call, "emailOrId", _default_account(call))


async def list_account_users(call: Call) -> Response:
    _, account_id = _account_admin(call)
    return await _list(call, account_id)


async def create_account_user(call: Call) -> Response:
    _, account_id = _account_admin(call)
    return await _create(call, account_id)


async def _create(call: Call, account_id: int) -> Response:
    body: dict[str, Any] = call.body
    roles = _role_keys(call, body.get("roles")) or ["default-user"]
    password_hash = await _password_hash(body) or ce_store.NO_PASSWORD
    columns = {"active": 1} | ce_store.body_columns(body)
    try:
        user_id, secret = ce_store.insert_user(
            call.state.conn,
            call.state.box,
            org_id=call.principal.org_id,
            account_id=account_id,
            columns=columns,
            password_hash=password_hash,
            roles=roles,
        )
    except ce_store.EmailTaken:
        raise ApiError(409, f"A user with email {body['email']} already exists") from None
    return _user_answer(_reload(call, user_id)["view"], secret)


async def get_account_user(call: Call) -> Response:
    _, account_id = _account_admin(call)
    return await _get(call, "emailOrId", account_id)


async def update_account_user(call: Call) -> Response:
    _, account_id = _account_admin(call)
    return await _update(call, "emailOrId", account_id, replace=False)


async def replace_account_user(call: Call) -> Response:
    _, account_id = _account_admin(call)
    return await _update(call, "emailOrId", account_id, replace=True)


async def delete_account_user(call: Call) -> Response:
    _, account_id = _account_admin(call)
    return await _delete(call, "emailOrId", account_id)


HANDLERS = {
    "listUsers": list_users,
    "getUser": get_user,
    "updateUser": update_user,
    "deleteUser": delete_user,
    "listUserRoles": list_user_roles,
    "assignUserRole": assign_user_role,
    "removeUserRole": remove_user_role,
    "listAccountUsers": list_account_users,
    "createAccountUser": create_account_user,
    "getAccountUser": get_account_user,
    "updateAccountUser": update_account_user,
    "replaceAccountUser": replace_account_user,
    "deleteAccountUser": delete_account_user,
    "listOrganizationUsers": list_organization_users,
    "createOrganizationUser": create_organization_user,
    "getOrganizationUser": get_organization_user,
    "updateOrganizationUser": update_organization_user,
    "deleteOrganizationUser": delete_organization_user,
}
