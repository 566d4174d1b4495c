"""The decision records, for contract authors: `docs/seed-decisions.md` as a page of the site.

Only `usersapi docs --decisions FILE` adds it; the public site stays as it is. Each record's row
gets an anchor, and what carries an id in `x-decisions` (an operation, a named schema) links to
its row in a small note under its description.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from .markdown import render_markdown

DECISIONS_PAGE = "decisions.html"
_ROW = re.compile(r"<tr>\n<td>(D-[A-Z]+-\d+)</td>")
# A relative link of the record points into the checkout (`seeds/`), which the site has not.
_LOCAL_LINK = re.compile(r'<a href="(?![a-z]+:|#)[^"]*">(.*?)</a>', re.DOTALL)


def decision_anchor(decision_id: str) -> str:
    return f"decision/{decision_id}"


def decisions_html(record: Path) -> Markup:
    """The record rendered: each decision's row is the target of its anchor."""
    html = str(render_markdown(record.read_text(encoding="utf-8")))
    html = _LOCAL_LINK.sub(r"\1", html)
    return Markup(
        _ROW.sub(lambda m: f'<tr id="{decision_anchor(m.group(1))}">\n<td>{m.group(1)}</td>', html)
    )


def decision_ids(raw: object) -> list[str]:
    """The ids of an `x-decisions` list (anything else carries none)."""
    if not isinstance(raw, dict):
        return []
    ids = raw.get("x-decisions")
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
