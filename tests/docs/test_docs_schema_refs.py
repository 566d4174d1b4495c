"""Named schemas are drawn once, in the Schemas section; operations link to them (issue 3)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from generator.docs import SiteStats, render_site
from generator.openapi.bundle import bundle_file

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic import write_synthetic_spec  # noqa: E402


def _page(site: Path, api: str) -> str:
    return (site / api / "index.html").read_text(encoding="utf-8")


def test_component_descriptions_appear_once(
    real_site: tuple[Path, SiteStats], bundled_specs: dict[str, dict[str, Any]]
) -> None:
    checked = 0
    for name, spec in bundled_specs.items():
        html = _page(real_site[0], name)
        for schema_name, schema in spec["components"]["schemas"].items():
            # The plain start of its first line (before any markdown or escaped character).
            first_line = str(schema.get("description") or "").split("\n")[0]
            plain = re.split(r"[`*_\"'&<>\[]", first_line)[0].strip()
            if len(plain) > 25:
                assert html.count(plain) == 1, (name, schema_name)
                checked += 1
    assert checked >= 5


def test_named_bodies_link_their_schema_and_fields(real_site: tuple[Path, SiteStats]) -> None:
    html = _page(real_site[0], "cloud-elements")
    ids = set(re.findall(r' id="([^"]+)"', html))
    start = html.index('id="operation/getUser"')
    operation = html[start : html.index('<aside class="op-aside"', start)]
    assert '<a class="type ref" href="#schema/User">User</a>' in operation
    fields = re.findall(r'<p class="preview">.*?</p>', operation)
    assert fields, "no field preview for the User body"
    targets = re.findall(r'href="#([^"]+)"', fields[0])
    assert "schema/User/email" in targets and all(t in ids for t in targets)
    assert '<code class="fname">email</code>' not in operation  # the full tree is not repeated


def test_site_weight_grows_linearly(tmp_path: Path) -> None:
    """All the API's pages together (large APIs are split, see test_docs_pages.py)."""
    sizes = {}
    for operations in (100, 400):
        folder = tmp_path / f"spec-{operations}"
        root = write_synthetic_spec(folder, operations)
        document = bundle_file(root, folder).document
        render_site({"synthetic": document}, tmp_path / f"site-{operations}")
        pages = (tmp_path / f"site-{operations}" / "synthetic").glob("*.html")
        sizes[operations] = sum(page.stat().st_size for page in pages)
    assert 3.6 < sizes[400] / sizes[100] < 4.2, sizes


def test_preview_legend_and_parameter_examples_shown_once(tmp_path: Path) -> None:
    """The "(* required)" legend only when a previewed field is required; a parameter's own
    example only when its schema's facts do not already show one."""

    def body(name: str) -> dict[str, Any]:
        return {
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}
        }

    def param(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "in": "query", "schema": schema, "example": f"own-{name}"}

    operation = {
        "operationId": "op",
        "parameters": [param("plain", {"type": "string"}), param("shown", {"examples": ["s"]})],
        "requestBody": body("Strict"),
        "responses": {"200": {"description": "ok", **body("Loose")}},
    }
    schemas = {
        "Strict": {"required": ["a"], "properties": {"a": {"type": "string"}}},
        "Loose": {"properties": {"b": {"type": "string"}}},
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"post": operation}},
        "components": {"schemas": schemas},
    }
    render_site({"t": document}, tmp_path)
    html = _page(tmp_path, "t")
    previews = re.findall(r'<p class="preview">.*?</p>', html)
    assert ["(* required)" in preview for preview in previews] == [True, False]
    start = html.index('id="operation/op"')
    parameters = html[start : html.index("<h4>Request body", start)]
    assert "own-plain" in parameters and "own-shown" not in parameters
