"""PageProblems itself: a request the page cancels by leaving is no problem, any other failure is.

A server holds one request open until the test lets it go, so the request is certainly in flight
when the page navigates or aborts it: no timing decides the outcome.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from page_problems import PageProblems

pytestmark = pytest.mark.browser

PAGE = b"""<!doctype html><html><head><title>t</title><link rel="icon" href="data:,"></head>
<body><script>
window.controller = new AbortController();
window.held = fetch('/held', {signal: window.controller.signal}).catch(() => 'aborted');
</script></body></html>"""


class _Held:
    """A server whose ``/held`` answers only once released; ``arrived`` is set when it is asked."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        held = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib
                pass

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                if self.path == "/held":
                    held.arrived.set()
                    held.release.wait(timeout=30)
                body = b"{}" if self.path == "/held" else PAGE
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the browser gave the request up
                    self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait_until_asked(self, page: Any) -> None:
        """Wait for ``/held`` to arrive, keeping Playwright's loop turning meanwhile: the page's
        route handler (PageProblems' guard) lets a request through only from inside that loop."""
        for _ in range(1000):
            if self.arrived.is_set():
                return
            page.wait_for_timeout(10)  # a turn of Playwright's loop; the condition ends the wait
        raise AssertionError("the page never asked for /held")


@pytest.fixture
def held() -> Iterator[_Held]:
    server = _Held()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.server.shutdown()
        server.server.server_close()
        thread.join(timeout=5)


def test_a_request_cancelled_by_leaving_the_page_is_no_problem(browser: Any, held: _Held) -> None:
    page = browser.new_page()
    try:
        problems = PageProblems(page, held.url)
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(held.url + "/first")
        held.wait_until_asked(page)
        page.goto(held.url + "/second")  # leaves /first with its /held fetch in flight
        page.wait_for_function("() => document.readyState === 'complete'")
        held.release.set()
        page.evaluate("() => window.held")
        assert held.url + "/held" in failed  # it really failed, and was excused
        assert problems.items == []
    finally:
        page.close()


def test_a_request_aborted_while_the_page_stays_is_reported(browser: Any, held: _Held) -> None:
    page = browser.new_page()
    try:
        problems = PageProblems(page, held.url)
        page.goto(held.url + "/only")
        held.wait_until_asked(page)
        with page.expect_event("requestfailed"):
            page.evaluate("() => window.controller.abort()")
        assert problems.items == [f"failed: {held.url}/held net::ERR_ABORTED"]
    finally:
        held.release.set()
        page.close()
