"""What a browser test must not see: console errors, failed requests, calls to other hosts."""

from __future__ import annotations

from typing import Any


class PageProblems:
    """Console errors, page errors, failed requests and requests to any host but ours."""

    def __init__(self, page: Any, origin: str) -> None:
        self.items: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.items.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.items.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.items.append(f"failed: {r.url} {r.failure}"))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.items.append(f"HTTP {r.status}: {r.url}"),
        )

        def guard(route: Any) -> None:
            if route.request.url.startswith(origin):
                route.continue_()
            else:
                self.items.append(f"outside request: {route.request.url}")
                route.abort()

        page.route("**/*", guard)
