"""Follow the local ``#/...`` refs of a document: the one resolver every layer uses.

One behaviour everywhere: a ref that is not local (does not start with ``#``), points nowhere, or
belongs to a chain of refs that comes back on itself raises ``UnresolvedRef`` (a ``KeyError``
naming the ref). Nothing returns a half-followed node silently. Each caller then says what an
unresolvable ref means for it: validation reports a finding, a lint rule skips the node, the docs
show an empty schema, the diff compares the ref as written. The server and the conformance suite
read bundles that passed validation, where every ref resolves.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from generator.openapi.yaml_source import Pointer


class UnresolvedRef(KeyError):
    """A ref that points nowhere, is not local, or is part of a cycle of refs."""

    def __init__(self, ref: str, why: str = "points nowhere") -> None:
        super().__init__(ref)
        self.ref = ref
        self.why = why

    def __str__(self) -> str:
        return f"$ref {self.ref!r} {self.why}"


@lru_cache(maxsize=4096)
def ref_pointer(ref: str) -> Pointer:
    """The pointer of a local ref: ``#/components/schemas/A~1B`` -> (components, schemas, A/B)."""
    if not ref.startswith("#"):
        raise UnresolvedRef(ref, "is not a local ref")
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in ref[1:].split("/")[1:])


def lookup(document: Any, pointer: Pointer, ref: str = "") -> Any:
    """The node at ``pointer``; UnresolvedRef when there is none."""
    node = document
    for part in pointer:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and str(part).isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise UnresolvedRef(ref or "#/" + "/".join(map(str, pointer)))
    return node


def resolve_pointer(document: Any, ref: str) -> Any:
    """The node one local ref points at (not following a ref found there)."""
    return lookup(document, ref_pointer(ref), ref)


def ref_of(node: Any) -> str | None:
    """The ``$ref`` string of a ref node, else None."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return ref
    return None


def step(document: Any, node: Any) -> tuple[Any, Pointer] | None:
    """One hop: (target, its pointer) when ``node`` is a ref, None when it is not."""
    ref = ref_of(node)
    if ref is None:
        return None
    pointer = ref_pointer(ref)
    return lookup(document, pointer, ref), pointer


def resolve(document: Any, node: Any) -> Any:
    """The node a (chain of) ref(s) leads to; a node that is not a ref comes back unchanged."""
    seen: set[str] = set()
    while (ref := ref_of(node)) is not None:
        if ref in seen:
            raise UnresolvedRef(ref, "is part of a cycle of refs")
        seen.add(ref)
        node = resolve_pointer(document, ref)
    return node
