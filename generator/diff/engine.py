"""Diff two sides: match operations, run every rule, order the changes."""

from __future__ import annotations

import re
from typing import Any

import generator.diff.schema_structure  # noqa: F401  (registers the structure rules)
import generator.diff.security  # noqa: F401  (registers the security rule)
from generator.diff.context import At, DiffContext, Scope
from generator.diff.findings import SEVERITIES, Change, grouped, removal
from generator.diff.operations import OPERATION_RULES, OperationPair
from generator.diff.security import compare_security_schemes, effective_security
from generator.diff.sources import Side
from generator.openapi.walk import Operation, iter_operations

_TEMPLATE_PARAMETER = re.compile(r"\{[^}/]*\}")


def _key(operation: Operation) -> tuple[str, str]:
    """Renaming a path parameter ({id} -> {userId}) keeps the operation the same one."""
    return (_TEMPLATE_PARAMETER.sub("{}", operation.path), operation.method)


def compare(base: Side, head: Side) -> list[Change]:
    """Every change from ``base`` to ``head``, breaking first, then by operation and pointer."""
    ctx = DiffContext(base, head)
    base_ops = {_key(op): op for op in iter_operations(base.document)}
    head_ops = {_key(op): op for op in iter_operations(head.document)}
    head_paths = {key[0] for key in head_ops}
    for key, op in base_ops.items():
        if key not in head_ops:
            _removed(ctx, op, path_kept=key[0] in head_paths)
    for key, op in head_ops.items():
        before = base_ops.get(key)
        if before is None:
            at = At(op.pointer, op.pointer, op.pointer)
            ctx.emit("endpoint-added", "info", "operation added", _scope(op), at)
        elif not _same(ctx, before, op):
            pair = OperationPair(
                ctx,
                _scope(op),
                At(op.pointer, before.pointer, op.pointer),
                before.node,
                op.node,
                before.path_item,
                op.path_item,
            )
            for rule in OPERATION_RULES:
                rule(pair)
    compare_security_schemes(ctx)
    return ordered(grouped(ctx.changes))


def ordered(changes: list[Change]) -> list[Change]:
    """Breaking first, then warnings, then info; each by operation, pointer and rule."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    return sorted(changes, key=lambda c: (rank[c.severity], c.operation, c.pointer, c.rule))


def _scope(op: Operation) -> Scope:
    return Scope(op.label, str(op.node.get("operationId", "")))


def _same(ctx: DiffContext, base: Operation, head: Operation) -> bool:
    """The fast path for the many operations a change leaves alone."""
    return (
        base.path == head.path
        and ctx.unchanged(base.node, head.node)
        and ctx.unchanged(base.path_item.get("parameters"), head.path_item.get("parameters"))
        and _same_security(ctx, base.node, head.node)
    )


def _same_security(ctx: DiffContext, base: dict[str, Any], head: dict[str, Any]) -> bool:
    # Most operations have none of their own: the document's, as written on both sides, is
    # the same without working out each operation's alternatives.
    if (
        "security" not in base
        and "security" not in head
        and ctx.base.document.get("security") == ctx.head.document.get("security")
    ):
        return True
    return effective_security(ctx.base.document, base) == effective_security(
        ctx.head.document, head
    )


def _removed(ctx: DiffContext, op: Operation, *, path_kept: bool) -> None:
    deprecated = op.node.get("deprecated") is True
    what = "api" if path_kept else "api-path"
    rule = f"{what}-removed-{'with' if deprecated else 'without'}-deprecation"
    severity, why = removal(deprecated)
    at = At(op.pointer, op.pointer, ())
    ctx.emit(rule, severity, f"operation removed{why}", _scope(op), at, on_base=True)
