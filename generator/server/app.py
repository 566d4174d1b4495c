"""The ASGI app: routes generated from each bundled contract, one request pipeline for both APIs.

Pipeline per request: route (404) -> method (405 + Allow) -> auth (401) -> size (413) ->
parameters (400) -> content type / JSON / body schema (415, 400) -> handler. Any ApiError is
rendered in the API's own error format; anything unexpected becomes that format's 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from starlette._utils import get_route_path
from starlette.datastructures import State
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from . import cloud_elements, tyk
from .context import CREDENTIAL_COOKIES, Call, ServerState
from .demo import credentials as demo_credentials
from .demo import populate as populate_demo
from .errors import ApiError, ErrorRenderer
from .front_door import front_door_routes
from .incoming import header_dict, query_dict
from .responses import Json
from .validation import Operation, bind_params, compile_operations, parse_body

MAX_BODY_BYTES = 1024 * 1024
log = logging.getLogger("usersapi.server")

Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True)
class ApiService:
    name: str
    prefix: str  # where the contract's paths are mounted
    fallback_prefix: str  # everything under it that matches nothing is this API's 404
    handlers: Mapping[str, Handler]
    # (state, request, its headers as incoming.header_dict) -> the caller, or ApiError 401
    authenticate: Callable[[ServerState, Request, dict[str, str]], Any]
    render_error: ErrorRenderer
    # What the API's handlers read from its contract beyond the operations (its `where` fields)
    # and the storage they rely on; run once when the server is built, before any data
    prepare: Callable[[dict[str, Any], ServerState], None] | None = None


def load_spec(name: str) -> dict[str, Any]:
    from generator.openapi.bundle import bundle_api

    return bundle_api(name)


async def _read_body(request: Request, headers: dict[str, str]) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(413, f"Request body larger than {MAX_BODY_BYTES} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, f"Request body larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _endpoint(service: ApiService, state: ServerState, ops: dict[str, Operation]) -> Any:
    allow = ", ".join(sorted(ops))

    async def endpoint(request: Request) -> Response:
        try:
            op = ops.get(request.method)
            if op is None:
                raise ApiError(405, f"Method {request.method} not allowed", {"Allow": allow})
            scope = request.scope
            # Which cookies may carry the credential is the operation's (read by authenticate).
            scope[CREDENTIAL_COOKIES] = op.credential_cookies
            headers = header_dict(scope["headers"])
            principal = service.authenticate(state, request, headers)
            query = query_dict(scope["query_string"])
            params = bind_params(op, request.path_params, query, headers)
            raw = await _read_body(request, headers) if op.media_types else b""
            body = parse_body(op, headers.get("content-type"), raw)
            call = Call(
                request,
                state,
                principal,
                params["path"],
                params["query"],
                params["header"],
                body,
                sent_query=query,
            )
            return await service.handlers[op.operation_id](call)
        except ApiError as error:
            return service.render_error(error)
        except ClientDisconnect:
            # The client left before the end of its body: nothing was stored, and the answer
            # goes nowhere (uvicorn drops it), but it is the client's doing, not a bug of ours.
            log.debug(
                "%s %s: the client left before the end of the body",
                request.method,
                request.url.path,
            )
            return service.render_error(
                ApiError(400, "The connection closed before the end of the request body")
            )
        except Exception:  # a bug must still answer in the API's format, never a traceback
            log.exception("unhandled error in %s %s", request.method, request.url.path)
            return service.render_error(ApiError(500, "Internal server error"))

    return _AsgiEndpoint(endpoint)


class _AsgiEndpoint:
    """An ASGI app, not a function, so Starlette's Route accepts every method and we answer 405."""

    def __init__(self, handle: Callable[[Request], Awaitable[Response]]) -> None:
        self.handle = handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)


def _not_found(service: ApiService) -> Any:
    async def endpoint(request: Request) -> Response:
        return service.render_error(ApiError(404, f"No resource at {request.url.path}"))

    return _AsgiEndpoint(endpoint)


def _template_rank(path: str) -> list[bool]:
    """Sorts a path after every path that has a literal segment where it has a template."""
    return [segment.startswith("{") for segment in path.split("/")]


def service_routes(
    service: ApiService, spec: dict[str, Any], state: ServerState
) -> list[BaseRoute]:
    """The API's routes; its ``prepare`` has run on the same spec and state (build_app)."""
    by_path: dict[str, dict[str, Operation]] = {}
    for op in compile_operations(spec):
        if op.operation_id not in service.handlers:
            raise RuntimeError(f"{service.name}: no handler for operation {op.operation_id}")
        by_path.setdefault(op.path, {})[op.method] = op
    # Literal paths first: /api/users/me must not be taken by /api/users/{userId} (OpenAPI lets
    # them sit side by side and says the literal one wins).
    ordered = sorted(by_path.items(), key=lambda item: _template_rank(item[0]))
    routes: list[BaseRoute] = [
        Route(service.prefix + path, _endpoint(service, state, ops), methods=None)
        for path, ops in ordered
    ]
    fallback = _not_found(service)
    routes.append(Route(service.fallback_prefix, fallback, methods=None))
    routes.append(Route(service.fallback_prefix + "/{rest:path}", fallback, methods=None))
    return routes


