"""Who is calling: Cloud Elements `User <secret>, Organization <secret>`, Tyk raw access keys.

Secrets are found through their SHA-256 index hash (a unique index), then the stored hash is
compared with hmac.compare_digest; the plaintext secret is never compared with `==`. Resolved
principals are cached by the digest of the whole header until the next write.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from starlette.requests import Request

from . import ce_store
from .context import CREDENTIAL_COOKIES, ServerState
from .errors import ApiError
from .sealing import index_hash

_CE_HEADER = re.compile(r"^\s*User\s+([^\s,]+)\s*,\s*Organization\s+([^\s,]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ElementsPrincipal:
    user_id: int
    org_id: int
    account_id: int
    org_admin: bool
    account_admin: bool


@dataclass(frozen=True)
class TykPrincipal:
    user_id: str
    org_id: str
    can_read: bool
    can_write: bool


_CACHE_LIMIT = 10_000  # header spellings are unbounded (whitespace); memory must not be


def _remember(state: ServerState, digest: bytes, principal: object) -> None:
    if len(state.auth_cache) >= _CACHE_LIMIT:
        state.auth_cache.clear()
    state.auth_cache[digest] = principal


def _cached(state: ServerState, prefix: bytes, header: str) -> tuple[bytes, object | None]:
    digest = hashlib.sha256(prefix + header.encode("utf-8", "surrogateescape")).digest()
    return digest, state.auth_cache.get(digest)


def authenticate_elements(state: ServerState, headers: dict[str, str]) -> ElementsPrincipal:
    header = headers.get("authorization", "")
    digest, cached = _cached(state, b"ce:", header)
    if isinstance(cached, ElementsPrincipal):
        return cached
    match = _CE_HEADER.match(header)
    if not match:
        raise ApiError(401, "Authorization must be 'User <user secret>, Organization <org secret>'")
    user_hash, org_hash = index_hash(match.group(1)), index_hash(match.group(2))
    org = ce_store.org_by_secret(state.conn, org_hash)
    user = ce_store.user_by_secret(state.conn, user_hash)
    if (
        org is None
        or user is None
        or not hmac.compare_digest(org["secret_hash"], org_hash)
        or not hmac.compare_digest(user["secret_hash"], user_hash)
        or user["org_id"] != org["id"]
        or not user["active"]
    ):
        raise ApiError(401, "Invalid user or organization secret")
    roles = ce_store.role_keys(state.conn, user["id"])
    principal = ElementsPrincipal(
        user_id=user["id"],
        org_id=org["id"],
        account_id=user["account_id"],
        org_admin="org-admin" in roles,
        account_admin="admin" in roles,
    )
    _remember(state, digest, principal)
    return principal


def _permissions(raw: str) -> dict[str, str]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _tyk_credential(request: Request, headers: dict[str, str]) -> str:
    """The raw access key: the Authorization header, else a cookie the operation accepts."""
    header = headers.get("authorization", "").strip()
    if header:
        return header
    for name in request.scope.get(CREDENTIAL_COOKIES, ()):
        value = request.cookies.get(name, "").strip()
        if value:
            return value
    return ""


def authenticate_tyk(state: ServerState, request: Request, headers: dict[str, str]) -> TykPrincipal:
    header = _tyk_credential(request, headers)
    digest, cached = _cached(state, b"tyk:", header)
    if isinstance(cached, TykPrincipal):
        return cached
    key_hash = index_hash(header)
    row = state.conn.execute(
        "SELECT id, org_id, active, key_hash, user_permissions FROM tyk_users WHERE key_hash = ?",
        (key_hash,),
    ).fetchone()
    if not header or row is None or not hmac.compare_digest(row["key_hash"], key_hash):
        raise ApiError(401, "Not authorised")
    if not row["active"]:
        raise ApiError(401, "Not authorised")
    permissions = _permissions(row["user_permissions"])
    # Tyk: an empty permission map means a full (legacy) admin; otherwise IsAdmin or users:*.
    # The 5.x samples write IsAdmin "admin", the permissions guide "true".
    admin = not permissions or permissions.get("IsAdmin") in ("admin", "true")
    users_right = permissions.get("users")
    principal = TykPrincipal(
        user_id=row["id"],
        org_id=row["org_id"],
        can_read=admin or users_right in ("read", "write"),
        can_write=admin or users_right == "write",
    )
    _remember(state, digest, principal)
    return principal
