"""Follow the internal ``#/components/...`` refs a bundle keeps, remembering component names."""

from __future__ import annotations

from typing import Any

_PREFIX = "#/components/"


class UnresolvedRef(Exception):
    pass


class Resolver:
    def __init__(self, document: dict[str, Any]) -> None:
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
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise UnresolvedRef(ref)
            seen.add(ref)
            try:
                node = self.target(ref)[2]
            except UnresolvedRef:
                return {}
        return node

    def schema_name(self, node: Any) -> str | None:
        """The component name when ``node`` is a ref to ``#/components/schemas/<Name>``."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref.startswith(_PREFIX + "schemas/"):
                return ref[len(_PREFIX + "schemas/") :]
        return None
