"""The try-it console and the conformance status, in Chromium, against the real reference server.

One session: the reference server (demo data) serves the rendered docs; a small real
conformance run against it feeds the status shown on the pages; then the Cloud Elements console
creates a user and finds it again with a `where` filter.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from page_problems import PageProblems
from server_harness import RunningServer, running_server

from generator.conformance.runner import run_suite
from generator.docs import render_site
from generator.openapi.apis import build_dir

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, bundled_specs: dict[str, dict[str, Any]]
) -> Iterator[tuple[RunningServer, dict[str, Any]]]:
    site = tmp_path_factory.mktemp("served-site")
    report = tmp_path_factory.mktemp("report")
    with running_server(docs_dir=site) as server:
        result = run_suite(
            "tyk-dashboard",
            credentials=server.credentials,
            seed=1,
            deterministic=True,
            max_examples=3,
            phases=("fuzzing",),
            operations=("listUsers", "createUser"),
            report_dir=report,
        )
        document = json.loads((report / "result.json").read_text(encoding="utf-8"))
        assert document["ok"], result.errors or result.failures
        # The static mount reads files per request: rendering now is served at once.
        render_site(bundled_specs, site, conformance={"tyk-dashboard": document})
        yield server, document


def _console(page: Any, operation_id: str) -> Any:
    block = page.locator(f"details.tryit[data-op='{operation_id}']")
    block.locator("summary").click()
    block.locator("form").wait_for()
    return block


def _send_and_wait(block: Any) -> str:
    block.locator("button.tryit-send").click()
    status = block.locator(".tryit-status")
    status.wait_for()
    return str(status.inner_text())


def test_status_on_index_and_operation_pages(
    browser: Any, served: tuple[RunningServer, dict[str, Any]]
) -> None:
    server, document = served
    page = browser.new_page()
    try:
        problems = PageProblems(page, server.base_url)
        page.goto(server.base_url + "/docs/")
        badge = page.locator(".verify-badge")
        assert badge.count() == 1
        text = badge.inner_text()
        assert text.startswith(f"conformance: passed {document['timestamp']}")
        assert server.base_url in text
        assert "contract coverage" in text  # how much of the contract that run exercised
        page.locator("a", has_text="Tyk").first.click()
        page.wait_for_url("**/docs/tyk-dashboard/index.html")
        status = page.locator("[id='operation/listUsers'] .verify")
        assert "Conformance: passed" in status.inner_text()
        assert f"seed {document['seed']}" in status.inner_text()
        cases = next(o["cases"] for o in document["operations"] if o["operationId"] == "listUsers")
        assert f"{cases} cases" in status.inner_text()
        uncovered = page.locator("[id='operation/deleteUser'] .verify")
        assert "not verified" in uncovered.inner_text()
        assert problems.items == []
    finally:
        page.close()


def test_console_creates_a_user_and_finds_it(
    browser: Any, served: tuple[RunningServer, dict[str, Any]]
) -> None:
    server, _ = served
    creds = server.credentials["cloud-elements"]
    email = f"tryit.{time.time_ns()}@acme.example"
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        problems = PageProblems(page, server.base_url)
        page.goto(server.base_url + "/docs/cloud-elements/index.html#operation/createAccountUser")
        create = _console(page, "createAccountUser")
        auth = create.locator("input.tryit-auth")
        page.wait_for_function("el => el.value.length > 0", arg=auth.element_handle(), timeout=5000)
        assert auth.input_value() == creds["Authorization"]
        assert create.locator("input[name='base']").input_value() == "/elements/api-v2"
        account = create.locator("input[name='id']")
        assert account.input_value() == "161268"  # the example, until the reader changes it
        account.fill(str(creds["default_account_id"]))
        body = create.locator("textarea")
        assert '"email": "firstlast@cloud-elements.com"' in body.input_value()
        body.fill(body.input_value().replace("firstlast@cloud-elements.com", email))
        assert _send_and_wait(create).startswith("200")
        assert email in create.locator(".tryit-body").inner_text()
        curl = create.locator(".tryit-curl pre").inner_text()
        assert curl.startswith(f"curl -X POST '{server.base_url}/elements/api-v2/accounts/")
        assert email in curl
        assert "ms" in create.locator(".tryit-status").inner_text()

        listing = _console(page, "listUsers")
        page.wait_for_function(
            "el => el.value.length > 0",
            arg=listing.locator("input.tryit-auth").element_handle(),
            timeout=5000,
        )
        listing.locator("input[name='where']").fill(f"email = '{email}'")
        assert _send_and_wait(listing).startswith("200")
        shown = listing.locator(".tryit-body").inner_text()
        assert email in shown and shown.count('"email"') == 1
        headers = listing.locator(".tryit-headers pre").text_content() or ""
        assert "elements-returned-count: 1" in headers.splitlines()
        out = build_dir() / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        create.evaluate("el => el.scrollIntoView()")
        page.screenshot(path=str(out / "tryit.png"))
        assert (out / "tryit.png").stat().st_size > 10_000
        assert problems.items == []
    finally:
        context.close()


def test_static_hosting_keeps_the_page_readable(browser: Any, site_url: str) -> None:
    """Without the reference server the console says how to get one; nothing breaks."""
    page = browser.new_page()
    try:
        page.goto(site_url + "cloud-elements/index.html")
        block = _console(page, "getUser")
        note = block.locator(".tryit-note")
        page.wait_for_function(
            "el => el.textContent.indexOf('usersapi serve --demo') >= 0",
            arg=note.element_handle(),
            timeout=5000,
        )
        assert block.locator("input.tryit-auth").input_value() == ""
    finally:
        page.close()


def test_file_url_shows_only_the_note(browser: Any, real_site: tuple[Path, Any]) -> None:
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((real_site[0] / "cloud-elements" / "index.html").as_uri())
        block = page.locator("details.tryit[data-op='getUser']")
        block.locator("summary").click()
        assert "usersapi serve --demo" in block.locator(".tryit-note").inner_text()
        assert block.locator("form").count() == 0
        assert errors == []
    finally:
        page.close()


def test_no_javascript_no_console(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "cloud-elements/index.html")
        assert page.locator("details.tryit").first.is_hidden()
    finally:
        context.close()


def test_demo_config_holds_only_the_authorization_values(
    served: tuple[RunningServer, dict[str, Any]], tmp_path: Path
) -> None:
    server, _ = served
    response = httpx.get(server.base_url + "/docs/demo-config.json")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        api: {"Authorization": server.credentials[api]["Authorization"]}
        for api in ("cloud-elements", "tyk-dashboard")
    }
    assert server.credentials["cloud-elements"]["password"] not in response.text
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    with running_server(demo=False, docs_dir=tmp_path) as plain:  # no demo data, no route
        assert httpx.get(plain.base_url + "/docs/demo-config.json").status_code == 404
        assert httpx.get(plain.base_url + "/docs/").status_code == 200
