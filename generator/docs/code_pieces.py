"""Markup of the code samples the generator writes, made as they are written, not by lexing them.

A sample is a list of lines (a curl sample: of the runs between its line continuations), each a
tuple of pieces that no token crosses: ``str`` for code the generator writes itself, which has
few distinct pieces (Pygments highlights each once, then a cache gives it), and ``Literal`` for a
value written in the sample's language, a quoted string or a shell word. A plain literal is one
token whose class is known (a JSON string in Python or JavaScript, a single-quoted shell word),
so it becomes a span of that class around its escaped text, as Pygments would make it; any
other (escapes, `%` or `{` in a Python string, numbers, constants) is highlighted by Pygments
alone. Pygments stays the reference: tests hold each sample's markup to what it gives the whole
sample text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape

from markupsafe import Markup
from pygments.token import STANDARD_TYPES, String

from generator.docs.highlight import highlight_piece


class Literal(str):
    """A value as the sample's language writes it (``json.dumps``, ``shlex.quote``)."""

    __slots__ = ()


Line = tuple[str, ...]

# The literals that are always one token, by language: (whole-text pattern, CSS class). Pygments'
# Python lexer splits a string at a backslash escape, a `%` or a `{` (interpolation), JSON text
# has no raw line break; its shell lexer ends a single-quoted word at the next quote and turns a
# carriage return into a line break; a bare word (no quotes: only shlex's safe characters) that
# starts like a URL and has no `=` (an assignment) is plain text.
_PLAIN: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "python": ((re.compile(r'"[^"\\%{\n]*"'), STANDARD_TYPES[String.Double]),),
    "javascript": ((re.compile(r'"[^"\\\n]*"'), STANDARD_TYPES[String.Double]),),
    "bash": (
        (re.compile(r"'[^'\r]*'"), STANDARD_TYPES[String.Single]),
        (re.compile(r"(?:/|https?://)[\w@%+:,./-]*", re.ASCII), ""),
    ),
}
_SEPARATORS = {"bash": " \\\n"}  # a curl sample's runs are joined by line continuations
_SPAN_END = "</span>"


def sample_text(lines: Sequence[Line], language: str) -> str:
    return _SEPARATORS.get(language, "\n").join("".join(line) for line in lines)


def sample_markup(lines: Sequence[Line], language: str) -> Markup:
    """The highlighted sample: what Pygments gives its text (without the final line break it
    adds, but for curl samples, which have always had it)."""
    separator = _SEPARATORS.get(language, "\n")
    joiner = str(highlight_piece(separator.rstrip("\n"), language)) + "\n"
    markup = joiner.join(_line_markup(line, language) for line in lines)
    # Every piece was escaped: by Pygments, or by _span for a plain literal.
    return Markup(markup + "\n" if language in _SEPARATORS else markup)


# Keyed by the pieces: a literal and code of the same text compare equal here, which is sound
# because either markup is what Pygments gives that text alone.
@lru_cache(maxsize=16384)
def _line_markup(line: Line, language: str) -> str:
    return _joined(
        _literal_markup(piece, language)
        if isinstance(piece, Literal)
        else highlight_piece(piece, language)
        for piece in line
    )


def _literal_markup(text: str, language: str) -> str:
    for pattern, css_class in _PLAIN[language]:
        if pattern.fullmatch(text):
            return _span(css_class, text)
    return highlight_piece(text, language)


def _span(css_class: str, text: str) -> str:
    """One token's markup as Pygments' HtmlFormatter writes it: escaped (`&`, `<`, `>`), a span
    per line, none around an empty line."""
    if not css_class:
        return escape(text, quote=False)
    opening = f'<span class="{css_class}">'
    return "\n".join(
        f"{opening}{escape(part, quote=False)}{_SPAN_END}" if part else ""
        for part in text.split("\n")
    )


def _joined(parts: Iterable[str]) -> str:
    """Pieces' markup end to end; where a span ends a piece and one of the same class opens the
    next, they are one span, as Pygments merges neighbouring tokens of one class."""
    joined: list[str] = []
    for part in parts:
        if not part:
            continue
        if joined and part.startswith("<span") and joined[-1].endswith(_SPAN_END):
            opening = part[: part.index(">") + 1]
            before = joined[-1]
            if before.startswith(opening, before.rindex("<span")):
                joined[-1] = before[: -len(_SPAN_END)]
                part = part[len(opening) :]
        joined.append(part)
    return "".join(joined)
