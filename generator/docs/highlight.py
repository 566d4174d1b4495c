"""Syntax highlighting at build time with Pygments; its HTML output is escaped token text."""

from __future__ import annotations

import json
from functools import lru_cache
from io import StringIO
from typing import Any

from markupsafe import Markup
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import BashLexer, JavascriptLexer, JsonLexer, PythonLexer, get_lexer_by_name
from pygments.token import Punctuation, Text, Whitespace
from pygments.util import ClassNotFound

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
# Highlighted code sits in <pre class="hl"> (examples, samples) or in Markdown fences (.md pre).
_PREFIXES = [".hl", ".md pre"]

_FORMATTER = HtmlFormatter(nowrap=True)
_LEXERS: dict[str, Lexer] = {
    "json": JsonLexer(),
    "bash": BashLexer(),
    "python": PythonLexer(),
    "javascript": JavascriptLexer(),
}


def _lexer(language: str) -> Lexer | None:
    language = language.strip().lower()
    if language in ("sh", "shell", "curl"):
        language = "bash"
    if language in ("js",):
        language = "javascript"
    if language in _LEXERS:
        return _LEXERS[language]
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return None
    _LEXERS[language] = lexer
    return lexer


def highlight_code(code: str, language: str) -> Markup | None:
    """Highlighted spans (no wrapper) or None when the language is unknown."""
    lexer = _lexer(language) if language else None
    if lexer is None:
        return None
    return _format(code, lexer)


@lru_cache(maxsize=16384)
def highlight_piece(code: str, language: str) -> Markup:
    """A piece of generated code highlighted alone (``code_pieces``: no token crosses its ends),
    without the line break Pygments ends it with; the pieces repeat, so they come from a cache."""
    return _format(code, _LEXERS[language]).rstrip("\n")


def _plain(tokens: Any) -> Any:
    """Leave whitespace and punctuation unstyled: a span per comma doubles a sample's size."""
    for kind, value in tokens:
        plain = kind in Whitespace or kind in Punctuation
        yield (Text if plain else kind), value


def _format(code: str, lexer: Lexer) -> Markup:
    out = StringIO()
    _FORMATTER.format(_plain(lexer.get_tokens(code)), out)
    # Pygments escapes every token's text, so its output is safe markup.
    return Markup(out.getvalue())


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def highlight_json(value: Any) -> Markup:
    return _highlight_json_text(pretty_json(value))


@lru_cache(maxsize=4096)
def _highlight_json_text(text: str) -> Markup:
    return _format(text, _LEXERS["json"])


def _token_rules(style: str, scope: str) -> list[str]:
    prefixes = [f"{scope}{prefix}" for prefix in _PREFIXES]
    defs = HtmlFormatter(style=style, nowrap=True).get_style_defs(prefixes)
    rules = []
    for line in defs.splitlines():
        # Keep the per-token colours; the page's own CSS owns backgrounds and line numbers.
        if not line.startswith(prefixes[0] + " .") or ".hll" in line or " .err" in line:
            continue
        rules.append(line.split(" /*")[0])
    return rules


def pygments_css() -> str:
    light = _token_rules(LIGHT_STYLE, "")
    dark_toggle = _token_rules(DARK_STYLE, ":root[data-theme=dark] ")
    dark_system = _token_rules(DARK_STYLE, ":root:not([data-theme=light]) ")
    return "\n".join(
        [
            *light,
            *dark_toggle,
            "@media (prefers-color-scheme: dark) {",
            *dark_system,
            "}",
        ]
    )
