"""The fields a `where` filter may name, read from the contract: every property marked
`x-where-field: true`, with the kind its schema gives it (the CEQL language, `generator.ceql`,
turns these into its `Field`s; the openapi layer hands over plain names and kinds)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.openapi.refs import resolve

MARK = "x-where-field"
KINDS = ("integer", "string", "boolean", "date")


class WhereFieldError(ValueError):
    """A marked property whose kind cannot be told, or one name marked with two kinds."""


def where_fields(spec: dict[str, Any]) -> dict[str, str]:
    """Field name -> kind (integer, string, boolean or date) of every marked property."""
    found: dict[str, str] = {}
    for name, prop in _marked(spec.get("components", {}).get("schemas") or {}):
        kind = _kind(spec, prop)
        if kind is None:
            raise WhereFieldError(f"{MARK} on {name!r}: its type is none of {', '.join(KINDS)}")
        if found.setdefault(name, kind) != kind:
            raise WhereFieldError(f"{MARK} on {name!r} with two kinds: {found[name]}, {kind}")
    return found


def _marked(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, schema) of every marked property written under ``node`` (refs are not followed:
    each marked property is found where it is written, in components.schemas)."""
    if isinstance(node, list):
        for item in node:
            yield from _marked(item)
    elif isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and prop.get(MARK) is True:
                yield name, prop
        for key, value in node.items():
            if key != MARK:
                yield from _marked(value)


def _kind(spec: dict[str, Any], prop: dict[str, Any]) -> str | None:
    """A date when the schema (or one of its oneOf variants) is a date string, else its type."""
    variants = [resolve(spec, v) for v in prop.get("oneOf") or [prop]]
    if any(isinstance(v, dict) and v.get("format") in ("date", "date-time") for v in variants):
        return "date"
    kind = prop.get("type")
    return kind if kind in KINDS else None
