"""The docs as `make serve` serves them: the server's root, the favicon, a clean load in
Chromium (no console error, no failed request) and the contract downloads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from page_problems import PageProblems
from server_harness import RunningServer, running_server
from test_docs_downloads import bundle_output

from generator.docs import render_site
from generator.docs.downloads import contract_files
from generator.openapi.apis import API_NAMES


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, bundled_specs: dict[str, dict[str, Any]]
) -> Iterator[RunningServer]:
    site = tmp_path_factory.mktemp("served-docs")
    render_site(bundled_specs, site)
    with running_server(docs_dir=site) as server:
        yield server


def test_root_sends_a_browser_to_the_docs(served: RunningServer) -> None:
    response = httpx.get(served.base_url + "/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/docs/"
    assert httpx.get(served.base_url + "/", follow_redirects=True).url.path == "/docs/"


def test_root_without_docs_lists_the_apis(bundled_specs: dict[str, dict[str, Any]]) -> None:
    with running_server(demo=False) as server:
        response = httpx.get(server.base_url + "/")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        apis = {api["name"]: api for api in response.json()["apis"]}
        assert sorted(apis) == sorted(API_NAMES)
        assert apis["cloud-elements"]["base_url"] == server.elements_url
        assert apis["tyk-dashboard"]["base_url"] == server.base_url
        for name, api in apis.items():
            info = bundled_specs[name]["info"]
            assert (api["title"], api["version"]) == (info["title"], info["version"])
        # Each base URL is that API's: an unauthenticated call answers in its own error format.
        elements = httpx.get(apis["cloud-elements"]["base_url"] + "/users")
        assert elements.status_code == 401 and "requestId" in elements.json()
        tyk = httpx.get(apis["tyk-dashboard"]["base_url"] + "/api/users")
        assert tyk.status_code == 401 and "Status" in tyk.json()


def test_favicon_is_served(served: RunningServer) -> None:
    for path in ("/favicon.ico", "/docs/assets/favicon.svg"):
        response = httpx.get(served.base_url + path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.content.startswith(b"<svg")


@pytest.mark.browser
def test_pages_load_without_console_errors_or_failed_requests(
    browser: Any, served: RunningServer
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        problems = PageProblems(page, served.base_url)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(served.base_url + "/", wait_until="networkidle")  # the address serve prints
        assert page.url == served.base_url + "/docs/"
        for api in API_NAMES:
            page.goto(served.base_url + f"/docs/{api}/index.html", wait_until="networkidle")
            page.locator("details.tryit summary").first.click()
            page.locator("details.tryit.tryit-demo").first.wait_for()
        # The browser asks for the site's icon by itself: it is the page's own, and it loads.
        assert served.base_url + "/docs/assets/favicon.svg" in requested
        assert problems.items == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("fmt", ["YAML", "JSON"])
def test_downloaded_contract_is_the_bundle(
    browser: Any,
    served: RunningServer,
    bundled_specs: dict[str, dict[str, Any]],
    tmp_path: Path,
    fmt: str,
) -> None:
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(served.base_url + "/docs/cloud-elements/index.html")
        with page.expect_download() as info:
            page.locator(".nav-download a", has_text=fmt).click()
        download = info.value
        files = contract_files("cloud-elements", bundled_specs["cloud-elements"]["info"]["version"])
        assert download.suggested_filename == (files.yaml if fmt == "YAML" else files.json)
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.read_bytes() == bundle_output(
            "cloud-elements", tmp_path / f"cli.{fmt.lower()}"
        )
    finally:
        context.close()
