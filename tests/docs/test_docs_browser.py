"""The rendered site in headless Chromium: clean loads, links, search, dark mode, small screens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from page_problems import PageProblems

from generator.openapi.apis import API_NAMES, build_dir

pytestmark = pytest.mark.browser
PAGES = ["index.html", *(f"{api}/index.html" for api in API_NAMES)]


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme="light")
    yield ctx
    ctx.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(context: Any, site_url: str, path: str) -> None:
    page = context.new_page()
    problems = PageProblems(page, site_url)
    page.goto(site_url + path, wait_until="load")
    page.wait_for_load_state("networkidle")  # every request and script done, no fixed sleep
    assert problems.items == []
    assert page.evaluate("document.documentElement.classList.contains('js')")


def test_every_internal_link_and_anchor_resolves(context: Any, site_url: str) -> None:
    page = context.new_page()
    ids_of: dict[str, set[str]] = {}

    def ids(url: str) -> set[str]:
        if url not in ids_of:
            response = page.goto(url)
            assert response is not None and response.ok, url
            ids_of[url] = set(
                page.evaluate("Array.from(document.querySelectorAll('[id]'), e => e.id)")
            )
        return ids_of[url]

    checked = 0
    for path in PAGES:
        ids(site_url + path)
        page.goto(site_url + path)
        downloads = page.evaluate(
            "Array.from(document.querySelectorAll('a[href][download]'), a => a.href)"
        )
        assert downloads and all(page.request.get(url).ok for url in downloads), downloads
        hrefs = page.evaluate(
            "Array.from(document.querySelectorAll('a[href]:not([download])'), a => a.href)"
        )
        for href in hrefs:
            if not href.startswith(site_url):
                assert urlparse(href).scheme in ("http", "https", "mailto"), href
                continue
            target, fragment = urldefrag(href)
            found = ids(target)
            if fragment:
                assert unquote(fragment) in found, f"{path}: broken anchor {href}"
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("term", ["emailOrId", "Elements-User-Password"])
def test_search_finds_parameters(context: Any, site_url: str, term: str) -> None:
    page = context.new_page()
    page.goto(site_url + "cloud-elements/index.html")
    page.fill("#search-input", term)
    results = page.locator("#search-results a")
    results.first.wait_for()
    names = results.locator(".name").all_inner_texts()
    assert term in names
    results.filter(has_text=term).first.click()
    hash_ = page.evaluate("location.hash")
    assert hash_.startswith("#operation/")
    assert page.locator(f"[id='{unquote(hash_[1:])}']").is_visible()


def test_search_from_the_home_page_spans_both_apis(context: Any, site_url: str) -> None:
    page = context.new_page()
    page.goto(site_url + "index.html")
    page.fill("#search-input", "user")
    page.locator("#search-results a").first.wait_for()  # the indexes load on first use
    details = " ".join(page.locator("#search-results .detail").all_inner_texts())
    assert "Cloud Elements" in details and "Tyk" in details
    page.fill("#search-input", "emailOrId")
    page.locator("#search-results a").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**/cloud-elements/index.html#operation/**")


def _background(page: Any) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_toggle_switches_and_persists(context: Any, site_url: str) -> None:
    page = context.new_page()
    page.goto(site_url + "cloud-elements/index.html")
    light = _background(page)
    assert light == "rgb(255, 255, 255)"
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = _background(page)
    assert dark != light
    page.reload()
    assert page.evaluate("localStorage.getItem('usersapi-docs-theme')") == "dark"
    assert _background(page) == dark
    page.goto(site_url + "index.html")  # the choice holds on every page of the site
    assert _background(page) == dark
    page.click("#theme-toggle")
    page.reload()
    assert _background(page) == light


def test_dark_mode_follows_the_system_preference(browser: Any, site_url: str) -> None:
    ctx = browser.new_context(color_scheme="dark")
    try:
        page = ctx.new_page()
        page.goto(site_url + "tyk-dashboard/index.html")
        assert _background(page) != "rgb(255, 255, 255)"
        assert page.locator("#theme-toggle").inner_text() == "Light mode"
    finally:
        ctx.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_readable_at_375_pixels(browser: Any, site_url: str, javascript: bool) -> None:
    ctx = browser.new_context(
        viewport={"width": 375, "height": 812}, java_script_enabled=javascript
    )
    try:
        page = ctx.new_page()
        for path in PAGES:
            page.goto(site_url + path)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]"
            )
            assert widths[0] <= widths[2] and widths[1] <= widths[2], (path, widths)
        if javascript:
            page.click("#nav-toggle")
            assert page.locator("#sidebar").is_visible()
    finally:
        ctx.close()


def test_everything_is_in_the_html_without_javascript(browser: Any, site_url: str) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(site_url + "cloud-elements/index.html")
        assert page.locator("section.op").count() >= 10
        assert page.locator("#search-input").is_hidden()  # no dead controls without JS
        assert page.locator("figcaption", has_text="Python (httpx)").first.is_visible()
        page.goto(site_url + "cloud-elements/index.html#schema/User")
        assert page.locator("[id='schema/User']").is_visible()
    finally:
        ctx.close()


def test_screenshots_of_each_api(browser: Any, site_url: str) -> None:
    out: Path = build_dir() / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
        try:
            page = ctx.new_page()
            for api in API_NAMES:
                page.goto(site_url + f"{api}/index.html")
                suffix = "" if scheme == "light" else "-dark"
                page.screenshot(path=str(out / f"{api}{suffix}.png"))
                assert (out / f"{api}{suffix}.png").stat().st_size > 10_000
        finally:
            ctx.close()
    ctx = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = ctx.new_page()
        page.goto(site_url + "cloud-elements/index.html#operation/getUser")
        page.screenshot(path=str(out / "cloud-elements-375.png"))
    finally:
        ctx.close()
