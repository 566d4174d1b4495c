"""The client-side search index of one API: a JS file that works from file:// too.

site.js loads it only when the reader first uses the search box. Each entry's href names the
page that holds its anchor (the API's page plan), relative to the site root.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.docs.pages import ApiPlan, plan_api
from generator.docs.schema_view import SchemaNode
from generator.docs.views import ApiView

# Entry: [kind, name, detail, href relative to the site root].
Entry = list[str]


def _fields(page: str, schema: str, node: SchemaNode, path: tuple[str, ...]) -> list[Entry]:
    """Fields of one schema; ``page`` is the schema's page (its fields live there too)."""
    entries: list[Entry] = []
    for child in (*node.children, *node.variants):
        label = child.label or ""
        inner = (*path, label) if label and not label.startswith("option ") else path
        if child.anchor and label and not label.startswith(("[", "‹")):
            entries.append(["field", label, ".".join((schema, *inner)), f"{page}#{child.anchor}"])
        entries.extend(_fields(page, schema, child, inner))
    return entries


def build_entries(view: ApiView, plan: ApiPlan | None = None) -> list[Entry]:
    plan = plan or plan_api(view)
    entries: list[Entry] = []
    for operation in view.operations:
        page = f"{view.slug}/{plan.page_of(operation.anchor) or 'index.html'}"
        where = f"{operation.method.upper()} {operation.path}"
        entries.append(
            [
                "operation",
                operation.operation_id,
                f"{where} · {operation.summary}",
                f"{page}#{operation.anchor}",
            ]
        )
        for param in operation.parameters:
            detail = f"{param.location} parameter of {operation.operation_id} ({where})"
            entries.append(["parameter", param.name, detail, f"{page}#{param.anchor}"])
        seen: set[str] = set()
        for response in operation.responses:
            for header in response.headers:
                if header.name not in seen:
                    seen.add(header.name)
                    detail = f"response header of {operation.operation_id} ({where})"
                    entries.append(["header", header.name, detail, f"{page}#{response.anchor}"])
    for schema in view.schemas:
        page = f"{view.slug}/{plan.page_of(schema.anchor) or 'index.html'}"
        entries.append(
            ["schema", schema.name, f"schema of {view.title}", f"{page}#{schema.anchor}"]
        )
        entries.extend(_fields(page, schema.name, schema.tree, ()))
    return entries


def write_search_index(view: ApiView, path: Path, plan: ApiPlan | None = None) -> int:
    payload = {"api": view.slug, "title": view.title, "entries": build_entries(view, plan)}
    text = (
        "(window.USERSAPI_SEARCH = window.USERSAPI_SEARCH || []).push("
        + json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        + ");\n"
    )
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))
