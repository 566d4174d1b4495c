"""What every rule needs: both sides, where a pair of nodes is, and the changes found so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from generator.diff.findings import Change, Severity, json_pointer
from generator.diff.sources import Side
from generator.openapi import refs
from generator.openapi.yaml_source import Pointer

Direction = Literal["request", "response"]


@dataclass(frozen=True)
class At:
    """A pair of nodes: its pointer with $refs followed, and each side's pointer in its bundle."""

    pointer: Pointer
    base: Pointer
    head: Pointer

    def child(self, *keys: str | int) -> At:
        return At((*self.pointer, *keys), (*self.base, *keys), (*self.head, *keys))

    def moved(self, base: Pointer | None = None, head: Pointer | None = None) -> At:
        return At(
            self.pointer, self.base if base is None else base, self.head if head is None else head
        )


@dataclass(frozen=True)
class Scope:
    """The operation a change concerns ("" for the document itself)."""

    operation: str = ""
    operation_id: str = ""


@dataclass
class DiffContext:
    base: Side
    head: Side
    changes: list[Change] = field(default_factory=list)
    _same_refs: dict[str, bool] = field(default_factory=dict)

    def emit(
        self,
        rule: str,
        severity: Severity,
        message: str,
        scope: Scope,
        at: At,
        *,
        on_base: bool = False,
        detail: str = "",
    ) -> None:
        """Record a change; ``on_base`` locates it in the base contract (what was removed).
        ``detail``: the message without the words naming what holds the node in the operation
        (said instead by the component's name when the change is grouped)."""
        located = at.base if on_base else at.head
        file, line = self.base.locate(at.base) if on_base else self.head.locate(at.head)
        self.changes.append(
            Change(
                rule,
                severity,
                message,
                scope.operation,
                scope.operation_id,
                json_pointer(at.pointer),
                file,
                line,
                component=json_pointer(located) if located[:1] == ("components",) else "",
                detail=detail,
            )
        )

    def resolve(self, side: Side, node: Any, at: Pointer) -> tuple[Any, Pointer]:
        """Follow local $refs; keywords written next to a $ref win over the target's. A ref that
        does not resolve (missing, not local, the whole document, or back to one already
        followed) is compared as written."""
        seen: set[Pointer] = set()
        while True:
            try:
                hop = refs.step(side.document, node)
            except refs.UnresolvedRef:
                return node, at
            if hop is None or not hop[1] or hop[1] in seen:  # not a ref, "#", or a cycle
                return node, at
            target, target_at = hop
            seen.add(target_at)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node, at = (
                ({**target, **siblings} if siblings and isinstance(target, dict) else target),
                target_at,
            )

    def unchanged(self, base: Any, head: Any) -> bool:
        """Equal as written, and every $ref inside leads to equal targets on both sides."""
        return base == head and all(self._same_ref(ref) for ref in _refs(base))

    def _same_ref(self, ref: str) -> bool:
        known = self._same_refs.get(ref)
        if known is not None:
            return known
        self._same_refs[ref] = True  # a cycle back to this ref is judged by the rest of it
        base = _target(self.base.document, ref)
        head = _target(self.head.document, ref)
        same = base is not None and self.unchanged(base, head)
        self._same_refs[ref] = same
        return same


def _target(document: Any, ref: str) -> Any:
    try:
        return refs.resolve_pointer(document, ref)
    except refs.UnresolvedRef:
        return None


def _refs(node: Any) -> list[str]:
    """Every $ref inside ``node``, in document order (the order ``unchanged`` judges them in)."""
    found: list[str] = []
    _collect_refs(node, found)
    return found


def _collect_refs(node: Any, found: list[str]) -> None:
    # One list filled on the way down: a generator per node passed each ref up through every
    # level, and this is run over every operation of a diff.
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value)
            elif isinstance(value, _CONTAINERS):
                _collect_refs(value, found)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, _CONTAINERS):
                _collect_refs(item, found)


_CONTAINERS = (dict, list)


# Keywords that document a schema without constraining it: changing them is not a change.
ANNOTATIONS = frozenset(
    {"description", "title", "summary", "example", "examples", "$comment", "externalDocs"}
)


def semantic(
    ctx: DiffContext, side: Side, node: Any, seen: frozenset[Pointer] = frozenset()
) -> Any:
    """``node`` with every $ref replaced by its target and annotations left out, for equality."""
    if isinstance(node, list):
        return [semantic(ctx, side, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    resolved, at = ctx.resolve(side, node, ())
    if at and at in seen:  # recursion: the target's name stands for it
        return {"$cycle": "/".join(map(str, at))}
    inner = seen | {at} if at else seen
    if not isinstance(resolved, dict):
        return semantic(ctx, side, resolved, inner)
    return {
        key: semantic(ctx, side, value, inner)
        for key, value in resolved.items()
        if key not in ANNOTATIONS and not key.startswith("x-")
    }
