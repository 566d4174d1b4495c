"""What a browser test must not see: console errors, failed requests, calls to other hosts."""

from __future__ import annotations

from typing import Any

# What Chromium reports for a request the page itself cancelled: leaving a page cancels what that
# page still had in flight (the icon the browser asks for by itself, most often).
ABORTED = "net::ERR_ABORTED"


class PageProblems:
    """Console errors, page errors, failed requests and requests to any host but ours.

    A request aborted because the page was left while it was in flight is no problem: which
    requests are still running when a click or ``goto`` navigates depends on timing alone (a CI
    run once failed on the favicon of the page a click left). A request that fails in any other
    way, or is aborted while its page stays, is reported.
    """

    def __init__(self, page: Any, origin: str) -> None:
        self.items: list[str] = []
        self._page = page
        self._navigations = 0  # main-frame navigations started so far
        self._started_at: dict[Any, int] = {}  # request -> navigations started before it
        page.on("request", self._on_request)
        page.on("requestfinished", lambda r: self._started_at.pop(r, None))
        page.on("console", lambda m: m.type == "error" and self.items.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.items.append(f"page error: {e}"))
        page.on("requestfailed", self._on_failed)
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

    def _on_request(self, request: Any) -> None:
        if request.is_navigation_request() and request.frame == self._page.main_frame:
            self._navigations += 1
        self._started_at[request] = self._navigations

    def _on_failed(self, request: Any) -> None:
        started_at = self._started_at.pop(request, self._navigations)
        if request.failure == ABORTED and self._navigations > started_at:
            return  # cancelled by a later navigation of the page, not failed
        self.items.append(f"failed: {request.url} {request.failure}")
