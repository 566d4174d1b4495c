"""CEQL literals as the values a field holds: one parser per (field kind, literal token).

A literal of another kind than its field is an error that names what the field expects; a
literal of the right kind but an impossible value (a number out of range, a date that does not
exist) is an error that names the value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from lark import Token

from generator.ceql.ast import CeqlError, Field, Kind, Value

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?"
    r"(Z|[+-]\d{2}:?\d{2})?"
)
_INT64 = range(-(2**63), 2**63)


def column(token: Token) -> int:
    # Queries are one line in a URL; count characters from the start, newlines included.
    return (token.start_pos or 0) + 1


def unquote(token: Token) -> str:
    return token[1:-1].replace("''", "'")


def _number(field: Field, token: Token) -> Value:
    number: int | float = float(token) if "." in token else int(token)
    if (isinstance(number, int) and number in _INT64) or (
        isinstance(number, float) and math.isfinite(number)
    ):
        return number
    raise CeqlError(f"number {str(token)!r} is out of range", column(token))


def _boolean_word(field: Field, token: Token) -> Value:
    return token.type == "TRUE"


def _quoted_boolean(field: Field, token: Token) -> Value | None:
    text = unquote(token).lower()  # the platform's own example quotes the boolean
    return text == "true" if text in ("true", "false") else None


def _string(field: Field, token: Token) -> Value:
    return unquote(token)


def _date(field: Field, token: Token) -> Value:
    normalized = _date_value(unquote(token))
    if normalized is None:
        raise CeqlError(
            f"{field.name} is a date: expected 'YYYY-MM-DD' or an ISO 8601 date-time",
            column(token),
        )
    return normalized


# (field kind, token type) -> its parser; None from a parser, or a pair not listed, is a literal
# of the wrong kind for the field.
_PARSERS: dict[tuple[Kind, str], Callable[[Field, Token], Value | None]] = {
    ("integer", "NUMBER"): _number,
    ("boolean", "TRUE"): _boolean_word,
    ("boolean", "FALSE"): _boolean_word,
    ("boolean", "STRING"): _quoted_boolean,
    ("string", "STRING"): _string,
    ("date", "STRING"): _date,
}
_EXPECTED: dict[Kind, str] = {
    "integer": "a number",
    "boolean": "true or false",
    "string": "a 'quoted' string",
    "date": "a 'YYYY-MM-DD' date",
}


def literal_value(field: Field, token: Token) -> Value:
    """The literal as the Python value stored for `field`, or a CeqlError naming the mismatch."""
    parse = _PARSERS.get((field.kind, token.type))
    value = parse(field, token) if parse is not None else None
    if value is None:
        kind = field.kind
        raise CeqlError(
            f"{field.name} is {_article(kind)} {kind}: expected {_EXPECTED[kind]}", column(token)
        )
    return value


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _date_value(text: str) -> str | None:
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text).isoformat()
        match = _DATE_TIME.fullmatch(text)
        if match is None:
            return None
        year, month, day, hour, minute, second, offset = match.groups()
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            tzinfo=_offset(offset),
        )
        return moment.astimezone(UTC).date().isoformat()
    except (ValueError, OverflowError):
        return None


def _offset(text: str | None) -> timezone:
    if text is None or text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-delta if text[0] == "-" else delta)
