"""Conformance results on the pages: badge, per-operation status, escaped failures; try-it data."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from generator.docs import render_site
from generator.docs.conformance_view import api_status
from generator.docs.tryit import local_base

HOSTILE_CURL = "curl -X GET 'http://127.0.0.1:9/api/users?x=</pre><script>alert(1)</script>'"


def _check(run: int, failed: int = 0) -> dict[str, int]:
    return {"run": run, "passed": run - failed, "failed": failed}


def _operation(operation_id: str, method: str, path: str, **extra: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "method": method,
        "path": path,
        "cases": 5,
        "positive_cases": 3,
        "positive_2xx": 3,
        "status_classes": {"2xx": 3, "4xx": 2, "5xx": 0},
        "status_codes": {"200": 3, "400": 2},
        "checks": {"not_a_server_error": _check(5), "status_code_conformance": _check(5)},
        "failures": [],
        **extra,
    }


def _result(*operations: dict[str, Any]) -> dict[str, Any]:
    return {
        "api": "tyk-dashboard",
        "base_url": "http://127.0.0.1:18080",
        "timestamp": "2026-01-02T03:04:05+00:00",
        "seed": 7,
        "max_examples": 5,
        "workers": 1,
        "elapsed_seconds": 1.5,
        "ok": False,
        "cases": 10,
        "errors": [],
        "operations": list(operations),
    }


PASSING = _operation("listUsers", "GET", "/api/users")
FAILING = _operation(
    "createUser",
    "POST",
    "/api/users",
    checks={"not_a_server_error": _check(5, failed=1), "content_type_conformance": _check(5)},
    status_classes={"2xx": 3, "4xx": 1, "5xx": 1},
    failures=[
        {
            "check": "not_a_server_error",
            "title": "Server error <b>",
            "message": "500 on <img src=x onerror=alert(1)>",
            "curl": HOSTILE_CURL,
            "occurrences": 2,
        }
    ],
)


def _operation_section(page: str, operation_id: str) -> str:
    start = page.index(f'id="operation/{operation_id}"')
    end = page.find('<section class="op', start)
    return page[start : end if end > 0 else len(page)]


@pytest.fixture(scope="module")
def status_site(tmp_path_factory: pytest.TempPathFactory, bundled_specs: dict) -> Path:
    out = tmp_path_factory.mktemp("status-site")
    render_site(bundled_specs, out, conformance={"tyk-dashboard": _result(PASSING, FAILING)})
    return out


def test_index_badge_shows_failed_run_and_nothing_without_report(status_site: Path) -> None:
    index = (status_site / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", index)
    assert "conformance: failed (1 failure) 2026-01-02T03:04:05+00:00 against" in text
    assert "http://127.0.0.1:18080" in text
    assert text.count("conformance:") == 1  # cloud-elements has no report: no badge


def test_passing_report_gives_a_passed_badge(tmp_path: Path, bundled_specs: dict) -> None:
    result = _result(PASSING)
    result["ok"] = True
    render_site(
        {"tyk-dashboard": bundled_specs["tyk-dashboard"]},
        tmp_path,
        conformance={"tyk-dashboard": result},
    )
    text = re.sub(r"<[^>]+>", "", (tmp_path / "index.html").read_text(encoding="utf-8"))
    assert "conformance: passed 2026-01-02T03:04:05+00:00 against http://127.0.0.1:18080" in text


def test_operation_status_blocks(status_site: Path) -> None:
    page = (status_site / "tyk-dashboard" / "index.html").read_text(encoding="utf-8")
    passing = _operation_section(page, "listUsers")
    assert "Conformance: passed" in passing
    assert "seed 7" in passing and "5 cases" in passing and "2xx 3, 4xx 2, 5xx 0" in passing
    assert "<code>not_a_server_error</code> ×5" in passing
    failing = _operation_section(page, "createUser")
    assert "Conformance: failed" in failing
    assert "2xx 3, 4xx 1, 5xx 1" in failing
    # Passed checks are listed; the failed one is shown with its reproducing curl, escaped.
    assert "<code>content_type_conformance</code> ×5" in failing
    assert "<li><code>not_a_server_error</code>" not in failing
    assert f"<code>{escape(HOSTILE_CURL)}</code></pre>" in failing
    assert "Server error &lt;b&gt;" in failing and "&lt;img src=x" in failing
    uncovered = _operation_section(page, "deleteUser")
    assert "Conformance: not verified" in uncovered


def test_report_text_never_becomes_markup(status_site: Path) -> None:
    for page in status_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>" not in text


def test_pages_without_report_show_no_status(real_site: tuple[Path, Any]) -> None:
    for page in real_site[0].rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Conformance:" not in text and "conformance:" not in text


@pytest.mark.parametrize(
    "broken",
    [
        {"api": "tyk-dashboard"},
        {"api": "tyk-dashboard", "operations": "nope", "errors": [{"x": 1}], "cases": "many"},
        {"api": "tyk-dashboard", "operations": [None, {"checks": [], "failures": {"a": 1}}]},
        {"api": "tyk-dashboard", "operations": [{"operationId": "listUsers", "cases": True}]},
    ],
)
def test_malformed_reports_render_without_errors(
    tmp_path: Path, bundled_specs: dict, broken: dict
) -> None:
    status = api_status(broken)
    assert status is not None
    render_site(
        {"tyk-dashboard": bundled_specs["tyk-dashboard"]},
        tmp_path,
        conformance={"tyk-dashboard": broken},
    )
    page = (tmp_path / "tyk-dashboard" / "index.html").read_text(encoding="utf-8")
    assert "Conformance: not verified" in page


def test_errors_fail_the_run_without_check_failures() -> None:
    result = _result(PASSING)
    result["errors"] = ["fatal: boom"]
    status = api_status(result)
    assert status is not None and not status.ok and status.failures == 0


def test_local_base_prefers_the_loopback_server() -> None:
    assert local_base(["https://api.example.com/v2", "http://127.0.0.1:8080/elements/api-v2"]) == (
        "/elements/api-v2"
    )
    assert local_base(["http://localhost:3000", "http://127.0.0.1:8080"]) == ""
    assert local_base(["/relative/api/", "http://127.0.0.1:8080/x"]) == "/relative/api"
    assert local_base(["https://api.example.com/v2"]) == ""


def _tryit(site: Path, api: str) -> dict[str, Any]:
    page = (site / api / "index.html").read_text(encoding="utf-8")
    found = re.search(r"data-tryit='([^']*)'", page)
    assert found is not None
    return json.loads(html.unescape(found.group(1)))


def test_tryit_data_once_per_page(real_site: tuple[Path, Any]) -> None:
    site = real_site[0]
    data = _tryit(site, "cloud-elements")
    assert data["base"] == "/elements/api-v2"
    create = data["ops"]["createAccountUser"]
    assert create["m"] == "POST" and create["p"] == "/accounts/{id}/users"
    assert ["id", "path", 1, "161268"] in create["params"]
    assert json.loads(create["body"])["email"] == "firstlast@cloud-elements.com"
    assert create["auth"] == ["Authorization"]
    assert "body" not in data["ops"]["listUsers"]
    assert _tryit(site, "tyk-dashboard")["base"] == ""
    page = (site / "cloud-elements" / "index.html").read_text(encoding="utf-8")
    assert page.count("data-tryit=") == 1
    assert page.count('<details class="tryit"') == len(data["ops"])


def test_tryit_data_of_hostile_spec_cannot_break_out(xss_site: Path) -> None:
    page = (xss_site / "hostile" / "index.html").read_text(encoding="utf-8")
    found = re.search(r"data-tryit='([^']*)'", page)
    assert found is not None
    assert not re.search(r"[<>&]", found.group(1))  # tojson escapes them as \\u003c ...
    json.loads(found.group(1))
