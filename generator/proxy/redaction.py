"""What the proxy's output may show of a request: the contract's secrets filtered out.

A violation is printed with a curl reproducer and kept in result.json, JUnit and HTML, text
that people read and CI keeps: a password a client sent through the proxy must reach none of it
(passwords are never returned, by the server nor by the tool that watches it). What is secret is
read from the contract (`canaries`): every password header and every secret body property it
declares anywhere, whatever operation the request is for, since a request to a path the contract
does not document carries real passwords all the same; and the credential headers (security
schemes, cookies).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from generator.conformance import canaries

from .exchange import Exchange

FILTERED = "[Filtered]"
# A secret shorter than this is replaced only where it is quoted ('…' in a check's message, "…"
# in a JSON excerpt): bare, it could be part of any word of the text.
MIN_BARE = 8
FORM = "application/x-www-form-urlencoded"
_NOT_JSON = object()


@dataclass(frozen=True)
class Secrets:
    """The names whose values are hidden: headers (lower case) and body fields (any depth)."""

    headers: frozenset[str]
    fields: frozenset[str]

    @classmethod
    def of(cls, spec: dict[str, Any]) -> Secrets:
        passwords = {name.lower() for name in canaries.password_headers(spec)}
        return cls(_credential_headers(spec) | passwords, canaries.secret_field_names(spec))

    def body(self, body: bytes, content_type: str | None) -> bytes:
        """The body with the value of every secret field replaced by FILTERED; a body without
        one comes back byte for byte, so the reproducer sends what the client sent."""
        if not body or not self.fields:
            return body
        value = _as_json(body)
        if value is not _NOT_JSON:
            if not _has_secret(value, self.fields):
                return body
            shown = json.dumps(_filtered(value, self.fields), ensure_ascii=False)
            return shown.encode()  # the keys in their order, and still JSON
        if _is_form(content_type):
            return self._form(body)
        return self._text(body)

    def values(self, ex: Exchange) -> set[str]:
        """The secret values the request carries (hidden headers, secret fields): a check's
        message may quote them (`'…' is too short`) and an answer may echo them."""
        found = {
            value.decode("latin-1")
            for key, value in ex.headers
            if key.decode("latin-1").lower() in self.headers
        }
        found.update(self._body_values(bytes(ex.body), ex.header("content-type")))
        return {value for value in found if value}

    def _body_values(self, body: bytes, content_type: str | None) -> Iterator[str]:
        if not body or not self.fields:
            return
        value = _as_json(body)
        if value is not _NOT_JSON:
            for secret in _found(value, self.fields):
                yield from _texts(secret)
        elif _is_form(content_type):
            yield from (value for name, value in _pairs(body) if name in self.fields)
        else:
            for match in self._pattern.finditer(_text(body)):
                yield match.group("value") or match.group("scalar")

    def _form(self, body: bytes) -> bytes:
        """A form body's secret fields filtered. The contract declares JSON bodies only, but a
        client that sends a form (and gets a 415) has still sent its password."""
        pairs = _pairs(body)
        if not any(name in self.fields for name, _ in pairs):
            return body
        shown = [(name, FILTERED if name in self.fields else value) for name, value in pairs]
        return urlencode(shown).encode()

    def _text(self, body: bytes) -> bytes:
        """A body that does not parse (broken JSON, which is itself a violation, or one cut at
        the size the proxy keeps): each `"field": value` of a secret field filtered in place."""
        text = _text(body)
        shown = self._pattern.sub(lambda match: match.group("key") + f'"{FILTERED}"', text)
        return body if shown == text else shown.encode()

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        names = "|".join(re.escape(name) for name in sorted(self.fields))
        # A string (maybe cut short at the end of the body) or any other scalar.
        value = r'"(?P<value>(?:[^"\\]|\\.)*)(?:"|$)|(?P<scalar>[^\s,}\]]+)'
        return re.compile(rf'(?P<key>"(?:{names})"\s*:\s*)(?:{value})')


def hiding(values: Iterable[str]) -> Callable[[str], str]:
    """A function that replaces each of these secrets in a text by FILTERED: bare when long
    enough to be no ordinary word, and wherever quoted as `repr` (check messages), JSON
    (excerpts) or JSON inside a JSON string (a server's error message in its JSON answer,
    quoting the value it refused: "… is shorter than 6 characters") quote it."""
    replacements: dict[str, str] = {}
    for value in values:
        replacements[repr(value)] = repr(FILTERED)
        quoted = json.dumps(value, ensure_ascii=False)
        replacements[quoted] = json.dumps(FILTERED)
        replacements[json.dumps(quoted, ensure_ascii=False)[1:-1]] = json.dumps(FILTERED)[1:-1]
        if len(value) >= MIN_BARE:
            replacements[value] = FILTERED
    # Longest first: a quoted form goes whole, before its bare value would leave the quotes.
    ordered = sorted(replacements.items(), key=lambda pair: -len(pair[0]))

    def hide(text: str) -> str:
        for secret, shown in ordered:
            if secret in text:
                text = text.replace(secret, shown)
        return text

    return hide


def _credential_headers(spec: dict[str, Any]) -> frozenset[str]:
    """Lower-case names of the headers that carry credentials (security schemes, cookies)."""
    names = {"authorization", "cookie", "proxy-authorization"}
    for scheme in ((spec.get("components") or {}).get("securitySchemes") or {}).values():
        if isinstance(scheme, dict) and scheme.get("in") == "header":
            names.add(str(scheme.get("name", "")).lower())
    return frozenset(names)


def _as_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:  # UnicodeDecodeError included
        return _NOT_JSON


def _has_secret(value: Any, fields: frozenset[str]) -> bool:
    return any(True for _ in _found(value, fields))


def _found(value: Any, fields: frozenset[str]) -> Iterator[Any]:
    """The value of every secret field, at any depth (one inside a secret's value is in it)."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name in fields:
                yield item
            else:
                yield from _found(item, fields)
    elif isinstance(value, list):
        for item in value:
            yield from _found(item, fields)


def _filtered(value: Any, fields: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {
            name: FILTERED if name in fields else _filtered(item, fields)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [_filtered(item, fields) for item in value]
    return value


def _texts(value: Any) -> Iterator[str]:
    """How a secret value reads in text: its strings, and numbers as JSON writes them."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield json.dumps(value)
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _texts(item)


def _is_form(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == FORM


def _pairs(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(_text(body), keep_blank_values=True)


def _text(body: bytes) -> str:
    return body.decode("utf-8", "replace")
