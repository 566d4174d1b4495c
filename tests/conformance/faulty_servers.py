"""Deliberately broken variants of the reference server, for proving the suite catches faults.

Each variant is an ASGI middleware around the REAL reference app: it rewrites one request or
response aspect and leaves everything else to the real handlers. `running_variant(name)` starts
one on a free port (temporary database, demo data) like `tests/server_harness.py` does.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from server_harness import loopback_socket, serving

from generator.conformance.created import users_in
from generator.conformance.profiles import CLOUD_ELEMENTS, TYK_DASHBOARD, ApiProfile
from generator.conformance.results import SuiteResult
from generator.openapi.bundle import bundle_api
from generator.openapi.walk import find_operation
from generator.server import passwords
from generator.server.app import build_app
from generator.server.demo import credentials as demo_credentials
from generator.server.validation import compile_schema, resolve

JSON = "application/json"


@dataclass
class Exchange:
    """One request and (once the real app answered) its response, as a variant sees them."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""

    def json(self) -> Any:
        try:
            return json.loads(self.response_body)
        except ValueError:
            return None

    def reply(self, status: int, value: Any) -> None:
        self.status, self.response_body = status, json.dumps(value).encode()
        self.response_headers = {"content-type": JSON}


Hook = Callable[[Exchange], None]
Hooks = Hook | tuple[Hook, Hook]  # one hook, or (before, after)


async def read_body(receive: Any) -> bytes:
    """The whole request body of an ASGI request."""
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


