"""The site with the keyboard only: a skip link, every control reached with Tab and used with
Enter, Space, arrows and Escape, and a visible focus ring on whatever has the focus.

Pages are served by the real reference server with demo data, so the try-it console works.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from server_harness import running_server

from generator.docs import render_site

pytestmark = pytest.mark.browser
TYK = "tyk-dashboard/index.html"
# What has the focus, and whether it shows a ring (our CSS: a 2px outline on :focus-visible).
FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {
    tag: e.tagName, id: e.id, classes: String(e.className), role: e.getAttribute("role") || "",
    name: (e.getAttribute("aria-label") || e.textContent || "").trim().slice(0, 60),
    ring: e.matches(":focus-visible") && s.outlineStyle !== "none"
      && parseFloat(s.outlineWidth) >= 2,
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
  };
}"""
WALK_LIMIT = 2000


@pytest.fixture(scope="module")
def docs_url(
    tmp_path_factory: pytest.TempPathFactory, bundled_specs: dict[str, dict[str, Any]]
) -> Iterator[str]:
    site: Path = tmp_path_factory.mktemp("keyboard-site")
    render_site(bundled_specs, site)
    with running_server(docs_dir=site) as server:
        yield server.base_url + "/docs/"


@contextmanager
def open_page(browser: Any, url: str, width: int = 1280) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


def focused(page: Any) -> dict[str, Any]:
    return dict(page.evaluate(FOCUSED))


def tab_until(page: Any, selector: str, limit: int = WALK_LIMIT) -> dict[str, Any]:
    """Press Tab until the focus is on ``selector``; each stop on the way must show its ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["ring"] and now["onScreen"], f"focus not visible on {now}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return now
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


def test_tab_walk_reaches_every_kind_of_control_with_a_ring(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK) as page:
        page.evaluate("document.querySelector('.field > details').open = false")
        seen: list[dict[str, Any]] = []
        for _ in range(WALK_LIMIT):
            page.keyboard.press("Tab")
            now = focused(page)
            if now["tag"] == "BODY" or (seen and now == seen[0]):
                break  # past the last control
            assert now["ring"] and now["onScreen"], f"focus not visible on {now}"
            seen.append(now)
        else:
            raise AssertionError("the Tab walk never ended")
        assert seen[0]["classes"] == "skip"
        kinds = {
            "search": any(s["id"] == "search-input" for s in seen),
            "theme": any(s["id"] == "theme-toggle" for s in seen),
            "try-it": any(s["tag"] == "SUMMARY" and s["name"] == "Try it" for s in seen),
            "sample tab": any(s["role"] == "tab" for s in seen),
            "code block": any(s["tag"] == "PRE" for s in seen),
            "collapsible": sum(s["tag"] == "SUMMARY" for s in seen) > 10,
        }
        assert all(kinds.values()), kinds


def test_skip_link_moves_on_to_the_content(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK) as page:
        page.keyboard.press("Tab")
        assert focused(page)["classes"] == "skip"
        page.keyboard.press("Enter")
        page.wait_for_url("**#main")
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_search_with_the_keyboard(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK) as page:
        tab_until(page, "#search-input")
        page.keyboard.type("user")
        results = page.locator("#search-results")
        results.locator("a").first.wait_for()
        page.keyboard.press("Escape")
        results.wait_for(state="hidden")
        assert focused(page)["id"] == "search-input"  # Escape closes the list, not the box
        page.keyboard.type("s")
        results.locator("a").first.wait_for()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        chosen = results.locator("a[aria-selected=true]")
        assert chosen.count() == 1
        target = chosen.get_attribute("href")
        page.keyboard.press("Enter")
        page.wait_for_function("h => location.href.endsWith(h)", arg=target)
        results.wait_for(state="hidden")


def test_theme_toggle_with_enter_and_space(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK) as page:
        tab_until(page, "#theme-toggle")
        page.keyboard.press("Enter")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert page.get_attribute("#theme-toggle", "aria-pressed") == "true"
        page.keyboard.press("Space")
        assert page.evaluate("document.documentElement.dataset.theme") == "light"


def test_menu_opens_with_enter_and_closes_with_escape(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK, width=375) as page:
        tab_until(page, "#nav-toggle", limit=2)  # right after the skip link
        sidebar = page.locator("#sidebar")
        assert sidebar.is_hidden()
        page.keyboard.press("Enter")
        sidebar.wait_for()
        assert page.get_attribute("#nav-toggle", "aria-expanded") == "true"
        tab_until(page, "#sidebar a")
        page.keyboard.press("Escape")
        sidebar.wait_for(state="hidden")
        assert focused(page)["id"] == "nav-toggle"
        assert page.get_attribute("#nav-toggle", "aria-expanded") == "false"


def test_try_it_with_the_keyboard(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK) as page:
        console = page.locator("details.tryit[data-op=listUsers]")
        tab_until(page, "details.tryit[data-op=listUsers] > summary")
        page.keyboard.press("Enter")
        console.locator("form").wait_for()
        page.wait_for_function("() => document.querySelector('details.tryit.tryit-demo') !== null")
        tab_until(page, "details.tryit[data-op=listUsers] input", limit=2)
        tab_until(page, "details.tryit[data-op=listUsers] .tryit-send", limit=20)
        page.keyboard.press("Enter")
        status = console.locator(".tryit-status")
        status.wait_for()
        assert status.inner_text().startswith("200")
        tab_until(page, "details.tryit[data-op=listUsers] pre", limit=20)  # the result scrolls
        page.keyboard.press("Shift+Tab")
        tab_until(page, "details.tryit[data-op=listUsers] pre", limit=2)


def test_collapsible_schema_opens_and_closes_with_enter(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK) as page:
        page.evaluate("document.querySelectorAll('.field > details').forEach(d => d.open = false)")
        tab_until(page, ".field > details > summary")
        is_open = "document.activeElement.parentElement.open"
        page.keyboard.press("Enter")
        assert page.evaluate(is_open) is True
        page.keyboard.press("Enter")
        assert page.evaluate(is_open) is False


def test_sample_tabs_with_the_arrow_keys(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK) as page:
        tab_until(page, "[role=tab][aria-selected=true]")
        first = focused(page)["name"]
        page.keyboard.press("ArrowRight")
        now = focused(page)
        assert now["role"] == "tab" and now["name"] != first
        assert page.evaluate("document.activeElement.getAttribute('aria-selected')") == "true"
        panel = page.evaluate("document.activeElement.getAttribute('aria-controls')")
        assert page.locator(f"[id='{panel}']").is_visible()
        page.keyboard.press("Tab")  # from the tab into its panel, the code block
        assert page.evaluate("document.activeElement.id") == panel


def test_a_wide_code_block_scrolls_with_the_arrow_keys(browser: Any, docs_url: str) -> None:
    with open_page(browser, docs_url + TYK, width=375) as page:
        for _ in range(WALK_LIMIT):
            tab_until(page, "pre")
            if page.evaluate("(e => e.scrollWidth > e.clientWidth)(document.activeElement)"):
                break
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")
