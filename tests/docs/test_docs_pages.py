"""Large APIs are split into pages of bounded weight; every link still finds its target."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from page_problems import PageProblems
from synthetic import write_synthetic_spec  # bench/, on the path from conftest

from generator.docs import pages as pages_module
from generator.docs import render_site
from generator.docs.model import build_view
from generator.docs.pages import PAGE_OPERATIONS, plan_api
from generator.openapi.bundle import bundle_file

API = "synthetic"


class _Page(HTMLParser):
    """Ids, hrefs, loaded assets, the sidebar's links and the try-it data of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.assets: list[str] = []
        self.sidebar_hrefs: list[str] = []
        self.tryit: dict[str, Any] | None = None
        self.unsafe: list[str] = []  # event handler attributes, inline scripts, images, frames
        self._nav_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name: value or "" for name, value in attrs}
        self.unsafe += [f"{tag} {name}" for name in names if name.startswith("on")]
        if tag in ("img", "iframe", "svg", "object", "embed") or (
            tag == "script" and "src" not in names
        ):
            self.unsafe.append(tag)
        if tag == "nav" and names.get("id") == "sidebar" or (tag == "nav" and self._nav_depth):
            self._nav_depth += 1
        if "id" in names:
            self.ids.append(names["id"])
        if tag == "a" and "href" in names:
            self.hrefs.append(names["href"])
            if self._nav_depth:
                self.sidebar_hrefs.append(names["href"])
        if tag == "script" and "src" in names:
            self.assets.append(names["src"])
        if tag == "link" and names.get("rel") == "stylesheet":
            self.assets.append(names["href"])
        if "data-tryit" in names:
            self.tryit = json.loads(names["data-tryit"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site: Path) -> dict[str, _Page]:
    """Every HTML page of the site, by path relative to the site root."""
    return {p.relative_to(site).as_posix(): _parse(p) for p in sorted(site.rglob("*.html"))}


def _operations(page: _Page) -> list[str]:
    return [i for i in page.ids if re.fullmatch(r"operation/[^/]+", i)]


def _resolve(source: str, href: str) -> str:
    """The site-relative path ``href`` points at from the page ``source``."""
    parts: list[str] = []
    for part in (PurePosixPath(source).parent / href).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _weight(site: Path, page: str, parsed: _Page) -> int:
    """What a browser loads with the page: the HTML, its stylesheet and scripts."""
    assets = {_resolve(page, src) for src in parsed.assets}
    return (site / page).stat().st_size + sum((site / a).stat().st_size for a in assets)


@pytest.fixture(scope="module")
def pages(split_site: Path) -> dict[str, _Page]:
    return _pages(split_site)


def test_large_api_is_split_into_index_tag_and_schema_pages(pages: dict[str, _Page]) -> None:
    files = {path.removeprefix(f"{API}/") for path in pages if path.startswith(f"{API}/")}
    assert "index.html" in files
    tag_pages = [f for f in files if f.startswith("tag-")]
    assert len(tag_pages) >= 3  # three tags, the first in two parts
    assert any(f.startswith("schemas-") for f in files)
    assert _operations(pages[f"{API}/index.html"]) == []


def test_each_operation_is_on_exactly_one_page(pages: dict[str, _Page]) -> None:
    seen: dict[str, str] = {}
    for path, page in pages.items():
        found = _operations(page)
        assert len(found) <= PAGE_OPERATIONS, path
        assert len(set(page.ids)) == len(page.ids), f"duplicate ids on {path}"
        for anchor in found:
            assert anchor not in seen, (anchor, path, seen.get(anchor))
            seen[anchor] = path
    assert len(seen) == 148  # 37 resources of 4 operations


def test_every_link_resolves_to_an_id_on_its_page(
    pages: dict[str, _Page], split_site: Path
) -> None:
    checked = 0
    for path, page in pages.items():
        for href in page.hrefs:
            if urlsplit(href).scheme:
                continue
            target, fragment = urldefrag(href)
            target_path = _resolve(path, target) if target else path
            if target_path.endswith((".yaml", ".json")):  # the contract downloads
                assert (split_site / target_path).is_file(), f"{path}: {href} names no file"
                continue
            assert target_path in pages, f"{path}: {href} names no page"
            if fragment:
                assert unquote(fragment) in pages[target_path].ids, f"{path}: broken {href}"
                checked += 1
    assert checked > 1000


def test_sidebar_and_tryit_hold_only_the_current_page(pages: dict[str, _Page]) -> None:
    for path, page in pages.items():
        if not path.startswith(f"{API}/tag-"):
            assert page.tryit is None, path
            continue
        operations = _operations(page)
        sidebar_ops = [h for h in page.sidebar_hrefs if "#operation/" in h]
        assert sorted(h.removeprefix("#") for h in sidebar_ops) == sorted(operations), path
        assert page.tryit is not None
        assert sorted(f"operation/{op}" for op in page.tryit["ops"]) == sorted(operations)


def test_search_index_is_loaded_lazily_and_points_at_pages(
    split_site: Path, pages: dict[str, _Page]
) -> None:
    for path, page in pages.items():
        assert not any("search-" in src for src in page.assets), path
    text = (split_site / "assets" / f"search-{API}.js").read_text(encoding="utf-8")
    entries = json.loads(text[text.index("(", text.index("push")) + 1 : text.rindex(")")])[
        "entries"
    ]
    assert {kind for kind, *_ in entries} >= {"operation", "parameter", "schema", "field"}
    for _kind, _name, _detail, href in entries:
        target, fragment = urldefrag(href)
        assert target in pages and target != f"{API}/index.html", href
        assert unquote(fragment) in pages[target].ids, href


def test_heaviest_page_does_not_grow_with_the_api(
    tmp_path: Path, render_synthetic: Callable[..., Path]
) -> None:
    heaviest = {}
    for operations in (150, 300):
        site = render_synthetic(tmp_path / str(operations), operations)
        heaviest[operations] = max(_weight(site, path, page) for path, page in _pages(site).items())
    assert heaviest[300] < 1.1 * heaviest[150], heaviest
    assert heaviest[300] < 400_000, heaviest


def test_small_apis_stay_one_page(bundled_specs: dict[str, dict[str, Any]]) -> None:
    for name, spec in bundled_specs.items():
        plan = plan_api(build_view(name, spec))
        assert not plan.split and [p.file for p in plan.pages] == ["index.html"]
        assert plan.href("schema/User", "index.html") == "#schema/User"


def test_hostile_spec_split_into_pages_stays_inert(
    tmp_path: Path, xss_spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages_module, "PAGE_OPERATIONS", 1)
    monkeypatch.setattr(pages_module, "PAGE_SCHEMA_NODES", 5)
    render_site({"hostile": xss_spec}, tmp_path)
    files = sorted((tmp_path / "hostile").glob("*.html"))
    assert len(files) > 3
    parsed = _pages(tmp_path)
    for path, page in parsed.items():
        assert "window.__xss" in (tmp_path / path).read_text(encoding="utf-8")  # shown as text
        assert page.unsafe == [], path
        assert all(src.startswith(("../assets/", "assets/")) for src in page.assets), path
        for href in page.hrefs:
            assert not href.lower().startswith(("javascript:", "data:", "vbscript:")), href
            target, fragment = urldefrag(href)
            if not urlsplit(href).scheme and fragment:
                target_path = _resolve(path, target) if target else path
                assert unquote(fragment) in parsed[target_path].ids, (path, href)


def test_links_written_in_descriptions_follow_their_target_page(
    tmp_path: Path, bundled_specs: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages_module, "PAGE_OPERATIONS", 1)
    spec = json.loads(json.dumps(bundled_specs["cloud-elements"]))
    get_user = spec["paths"]["/users/{emailOrId}"]["get"]
    get_user["description"] += "\n\nSee [the account list](#operation/listAccountUsers)."
    render_site({"ce": spec}, tmp_path)
    parsed = _pages(tmp_path)
    source = next(path for path, page in parsed.items() if "operation/getUser" in page.ids)
    target = next(path for path, page in parsed.items() if "operation/listAccountUsers" in page.ids)
    assert source != target
    expected = f"{PurePosixPath(target).name}#operation/listAccountUsers"
    assert expected in parsed[source].hrefs, sorted(h for h in parsed[source].hrefs if "list" in h)
    assert "#operation/listAccountUsers" not in parsed[source].hrefs


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    yield ctx
    ctx.close()


@pytest.mark.browser
def test_browse_a_split_api(context: Any, split_url: str) -> None:
    page = context.new_page()
    problems = PageProblems(page, split_url)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(split_url + f"{API}/index.html", wait_until="load")
    assert page.evaluate("typeof window.USERSAPI_SEARCH") == "undefined"
    # The contents link to an operation on a later page; its console has its data there.
    page.locator("#contents a[href$='#operation/deleteThing36']").click()
    page.wait_for_url("**/tag-things-3-1.html#operation/deleteThing36")
    assert page.locator("[id='operation/deleteThing36']").is_visible()
    assert page.locator("details.tryit[data-op='deleteThing36']").is_visible()
    # Its schema link leads to the schemas page.
    page.locator("[id='operation/getThing36'] a.type.ref").first.click()
    page.wait_for_url("**/schemas-*.html#schema/Thing36")
    assert page.locator("[id='schema/Thing36']").is_visible()
    # Search loads the index on first use and finds an operation on another page.
    assert not any("search-" in url for url in requested)
    page.fill("#search-input", "createThing0")
    result = page.locator("#search-results a", has_text="createThing0").first
    result.wait_for(timeout=5000)
    assert any(url.endswith(f"assets/search-{API}.js") for url in requested)
    result.click()
    page.wait_for_url("**/tag-things-1-1.html#operation/createThing0")
    assert page.locator("[id='operation/createThing0']").is_visible()
    page.wait_for_load_state("networkidle")  # every request and script done, no fixed sleep
    assert problems.items == []


@pytest.mark.browser
def test_lazy_search_works_from_file_urls(context: Any, split_site: Path) -> None:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((split_site / API / "index.html").as_uri())
    page.fill("#search-input", "getThing20")
    page.locator("#search-results a", has_text="getThing20").first.click()
    page.wait_for_url("**/tag-things-2-1.html#operation/getThing20")
    assert errors == []


@pytest.mark.browser
def test_split_pages_fit_375_pixels(browser: Any, split_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, color_scheme="dark")
    try:
        page = ctx.new_page()
        for path in ("index.html", "schemas-1.html", "tag-things-1-2.html"):
            page.goto(split_url + f"{API}/{path}")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            widths = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert widths[0] <= widths[1], (path, widths)
        page.click("#nav-toggle")
        assert page.locator("#sidebar a[aria-current='page']").is_visible()
    finally:
        ctx.close()


def test_pages_shared_with_helper_processes_are_the_same_bytes(
    tmp_path: Path, bundled_specs: dict[str, dict[str, Any]]
) -> None:
    """render_site's processes share the API pages with forked helpers: the site and its
    figures are what one process writes, for a split API and for the real contracts."""
    root = write_synthetic_spec(tmp_path / "spec", 150, 3)
    synthetic = {API: bundle_file(root, tmp_path / "spec").document}
    for name, specs in (("split", synthetic), ("real", bundled_specs)):
        alone = render_site(specs, tmp_path / name / "alone")
        shared = render_site(specs, tmp_path / name / "shared", processes=3)
        assert (shared.pages, shared.files, shared.bytes) == (alone.pages, alone.files, alone.bytes)
        written = {
            path.relative_to(tmp_path / name / "alone"): path.read_bytes()
            for path in (tmp_path / name / "alone").rglob("*")
            if path.is_file()
        }
        assert written == {
            path.relative_to(tmp_path / name / "shared"): path.read_bytes()
            for path in (tmp_path / name / "shared").rglob("*")
            if path.is_file()
        }
