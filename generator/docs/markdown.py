"""Spec descriptions (CommonMark) -> safe HTML: raw HTML off, links allow-listed, no images."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markupsafe import Markup

from generator.docs.highlight import highlight_code

SEED_DECISION = re.compile(r"^Seed decision (D-[A-Z]+-\d+):")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_FOCUSABLE_PRE = '<pre tabindex="0" role="group" aria-label="Code block">'
_TABLE_OPEN = '<div class="table-wrap" tabindex="0" role="group" aria-label="Table"><table>'


def is_safe_url(url: str) -> bool:
    """Relative URLs and http(s)/mailto only: javascript:, data:, vbscript:, file: are refused."""
    cleaned = "".join(ch for ch in url if ch > " ").lower()
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1) in SAFE_SCHEMES


def _validate_link(url: str) -> bool:
    # Stricter than markdown-it's default, which still lets data:image/... through.
    return is_safe_url(url)


def _highlight_fence(code: str, language: str, _attrs: Any) -> str:
    highlighted = highlight_code(code, language.split()[0] if language else "")
    # An empty string makes markdown-it escape the code itself.
    return str(highlighted) if highlighted is not None else ""


def _mark_seed_decisions(state: StateCore) -> None:
    """Give paragraphs opening with **Seed decision D-XX-NN:** a class, for a callout."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type != "paragraph_open":
            continue
        # markdown-it-py may open an inline run with an empty text token.
        children = [c for c in tokens[index + 1].children or [] if c.type != "text" or c.content]
        if (
            len(children) >= 2
            and children[0].type == "strong_open"
            and SEED_DECISION.match(children[1].content)
        ):
            token.attrSet("class", "seed-decision")


def _empty_header_cells_as_data(state: StateCore) -> None:
    """A table's empty corner cell (`| | v1 | v2 |`) heads nothing: a <td>, not an empty <th>."""
    tokens = state.tokens
    for index in range(len(tokens) - 2):
        opening, inline, closing = tokens[index : index + 3]
        if opening.type == "th_open" and closing.type == "th_close" and not inline.content.strip():
            opening.tag = closing.tag = "td"


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    # Images would fetch from any host the spec names; the site makes no outside requests.
    md.disable("image")
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.options["highlight"] = _highlight_fence
    md.core.ruler.push("seed_decisions", _mark_seed_decisions)
    md.core.ruler.push("empty_header_cells", _empty_header_cells_as_data)
    return md


_MD = _build()


# Characters that can mean something inline in CommonMark and the rules enabled here (escapes,
# code, emphasis, strikethrough, links and images, autolinks, entities) or that markdown-it
# rewrites (CR, NUL), and the other control characters. A table needs a line of dashes.
_MARKUP = re.compile(r"[\\`*_~\[\]<>&\x00-\x09\x0b-\x1f\x7f]")


_LINE_BREAK = "\n"  # markdown-it keeps a soft line break as it is


def _plain_paragraphs(text: str) -> str | None:
    """The HTML of a description that is only sentences, as markdown-it renders it, or None.

    Sentences: none of the characters of _MARKUP, and every line starts with a letter (no
    block starts there: list, heading, quote, fence, indented code, table, setext underline)
    and ends with no space (no hard break). Many descriptions are so (two in five of the real
    contracts', every operation's in a generated one), and this takes a small fraction of
    markdown-it's parse; tests hold the two to the same HTML.
    """
    if _MARKUP.search(text):
        return None
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if not line[0].isalpha() or line[-1].isspace():
            return None
        paragraphs[-1].append(line)
    return "".join(
        f"<p>{escapeHtml(_LINE_BREAK.join(lines))}</p>\n" for lines in paragraphs if lines
    )


@lru_cache(maxsize=8192)
def render_markdown(text: str) -> Markup:
    if not text:
        return Markup("")
    plain = _plain_paragraphs(text)
    if plain is not None:
        return Markup(plain)  # escapeHtml as markdown-it's own text
    # markdown-it escapes all text and drops raw HTML (html=False), so its output is markup,
    # and "<pre>" or "<table>" in it can only be its own: made focusable (a table through a
    # wrapper, which keeps its table semantics) so keyboards can scroll them.
    html = _MD.render(text).replace("<pre>", _FOCUSABLE_PRE)
    return Markup(html.replace("<table>", _TABLE_OPEN).replace("</table>", "</table></div>"))


@lru_cache(maxsize=8192)
def render_inline(text: str) -> Markup:
    """One-line Markdown (summaries, table cells) without a wrapping paragraph."""
    if not text:
        return Markup("")
    return Markup(_MD.renderInline(text))


def plain_text(text: str) -> str:
    """Markdown source stripped to words, for the search index."""
    return re.sub(r"[`*_#>\[\]]", "", text)
