"""Print a diff: text for people, json for tools, a markdown changelog.

GitHub annotations are made by ``generator.annotations``, like those of validate and test.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from generator.diff.findings import Change, grouped_by_operation
from generator.diff.report import DiffResult
from generator.diff.sources import Side


def _side(side: Side) -> str:
    version = side.version or "no version"
    return side.label if version in side.label else f"{side.label} ({version})"


def _title(result: DiffResult) -> str:
    return f"{result.api}: {_side(result.base)} -> {_side(result.head)}"


def summary(result: DiffResult) -> str:
    counts = ", ".join(f"{result.count(s)} {s}" for s in ("breaking", "warning", "info"))
    failing = len(result.failing)
    verdict = (
        f"{failing} breaking change(s) not accepted" if failing else "no unaccepted breaking change"
    )
    return f"{counts}; {verdict}"


def _accepted(change: Change) -> str:
    return f" [accepted: {change.accepted_by}]" if change.accepted_by else ""


def _reaches(change: Change) -> str:
    """A shared change's operations, after its one line."""
    if not change.operations:
        return ""
    return f" in {len(change.operations)} operations: {change.where}"


def format_text(result: DiffResult) -> str:
    lines = [_title(result)]
    for c in result.changes:
        where = f" {c.operation}" if c.operation else ""
        text = f"{c.severity} {c.rule}:{where} {c.message} ({c.pointer}){_reaches(c)}"
        lines.append(f"{c.file}:{c.line}: {text}{_accepted(c)}")
    lines.append(summary(result))
    return "\n".join(lines)


def format_json(result: DiffResult) -> str:
    data = {
        "api": result.api,
        "base": {"source": result.base.label, "version": result.base.version},
        "head": {"source": result.head.label, "version": result.head.version},
        "changes": [c.as_dict() for c in result.changes],
        "failing": len(result.failing),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _markdown_text(text: str) -> str:
    """Spec text in a Markdown line: its own markup shown as written."""
    out = text.replace("\\", "\\\\")
    for char in "`*[]<":  # code, emphasis, links and HTML; the rest renders as written
        out = out.replace(char, "\\" + char)
    return out


def format_markdown(result: DiffResult) -> str:
    """A changelog grouped by operation, ready for a pull request or a release note."""
    lines = [f"## {_markdown_text(_title(result))}", "", _markdown_text(summary(result)), ""]
    if not result.changes:
        lines.append("No changes.")
    for heading, changes in grouped_by_operation(result.changes):
        operation_id = next((c.operation_id for c in changes if c.operation_id), "")
        suffix = f" (`{operation_id}`)" if operation_id else ""
        lines.append(f"### {_markdown_text(heading)}{suffix}")
        lines.append("")
        for c in changes:
            accepted = f" — accepted: {_markdown_text(c.accepted_by)}" if c.accepted_by else ""
            reaches = _markdown_text(_reaches(c))
            lines.append(
                f"- **{c.severity}** `{c.rule}`: {_markdown_text(c.message)}{reaches}{accepted}"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


FORMATS: dict[str, Callable[[DiffResult], str]] = {
    "text": format_text,
    "markdown": format_markdown,
    "json": format_json,
}