class Rewriting:
    """Runs `before` on the request (it may answer by itself) and `after` on the response."""

    def __init__(self, app: Any, before: Hook | None = None, after: Hook | None = None) -> None:
        self.app, self.before, self.after = app, before, after

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        ex = Exchange(
            method=scope["method"],
            path=scope["path"],
            query=dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)),
            headers={k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
            body=body,
        )
        if self.before is not None:
            self.before(ex)
        if not ex.status:
            await self._forward(scope, ex)
            if self.after is not None:
                self.after(ex)
        headers = {k: v for k, v in ex.response_headers.items() if k != "content-length"}
        headers["content-length"] = str(len(ex.response_body))
        await send(
            {
                "type": "http.response.start",
                "status": ex.status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": ex.response_body})

    async def _forward(self, scope: dict, ex: Exchange) -> None:
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in ex.headers.items()]
        headers = [(k, v) for k, v in headers if k != b"content-length"]
        headers.append((b"content-length", str(len(ex.body)).encode()))
        query = urlencode(ex.query).encode()
        inner = dict(scope, method=ex.method, headers=headers, query_string=query)
        if ex.path != scope["path"]:  # a variant sent the request to another handler
            inner.update(path=ex.path, raw_path=ex.path.encode())
        sent = False

        async def receive() -> dict:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": ex.body, "more_body": False}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                ex.status = message["status"]
                ex.response_headers = {
                    k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message["headers"]
                }
            elif message["type"] == "http.response.body":
                ex.response_body += message.get("body", b"")

        await self.app(inner, receive, send)


@cache
def bundled(api: str) -> dict[str, Any]:
    """The API's bundle, made once per test session (variants only read it)."""
    return bundle_api(api)


def _edit_users(ex: Exchange, profile: ApiProfile, edit: Callable[[dict[str, Any]], None]) -> None:
    value = ex.json()
    if value is None or not 200 <= ex.status < 300:
        return
    for user in users_in(value, profile):
        edit(user)
    ex.response_body = json.dumps(value).encode()


def _is_list(ex: Exchange) -> bool:
    return ex.method == "GET" and ex.path.endswith("/users")


def _is_one_user(ex: Exchange) -> bool:
    return ex.method == "GET" and "/users/" in ex.path and not ex.path.endswith("/roles")


def _request_schema(api: str, operation_id: str) -> Any:
    """The compiled JSON body schema of one operation's request."""
    spec = bundled(api)
    operation = find_operation(spec, operation_id)
    assert operation is not None, operation_id
    media = resolve(spec, operation.node["requestBody"])["content"][JSON]
    return compile_schema(spec, resolve(spec, media["schema"]))


def _valid_json(ex: Exchange, schema: Any) -> bool:
    """Whether the request carries a JSON body the operation's schema accepts."""
    if not ex.headers.get("content-type", "").startswith(JSON):
        return False
    try:
        return schema.is_valid(json.loads(ex.body))
    except ValueError:
        return False


# --- the faults ---------------------------------------------------------------------------------


def missing_field(creds: dict[str, Any]) -> Hook:
    return lambda ex: _edit_users(ex, TYK_DASHBOARD, lambda user: user.pop("org_id", None))


def non_ascii_500(creds: dict[str, Any]) -> Hook:
    def before(ex: Exchange) -> None:
        try:
            text = json.dumps(json.loads(ex.body), ensure_ascii=False) if ex.body else ""
        except ValueError:
            text = ex.body.decode("utf-8", "replace")
        if any(ord(char) > 127 for char in text):
            ex.reply(500, {"requestId": "0", "message": "UnicodeEncodeError"})

    return before


def undocumented_status(creds: dict[str, Any]) -> Hook:
    def after(ex: Exchange) -> None:
        if ex.method == "POST" and ex.status == 200:
            ex.status = 201

    return after


def wrong_content_type(creds: dict[str, Any]) -> Hook:
    def after(ex: Exchange) -> None:
        if ex.status == 200 and ex.response_body:
            ex.response_headers["content-type"] = "text/plain"

    return after


def auth_ignored(creds: dict[str, Any]) -> Hook:
    admin = creds["cloud-elements"]["Authorization"]

    def before(ex: Exchange) -> None:
        ex.headers["authorization"] = admin

    return before


def delete_not_deleting(creds: dict[str, Any]) -> tuple[Hook, Hook]:
    """The real app checks auth and existence (as a GET), but nothing is ever deleted."""

    def before(ex: Exchange) -> None:
        if ex.method == "DELETE" and ex.path.startswith("/api/users/"):
            ex.method, ex.headers["x-was-delete"] = "GET", "1"

    def after(ex: Exchange) -> None:
        if ex.headers.get("x-was-delete") and ex.status == 200:
            ex.reply(200, {"Status": "OK", "Message": "User deleted", "Meta": ""})

    return before, after


def update_not_applied(creds: dict[str, Any]) -> tuple[Hook, Hook]:
    """A valid Tyk update is answered with the 5.x status envelope, and nothing is changed: the
    real app only checks auth and that the user exists (as a GET)."""
    valid = _request_schema("tyk-dashboard", "updateUser")

    def before(ex: Exchange) -> None:
        user = re.fullmatch(r"/api/users/[^/]+", ex.path)
        if ex.method == "PUT" and user and _valid_json(ex, valid):
            ex.method, ex.headers["x-was-update"] = "GET", "1"

    def after(ex: Exchange) -> None:
        if ex.headers.get("x-was-update") and ex.status == 200:
            ex.reply(200, {"Status": "OK", "Message": "User updated", "Meta": None})

    return before, after


def create_stores_nothing(creds: dict[str, Any]) -> tuple[Hook, Hook]:
    """A valid Tyk create is answered as 5.x does, `Meta` a new id, and nothing is stored: the
    real app only checks auth (as a listing)."""
    valid = _request_schema("tyk-dashboard", "createUser")
    made = iter(range(1, 2**32))

    def before(ex: Exchange) -> None:
        if ex.method == "POST" and ex.path == "/api/users" and _valid_json(ex, valid):
            ex.method, ex.headers["x-was-create"] = "GET", "1"

    def after(ex: Exchange) -> None:
        if ex.headers.get("x-was-create") and ex.status == 200:
            ex.reply(200, {"Status": "OK", "Message": "User created", "Meta": f"{next(made):024x}"})

    return before, after


def invalid_body_accepted(creds: dict[str, Any]) -> Hook:
    def after(ex: Exchange) -> None:
        if ex.method in ("POST", "PATCH", "PUT") and ex.status == 400:
            ex.status = 200

    return after


def where_ignored(creds: dict[str, Any]) -> Hook:
    def before(ex: Exchange) -> None:
        ex.query.pop("where", None)

    return before


def paging_repeats(creds: dict[str, Any]) -> Hook:
    last: dict[str, Any] = {}

    def after(ex: Exchange) -> None:
        value = ex.json()
        if not _is_list(ex) or ex.status != 200 or not isinstance(value, list):
            return
        continuation = "nextPage" in ex.query or ex.query.get("offset", "0") not in ("", "0")
        if continuation and "user" in last and value and last["user"] not in value:
            value.insert(0, last["user"])  # the previous page's last user, once more
            ex.response_body = json.dumps(value).encode()
        if value:
            last["user"] = value[-1]

    return after


def secret_leak(creds: dict[str, Any]) -> Hook:
    def after(ex: Exchange) -> None:
        if _is_one_user(ex):
            _edit_users(
                ex, CLOUD_ELEMENTS, lambda user: user.setdefault("secret", "leaked-user-secret")
            )

    return after


def password_echo(creds: dict[str, Any]) -> Hook:
    def after(ex: Exchange) -> None:
        if ex.method == "POST" and ex.path == "/api/users" and ex.status == 200:
            password = json.loads(ex.body or b"{}").get("password")
            if isinstance(password, str):
                _edit_users(ex, TYK_DASHBOARD, lambda user: user.update(password=password))

    return after


def full_name_wrong(creds: dict[str, Any]) -> Hook:
    def edit(user: dict[str, Any]) -> None:
        user["fullName"] = f"{user.get('lastName')}, {user.get('firstName')}"

    return lambda ex: _edit_users(ex, CLOUD_ELEMENTS, edit)


def update_ignores_first_name(creds: dict[str, Any]) -> Hook:
    def before(ex: Exchange) -> None:
        if ex.method in ("PATCH", "PUT") and ex.body:
            try:
                body = json.loads(ex.body)
            except ValueError:
                return
            if isinstance(body, dict) and "firstName" in body and len(body) > 1:
                del body["firstName"]
                ex.body = json.dumps(body).encode()

    return before


def duplicate_email_wrong_status(creds: dict[str, Any]) -> Hook:
    def after(ex: Exchange) -> None:
        if ex.status == 409:
            ex.status = 400

    return after


def second_org_sees_first(creds: dict[str, Any]) -> Hook:
    ce = creds["cloud-elements"]
    other, admin = ce["second_org"]["Authorization"], ce["Authorization"]

    def before(ex: Exchange) -> None:
        if ex.headers.get("authorization") == other:
            ex.headers["authorization"] = admin

    return before


def revoke_not_deactivating(creds: dict[str, Any]) -> tuple[Hook, Hook]:
    """A revoke is answered as documented, but nobody is deactivated: the real app only checks
    auth and that the user exists (as a GET of the user)."""
    revoke = re.compile(r"/api/users/[^/]+/actions/revoke")

    def before(ex: Exchange) -> None:
        if ex.method == "PUT" and revoke.fullmatch(ex.path):
            ex.method, ex.path = "GET", ex.path.removesuffix("/actions/revoke")
            ex.headers["x-was-revoke"] = "1"

    def after(ex: Exchange) -> None:
        if ex.headers.get("x-was-revoke") and ex.status == 200:
            ex.reply(200, {"Status": "OK", "Message": "User revoked", "Meta": None})
        elif ex.headers.get("x-was-revoke") and ex.status == 404:  # revoke's own answer: 400
            ex.reply(400, {"Status": "Error", "Message": "Could not retrieve user detail."})

    return before, after


def me_answers_another(creds: dict[str, Any]) -> Hook:
    tyk = creds["tyk-dashboard"]
    admin, reader = tyk["Authorization"], tyk["read_only"]["Authorization"]

    def before(ex: Exchange) -> None:
        if ex.path == "/api/users/me" and ex.headers.get("authorization") == admin:
            ex.headers["authorization"] = reader

    return before


def search_ignores_text(creds: dict[str, Any]) -> Hook:
    def before(ex: Exchange) -> None:
        if ex.path != "/api/users/search":
            return
        if ex.method == "GET" and "q" in ex.query:
            ex.query["q"] = ""
        elif ex.method == "POST":
            try:
                body = json.loads(ex.body)
            except ValueError:
                return
            if isinstance(body, dict) and isinstance(body.get("filters"), dict):
                body["filters"].pop("query", None)
                ex.body = json.dumps(body).encode()

    return before


def search_misses_one(creds: dict[str, Any]) -> Hook:
    def after(ex: Exchange) -> None:
        value = ex.json()
        if ex.path != "/api/users/search" or ex.status != 200 or not isinstance(value, dict):
            return
        if isinstance(value.get("users"), list) and value["users"]:
            value["users"] = value["users"][1:]
            ex.response_body = json.dumps(value).encode()

    return after


@dataclass(frozen=True)
class Variant:
    name: str
    api: str
    fault: str
    expected_check: str
    make: Callable[[dict[str, Any]], Hooks]
    after: bool  # a single hook rewrites responses (else requests)
    operations: tuple[str, ...]  # the operations a focused run needs to reach the fault
    phases: tuple[str, ...] = ("coverage", "fuzzing")
    # Other domain checks the same fault really breaks (none may fire otherwise).
    also: frozenset[str] = frozenset()


VARIANTS = [
    Variant(
        "missing_field",
        "tyk-dashboard",
        "`org_id` left out of users",
        "response_schema_conformance",
        missing_field,
        True,
        ("getUser",),
        ("examples", "fuzzing"),
    ),
    Variant(
        "non_ascii_500",
        "cloud-elements",
        "500 on a body with non-ASCII text",
        "not_a_server_error",
        non_ascii_500,
        False,
        ("updateAccountUser",),
    ),
    Variant(
        "undocumented_status",
        "tyk-dashboard",
        "create answers 201 (undocumented)",
        "status_code_conformance",
        undocumented_status,
        True,
        ("createUser",),
    ),
    Variant(
        "wrong_content_type",
        "tyk-dashboard",
        "2xx bodies sent as text/plain",
        "content_type_conformance",
        wrong_content_type,
        True,
        ("listUsers",),
    ),
    Variant(
        "auth_ignored",
        "cloud-elements",
        "any request runs as the org admin",
        "ignored_auth",
        auth_ignored,
        False,
        ("listUserRoles",),
        also=frozenset({"second_org_isolated"}),  # the second org's key is ignored as well
    ),
    Variant(
        "delete_not_deleting",
        "tyk-dashboard",
        "DELETE answers 200, deletes nothing",
        "deleted_user_is_gone",
        delete_not_deleting,
        False,
        ("deleteUser",),
    ),
    Variant(
        "update_not_applied",
        "tyk-dashboard",
        "PUT answers the 5.x envelope, changes nothing",
        "read_your_writes",
        update_not_applied,
        False,
        ("updateUser",),
    ),
    Variant(
        "create_stores_nothing",
        "tyk-dashboard",
        "create answers a new id, stores nothing",
        "read_your_writes",
        create_stores_nothing,
        False,
        ("createUser",),
        # A server that stores nothing cannot know an email is taken.
        also=frozenset({"duplicate_email_conflicts"}),
    ),
    Variant(
        "invalid_body_accepted",
        "cloud-elements",
        "rejected bodies answered 200",
        "negative_data_rejection",
        invalid_body_accepted,
        True,
        ("replaceAccountUser",),
        # A refused write answered 200 claims a change that never happened, for the second
        # organization too.
        also=frozenset({"read_your_writes", "second_org_isolated"}),
    ),
    Variant(
        "where_ignored",
        "cloud-elements",
        "`where` dropped: every user returned",
        "where_filter_respected",
        where_ignored,
        False,
        ("listUsers",),
    ),
    Variant(
        "paging_repeats",
        "cloud-elements",
        "each page repeats the previous page's last user",
        "paging_yields_each_once",
        paging_repeats,
        True,
        ("listAccountUsers",),
    ),
    Variant(
        "secret_leak",
        "cloud-elements",
        "`secret` added to every get",
        "secret_only_when_authorized",
        secret_leak,
        True,
        ("getUser",),
    ),
    Variant(
        "password_echo",
        "tyk-dashboard",
        "create returns the password it was sent",
        "password_not_echoed",
        password_echo,
        True,
        ("createUser",),
    ),
    Variant(
        "full_name_wrong",
        "cloud-elements",
        "`fullName` as 'Last, First'",
        "full_name_consistent",
        full_name_wrong,
        True,
        ("getAccountUser",),
    ),
    Variant(
        "update_ignores_first_name",
        "cloud-elements",
        "PATCH/PUT silently keep `firstName`",
        "read_your_writes",
        update_ignores_first_name,
        False,
        ("updateUser",),
    ),
    Variant(
        "duplicate_email_wrong_status",
        "cloud-elements",
        "duplicate email answered 400",
        "duplicate_email_conflicts",
        duplicate_email_wrong_status,
        True,
        ("createAccountUser",),
    ),
    Variant(
        "second_org_sees_first",
        "cloud-elements",
        "second org's key treated as the first's",
        "second_org_isolated",
        second_org_sees_first,
        False,
        ("getAccountUser",),
    ),
    Variant(
        "revoke_not_deactivating",
        "tyk-dashboard",
        "revoke answers 200, the user stays active",
        "revoked_user_is_inactive",
        revoke_not_deactivating,
        False,
        ("revokeUser",),
    ),
    Variant(
        "me_answers_another",
        "tyk-dashboard",
        "GET /api/users/me answers another user",
        "current_user_is_the_caller",
        me_answers_another,
        False,
        ("getCurrentUser",),
    ),
    Variant(
        "search_ignores_text",
        "tyk-dashboard",
        "both searches return every user",
        "search_results_match",
        search_ignores_text,
        False,
        ("searchUsers", "searchUsersByQuery"),
    ),
    Variant(
        "search_misses_one",
        "tyk-dashboard",
        "both searches leave out the first user found",
        "search_misses_no_match",
        search_misses_one,
        True,
        ("searchUsers", "searchUsersByQuery"),
    ),
    Variant(
        "organization_update_ignores_first_name",
        "cloud-elements",
        "/organizations/users PATCH silently keeps `firstName`",
        "read_your_writes",
        update_ignores_first_name,
        False,
        ("updateOrganizationUser",),
    ),
    Variant(
        "organization_secret_leak",
        "cloud-elements",
        "`secret` added to every get of /organizations/users/{emailOrId}",
        "secret_only_when_authorized",
        secret_leak,
        True,
        ("getOrganizationUser",),
    ),
]
BY_NAME = {variant.name: variant for variant in VARIANTS}


@contextmanager
def serve(wrap: Callable[[Any, str], Any] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """The reference app (maybe wrapped) on 127.0.0.1:<free port>: (base URL, credentials)."""
    passwords.configure(n=2**10)  # cheap hashes, as tests/server_harness.py does
    with tempfile.TemporaryDirectory(prefix="usersapi-faulty-") as tmp:
        app = build_app(str(Path(tmp) / "users.sqlite3"), demo=True)
        sock, base_url = loopback_socket()
        creds = demo_credentials(app.state.server, base_url)
        served = wrap(app, creds) if wrap is not None else app
        try:
            with serving(served, sock, lifespan="off"):
                yield base_url, creds
        finally:
            app.state.server.close()


@contextmanager
def running_variant(name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    variant = BY_NAME[name]

    def wrap(app: Any, creds: dict[str, Any]) -> Any:
        hooks = variant.make(creds)
        if isinstance(hooks, tuple):
            return Rewriting(app, before=hooks[0], after=hooks[1])
        return Rewriting(app, after=hooks) if variant.after else Rewriting(app, before=hooks)

    with serve(wrap) as running:
        yield running


FOCUSED_SEED, FOCUSED_EXAMPLES = 7, 10


def focused_run(variant: Variant, credentials: dict[str, Any]) -> SuiteResult:
    """The suite on a running variant, only where its fault shows (its operations and phases)."""
    from generator.conformance.runner import run_suite

    return run_suite(
        variant.api,
        credentials=credentials,
        seed=FOCUSED_SEED,
        deterministic=True,
        max_examples=FOCUSED_EXAMPLES,
        phases=variant.phases,
        operations=variant.operations,
    )
