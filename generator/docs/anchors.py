"""Fragment ids of the site: stable, readable and safe in an ``id`` and in a URL."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def slug(text: str) -> str:
    cleaned = _UNSAFE.sub("-", text.strip()).strip("-")
    return cleaned or "x"


def operation_anchor(operation_id: str) -> str:
    return f"operation/{slug(operation_id)}"


def schema_anchor(name: str) -> str:
    return f"schema/{slug(name)}"


def tag_anchor(name: str) -> str:
    return f"tag/{slug(name).lower()}"


def auth_anchor(name: str) -> str:
    return f"auth/{slug(name)}"


def parameter_anchor(operation_id: str, location: str, name: str) -> str:
    return f"{operation_anchor(operation_id)}/{slug(location)}/{slug(name)}"


def field_anchor(schema: str, path: tuple[str, ...]) -> str:
    return "/".join([schema_anchor(schema), *(slug(part) for part in path)])
