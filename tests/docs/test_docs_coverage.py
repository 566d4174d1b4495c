"""Contract coverage on the docs site: a figure beside each API's conformance badge, and per
operation the declared statuses with the ones traffic showed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.conformance.coverage import contract_coverage
from generator.conformance.results import OperationStats, SuiteResult
from generator.conformance.runner import declared_operations
from generator.docs import render_site
from generator.docs.conformance_view import api_status


def _report(spec: dict[str, Any]) -> dict[str, Any]:
    result = SuiteResult(
        "tyk-dashboard", "http://127.0.0.1:9", "2026-12-01T10:00:00+00:00", 1, 5, 1
    )
    for declared in declared_operations(spec):  # every operation is listed, as in a real run
        result.operations[declared.label] = declared
    listing = OperationStats("listUsers", "GET", "/api/users", cases=3)
    listing.status_codes.update({"200": 2, "404": 1})
    creating = OperationStats("createUser", "POST", "/api/users", cases=1)
    creating.status_codes.update({"201": 1})
    for op in (listing, creating):
        result.operations[op.label] = op
    result.coverage = contract_coverage(spec, result)
    return result.to_json()


def test_coverage_figure_and_observed_statuses(tmp_path: Path, bundled_specs: dict) -> None:
    report = _report(bundled_specs["tyk-dashboard"])
    percent = report["coverage"]["totals"]["percent"]
    render_site(bundled_specs, tmp_path, conformance={"tyk-dashboard": report})
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"contract coverage {percent:.1f}%" in index
    page = (tmp_path / "tyk-dashboard" / "index.html").read_text(encoding="utf-8")
    assert f"· contract coverage {percent:.1f}%" in page
    listing = page.split('id="operation/listUsers"', 1)[1].split('<section class="op', 1)[0]
    declared = report["coverage"]["operations"][0]["statuses"]
    assert declared["seen"] == ["200", "404"]
    shown = ", ".join(f"<code>{code}</code>" for code in declared["not_seen"])
    assert (
        f"Declared statuses observed: <code>200</code>, <code>404</code>; not observed: {shown}."
        in listing
    )
    creating = page.split('id="operation/createUser"', 1)[1].split('<section class="op', 1)[0]
    assert "undeclared statuses answered: <code>201</code>" in creating
    deleting = page.split('id="operation/deleteUser"', 1)[1].split('<section class="op', 1)[0]
    assert "Declared statuses observed: none; not observed:" in deleting
    # Without coverage in the report (an older result.json): no figure, nothing else changes.
    del report["coverage"]
    render_site(bundled_specs, tmp_path / "old", conformance={"tyk-dashboard": report})
    assert "contract coverage" not in (tmp_path / "old" / "index.html").read_text(encoding="utf-8")


def test_malformed_or_hostile_coverage_is_harmless() -> None:
    hostile = {
        "api": "tyk-dashboard",
        "coverage": {
            "totals": {"percent": "<script>"},
            "operations": [{"operationId": "listUsers", "statuses": {"seen": ["<b>200</b>", {}]}}],
        },
    }
    status = api_status(hostile)
    assert status is not None and status.coverage_percent is None
    assert status.statuses("listUsers").seen == ("<b>200</b>",)  # text, escaped by the templates
    for broken in ("a string", [], {"totals": None, "operations": "x"}):
        assert api_status({"api": "x", "coverage": broken}).coverage_percent is None
