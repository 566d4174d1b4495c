"""The docs' try-it console in Chromium, with the page and its calls going through
`usersapi proxy` to the reference server: no violation, and the console's answers are the bytes
the server gives the same call made directly."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_harness import RunningServer, running_server

from generator.docs import render_site
from generator.proxy.serve import proxying

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, bundled_specs: dict[str, Any]
) -> Iterator[RunningServer]:
    site: Path = tmp_path_factory.mktemp("proxied-site")
    render_site(bundled_specs, site)
    with running_server(docs_dir=site) as server:
        yield server


def _open(page: Any, operation_id: str) -> Any:
    block = page.locator(f"details.tryit[data-op='{operation_id}']")
    block.locator("summary").click()
    block.locator("form").wait_for()
    auth = block.locator("input.tryit-auth")
    page.wait_for_function("el => el.value.length > 0", arg=auth.element_handle(), timeout=5000)
    return block


def test_console_through_the_proxy(browser: Any, served: RunningServer) -> None:
    creds = served.credentials["cloud-elements"]
    email = f"proxied.{time.time_ns()}@acme.example"
    lines: list[str] = []
    with proxying("cloud-elements", served.base_url, lines.append) as (origin, session):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()
            # The page itself comes through the proxy: its console calls the proxy's origin.
            page.goto(origin + "/docs/cloud-elements/index.html#operation/createAccountUser")
            create = _open(page, "createAccountUser")
            create.locator("input[name='id']").fill(str(creds["default_account_id"]))
            body = create.locator("textarea")
            body.fill(body.input_value().replace("firstlast@cloud-elements.com", email))
            create.locator("button.tryit-send").click()
            create.locator(".tryit-status").wait_for()
            assert create.locator(".tryit-status").inner_text().startswith("200")

            listing = _open(page, "listUsers")
            listing.locator("input[name='where']").fill(f"email = '{email}'")
            with page.expect_response(lambda r: "/elements/api-v2/users?" in r.url) as answer:
                listing.locator("button.tryit-send").click()
            through = answer.value
            assert through.status == 200 and email in through.text()
            query = through.url.split("?", 1)[1]
            direct = httpx.get(
                f"{served.base_url}/elements/api-v2/users?{query}",
                headers={"Authorization": creds["Authorization"]},
            )
            assert through.body() == direct.content
        finally:
            context.close()
        assert session.wait_settled()
    assert [line for line in lines if line.startswith("VIOLATION")] == []
    result = session.result
    assert result.operations["POST /accounts/{id}/users"].status_codes == {"200": 1}
    assert result.operations["GET /users"].status_codes == {"200": 1}
    assert session.outside > 0  # the page and its assets: forwarded, not judged
