"""The docs' Changes page: newest first, entries linked to their operation, spec text escaped."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from generator.cli import cli
from generator.diff.changelog import Point, changelog
from generator.docs.render import render_site
from generator.openapi.bundle import dump_document

HOSTILE = '<img src=x onerror="window.__xss=1">'


def _version(
    number: str, *, hostile_value: bool = False, with_delete: bool = True
) -> dict[str, Any]:
    role = {"type": "string", "enum": ["admin", "user"]}
    if hostile_value:
        role["enum"] = ["admin", HOSTILE]
    paths: dict[str, Any] = {
        "/users": {
            "post": {
                "operationId": "createUser",
                "summary": "Create a user",
                "tags": ["users"],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"role": role}}
                        }
                    }
                },
                "responses": {"201": {"description": "Created."}},
            }
        }
    }
    if with_delete:
        paths["/users/{id}"] = {
            "delete": {
                "operationId": "deleteUser",
                "summary": "Delete a user",
                "tags": ["users"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"204": {"description": "Deleted."}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Users", "version": number},
        "tags": [{"name": "users", "description": "Users."}],
        "paths": paths,
    }


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name == "href"]
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def _site(tmp_path: Path) -> str:
    versions = {
        "1.0.0": _version("1.0.0"),
        "1.1.0": _version("1.1.0", hostile_value=True),
        "2.0.0": _version("2.0.0", hostile_value=True, with_delete=False),
    }
    points = []
    for number, document in versions.items():
        dump_document(document, tmp_path / f"{number}.yaml")
        points.append(Point(number, str(tmp_path / f"{number}.yaml")))
    sections = changelog("users", points, working_tree=False)
    render_site(
        {"users": copy.deepcopy(versions["2.0.0"])}, tmp_path / "site", changes={"users": sections}
    )
    return (tmp_path / "site" / "users" / "changes.html").read_text(encoding="utf-8")


def test_sections_newest_first_with_links_to_operations(tmp_path: Path) -> None:
    html = _site(tmp_path)
    titles = re.findall(r"<h2>([^<]*) <span", html)
    assert titles == ["2.0.0", "1.1.0"]
    assert html.index("since 1.1.0") < html.index("since 1.0.0")
    page = _Page()
    page.feed(html)
    # createUser is still in the API: linked; deleteUser was removed: named, not linked.
    assert "index.html#operation/createUser" in page.links
    assert not any("deleteUser" in link for link in page.links)
    assert "DELETE /users/{id}" in html and "api-path-removed-without-deprecation" in html
    assert "request-property-enum-value-removed" in html


def test_spec_text_on_the_page_is_escaped(tmp_path: Path) -> None:
    html = _site(tmp_path)
    page = _Page()
    page.feed(html)
    assert "img" not in page.tags and page.handlers == []
    assert "&lt;img src=x onerror=" in html


def test_the_api_pages_link_to_the_changes_page(tmp_path: Path) -> None:
    _site(tmp_path)
    index = (tmp_path / "site" / "users" / "index.html").read_text(encoding="utf-8")
    assert '<a href="changes.html">Changes</a>' in index


def test_docs_command_changes_since_an_unknown_revision_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["docs", "-o", str(tmp_path / "site"), "--changes-since", "no-such-rev-4b1d"]
    )
    assert result.exit_code == 2
    assert (
        "no Changes page: 'no-such-rev-4b1d' is neither a file nor a git revision" in result.output
    )
    assert "Traceback" not in result.output


def _shared_role_version(number: str, roles: list[str]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Role"}}}}
    operation = {
        "tags": ["users"],
        "requestBody": body,
        "responses": {"204": {"description": "Done."}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Users", "version": number},
        "tags": [{"name": "users", "description": "Users."}],
        "paths": {
            "/roles": {"post": {**operation, "operationId": "setRole", "summary": "Set a role"}},
            "/roles/default": {
                "put": {**operation, "operationId": "setDefaultRole", "summary": "Set the default"}
            },
        },
        "components": {"schemas": {"Role": {"type": "string", "enum": roles}}},
    }


def test_a_shared_change_is_listed_once_linked_to_each_operation(tmp_path: Path) -> None:
    versions = {"1.0.0": ["admin", "user"], "2.0.0": ["admin"]}
    points = []
    for number, roles in versions.items():
        dump_document(_shared_role_version(number, roles), tmp_path / f"{number}.yaml")
        points.append(Point(number, str(tmp_path / f"{number}.yaml")))
    sections = changelog("users", points, working_tree=False)
    render_site(
        {"users": _shared_role_version("2.0.0", ["admin"])},
        tmp_path / "site",
        changes={"users": sections},
    )
    html = (tmp_path / "site" / "users" / "changes.html").read_text(encoding="utf-8")
    assert html.count("request-body-enum-value-removed") == 1
    assert "<h3>Shared components</h3>" in html
    page = _Page()
    page.feed(html)
    assert "index.html#operation/setRole" in page.links
    assert "index.html#operation/setDefaultRole" in page.links
