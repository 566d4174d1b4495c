"""A hostile spec renders inert: nothing from it runs, links to javascript:/data: are gone."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

PAYLOAD_MARK = "window.__xss"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.sources: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        names = dict(attrs)
        self.handlers += [name for name in names if name.startswith("on")]
        self.urls += [value or "" for name, value in attrs if name in ("href", "src", "action")]
        self.sources += [value or "" for name, value in attrs if name in ("src", "action")]
        self._in_script = tag == "script" and "src" not in names

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def test_hostile_markup_is_escaped_in_the_html(xss_site: Path) -> None:
    for page in xss_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        parsed = _Elements()
        parsed.feed(html)
        assert PAYLOAD_MARK in html  # the payloads are shown, as text
        assert parsed.inline_scripts == 0
        assert not {"img", "iframe", "svg", "object", "embed", "b"} & set(parsed.tags)
        assert parsed.handlers == []
        for url in parsed.urls:
            assert not url.lower().startswith(("javascript:", "data:", "vbscript:", "file:"))
        # An image in Markdown becomes a plain link: nothing is fetched from another host.
        assert all(
            src.startswith("../assets/") or src.startswith("assets/") for src in parsed.sources
        )


def test_search_index_of_hostile_spec_is_data(xss_site: Path) -> None:
    text = (xss_site / "assets" / "search-hostile.js").read_text(encoding="utf-8")
    assert text.startswith("(window.USERSAPI_SEARCH = window.USERSAPI_SEARCH || []).push({")
    assert text.count("\n") == 1  # one JSON literal; strings cannot break out of it


@pytest.mark.browser
def test_hostile_spec_runs_nothing_in_the_browser(browser: Any, xss_url: str) -> None:
    # bypass_csp: the page's CSP would block inline scripts anyway; test the escaping itself.
    ctx = browser.new_context(bypass_csp=True)
    dialogs: list[str] = []
    outside: list[str] = []
    try:
        page = ctx.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        def guard(route: Any) -> None:
            if route.request.url.startswith(xss_url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        for path in ("index.html", "hostile/index.html"):
            page.goto(xss_url + path)
            page.wait_for_load_state("networkidle")  # every request and script done, no fixed sleep
            assert page.evaluate("typeof window.__xss") == "undefined"
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        for term in ("script", "img", "xss", "onerror"):
            page.fill("#search-input", term)  # the index loads on first use: wait for it
            page.locator("#search-results a").first.wait_for(timeout=5000)
            assert page.locator("#search-results a").count() > 0
        for link in page.locator("a[href]").all():
            href = link.get_attribute("href") or ""
            assert not href.lower().startswith(("javascript:", "data:", "vbscript:")), href
        page.keyboard.press("Escape")
        page.hover("p.seed-decision")
        state = page.evaluate(
            """() => ({
              flag: typeof window.__xss,
              images: document.images.length,
              frames: document.querySelectorAll('iframe, svg, object, embed').length,
              handlers: Array.from(document.querySelectorAll('*')).flatMap(
                e => Array.from(e.attributes, a => a.name).filter(n => n.startsWith('on'))),
              scripts: Array.from(document.scripts, s => s.getAttribute('src')),
            })"""
        )
        assert state["flag"] == "undefined"
        assert state["images"] == 0 and state["frames"] == 0 and state["handlers"] == []
        assert all(src and src.startswith("../assets/") for src in state["scripts"])
        assert dialogs == [] and outside == []
    finally:
        ctx.close()