SERVICES = (
    ApiService(
        name="cloud-elements",
        prefix=cloud_elements.PREFIX,
        fallback_prefix=cloud_elements.PREFIX,
        handlers=cloud_elements.HANDLERS,
        authenticate=cloud_elements.authenticate,
        render_error=cloud_elements.render_error,
        prepare=cloud_elements.prepare,
    ),
    ApiService(
        name="tyk-dashboard",
        prefix="",
        fallback_prefix="/api",
        handlers=tyk.HANDLERS,
        authenticate=tyk.authenticate,
        render_error=tyk.render_error,
    ),
)


def _demo_config(state: ServerState) -> Callable[[Request], Awaitable[Response]]:
    """The demo Authorization values for the docs' try-it console (never the passwords).

    Read at each request: a renewed demo key shows its new value. Only served with --demo,
    whose data is throwaway and whose server listens on loopback by default.
    """

    async def endpoint(request: Request) -> Response:
        creds = demo_credentials(state, "")
        body = {
            api: {"Authorization": str(creds[api]["Authorization"])}
            for api in ("cloud-elements", "tyk-dashboard")
            if api in creds
        }
        return Json(body, headers={"Cache-Control": "no-store"})

    return endpoint


def build_app(
    db_path: str,
    *,
    demo: bool = False,
    specs: dict[str, dict[str, Any]] | None = None,
    docs_dir: Path | None = None,
) -> ReferenceApp:
    """The reference server on the SQLite database at db_path (":memory:" allowed)."""
    state = ServerState.open(db_path)
    chosen = {s.name: (specs or {}).get(s.name) or load_spec(s.name) for s in SERVICES}
    for service in SERVICES:  # storage an API's handlers rely on, before any data is written
        if service.prepare is not None:
            service.prepare(chosen[service.name], state)
    if demo:
        populate_demo(state)
    routes: list[BaseRoute] = []
    served = []
    for service in SERVICES:
        spec = chosen[service.name]
        routes.extend(service_routes(service, spec, state))
        served.append((service.name, service.prefix, spec))
    docs = docs_dir is not None and docs_dir.is_dir()
    routes.extend(front_door_routes(served, docs=docs))
    if docs_dir is not None and docs:
        if demo:  # matched before the static mount below
            routes.append(Route("/docs/demo-config.json", _demo_config(state), methods=["GET"]))
        # Its own exception middleware: a missing file is StaticFiles' 404, not a 500.
        static = ExceptionMiddleware(StaticFiles(directory=docs_dir, html=True))
        routes.append(Mount("/docs", static, name="docs"))

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        yield
        state.close()

    return ReferenceApp(routes, lifespan, state)


class ReferenceApp(Router):
    """The routes as the whole ASGI app, without Starlette's application-level middlewares.

    Every API endpoint renders its own errors in its API's format (and turns any bug into that
    format's 500), so the exception middlewares a Starlette app wraps around each request would
    only cost time: about 10% of the requests per second on GET one user. The API routes are
    found through a table by segment count instead of trying each route's regex in turn.
    """

    def __init__(self, routes: list[BaseRoute], lifespan: Any, server: ServerState) -> None:
        # /users/ is a 404, not a redirect the contract does not document.
        super().__init__(routes=routes, lifespan=lifespan, redirect_slashes=False)
        self.state = State()
        self.state.server = server
        self.table = RouteTable(routes)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.table.match(scope) if scope["type"] == "http" else None
        if found is None:
            await super().app(scope, receive, send)
            return
        route, params = found
        scope["router"] = self
        scope["route"] = route
        scope["endpoint"] = route.endpoint
        scope["path_params"] = params
        await route.app(scope, receive, send)


class RouteTable:
    """Routes of plain ``/literal/{param}`` paths in a dictionary by segment count, matched the
    way the Router matches them: a parameter is one non-empty segment, and the first route in
    the routes' order wins. A route the table cannot take (``{rest:path}``, a mount) stays the
    Router's, and a path the table matches is checked against those of them listed before."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.by_count: dict[int, list[_Entry]] = {}
        earlier: list[BaseRoute] = []  # routes before this one the table does not take
        for route in routes:
            segments = route.path.split("/") if isinstance(route, Route) else []
            takeable = (
                isinstance(route, Route)
                and route.methods is None
                and not any(":" in s or ("{" in s and not _is_param(s)) for s in segments)
            )
            if not takeable:
                earlier.append(route)
                continue
            pattern = tuple(None if _is_param(s) else s for s in segments)
            names = tuple(s[1:-1] for s in segments if _is_param(s))
            entry = _Entry(pattern, names, cast(Route, route), tuple(earlier))  # takeable: a Route
            self.by_count.setdefault(len(segments), []).append(entry)

    def match(self, scope: Scope) -> tuple[Route, dict[str, str]] | None:
        path = get_route_path(scope)
        if "\n" in path:  # Starlette's `$` also matches before a final newline: its answer
            return None
        segments = path.split("/")
        for entry in self.by_count.get(len(segments), ()):
            values = []
            for wanted, segment in zip(entry.pattern, segments, strict=True):
                if wanted is None:
                    if not segment:
                        break
                    values.append(segment)
                elif wanted != segment:
                    break
            else:
                if any(route.matches(scope)[0] is not Match.NONE for route in entry.earlier):
                    return None  # an earlier route the Router tries first takes it
                return entry.route, dict(zip(entry.names, values, strict=True))
        return None


@dataclass(frozen=True)
class _Entry:
    pattern: tuple[str | None, ...]  # None where the path has a parameter
    names: tuple[str, ...]
    route: Route
    earlier: tuple[BaseRoute, ...]


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}") and segment.count("{") == 1
