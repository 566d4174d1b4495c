"""The component names behind a bundle's ``#/components/...`` refs, and their targets.

Refs are followed by ``generator.openapi.refs``; the docs show a ref that does not resolve (missing
or cyclic) as an empty schema.
"""

from __future__ import annotations

from typing import Any

from generator.openapi import refs
from generator.openapi.refs import UnresolvedRef

_PREFIX = "#/components/"


class Resolver:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components: dict[str, Any] = document.get("components") or {}

    def target(self, ref: str) -> tuple[str, str, Any]:
        """(kind, name, node) of an internal component ref."""
        if not ref.startswith(_PREFIX):
            raise UnresolvedRef(ref)
        kind, _, name = ref[len(_PREFIX) :].partition("/")
        node = (self.components.get(kind) or {}).get(name)
        if node is None:
            raise UnresolvedRef(ref)
        return kind, name, node

    def resolve(self, node: Any) -> Any:
        """The node a (chain of) ref(s) leads to; non-ref nodes come back unchanged."""
        try:
            return refs.resolve(self.document, node)
        except UnresolvedRef:
            return {}

    def schema_name(self, node: Any) -> str | None:
        """The component name when ``node`` is a ref to ``#/components/schemas/<Name>``."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref.startswith(_PREFIX + "schemas/"):
                return ref[len(_PREFIX + "schemas/") :]
        return None
