"""The server's root and favicon: what a person who opens the printed address gets.

``GET /`` sends a browser to the docs when they are served; without them it answers a short
JSON index of the APIs (title and version from each contract, base URL on this server).
``/favicon.ico``, which browsers ask for by themselves, is the docs site's icon, not a 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .responses import Json

DOCS_PATH = "/docs/"
FAVICON = Path(str(resources.files("generator.docs"))) / "static" / "favicon.svg"

Endpoint = Callable[[Request], Awaitable[Response]]


def _index(apis: Sequence[tuple[str, str, dict[str, Any]]], docs: bool) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if docs:
            return RedirectResponse(DOCS_PATH, status_code=302)
        base = str(request.base_url).rstrip("/")
        listed = []
        for name, prefix, spec in apis:
            info = spec.get("info") or {}
            listed.append(
                {
                    "name": name,
                    "title": str(info.get("title") or name),
                    "version": str(info.get("version") or ""),
                    "base_url": base + prefix,
                }
            )
        return Json({"apis": listed})

    return endpoint


async def _favicon(request: Request) -> Response:
    return Response(
        FAVICON.read_bytes(),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def front_door_routes(
    apis: Sequence[tuple[str, str, dict[str, Any]]], *, docs: bool
) -> list[BaseRoute]:
    """Routes for ``/`` and ``/favicon.ico``; ``apis`` is (name, path prefix, bundled spec)."""
    return [
        Route("/", _index(apis, docs), methods=["GET", "HEAD"]),
        Route("/favicon.ico", _favicon, methods=["GET", "HEAD"]),
    ]
