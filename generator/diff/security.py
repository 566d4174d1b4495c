"""Security rules: the requirements each operation declares and the schemes they name.

A requirement is a list of alternatives (any one suffices), each a set of schemes (all needed).
A client authenticated one way keeps working when some head alternative needs no more than its
own; otherwise the change breaks it.
"""

from __future__ import annotations

from typing import Any

from generator.diff.context import At, DiffContext, Scope
from generator.diff.operations import OperationPair, operation_rule

Alternative = frozenset[tuple[str, tuple[str, ...]]]  # (scheme, scopes) pairs


def _alternatives(requirement: Any) -> list[Alternative]:
    if not isinstance(requirement, list):
        return []
    found = []
    for entry in requirement:
        if isinstance(entry, dict):
            found.append(
                frozenset((str(k), tuple(sorted(map(str, v or [])))) for k, v in entry.items())
            )
    return found


def effective_security(
    document: dict[str, Any], operation: dict[str, Any]
) -> tuple[list[Alternative], bool]:
    """The operation's alternatives and whether they are its own (else the document's)."""
    if "security" in operation:
        return _alternatives(operation["security"]), True
    return _alternatives(document.get("security")), False


def _shown(alternative: Alternative) -> str:
    if not alternative:
        return "no authentication"
    return " + ".join(
        name + (f" [{', '.join(scopes)}]" if scopes else "") for name, scopes in sorted(alternative)
    )


def _needs_no_more(head: Alternative, base: Alternative) -> bool:
    base_scopes = dict(base)
    return all(
        name in base_scopes and set(scopes) <= set(base_scopes[name]) for name, scopes in head
    )


@operation_rule
def security_changed(op: OperationPair) -> None:
    base, _ = effective_security(op.ctx.base.document, op.base)
    head, own = effective_security(op.ctx.head.document, op.head)
    if set(base) == set(head):
        return
    at = op.at.child("security") if own else op.at
    base_or_anonymous = base or [frozenset()]
    head_or_anonymous = head or [frozenset()]
    broken = False
    for alternative in base_or_anonymous:
        if not any(_needs_no_more(h, alternative) for h in head_or_anonymous):
            broken = True
            op.emit(
                "api-security-added",
                "breaking",
                f"calls authenticated with {_shown(alternative)} are refused: the operation now "
                f"requires {' or '.join(_shown(h) for h in head_or_anonymous)}",
                at,
            )
    for alternative in set(head_or_anonymous) - set(base_or_anonymous) if not broken else ():
        op.emit(
            "api-security-alternative-added",
            "info",
            f"security {_shown(alternative)} now accepted",
            at,
        )
    for alternative in set(base_or_anonymous) - set(head_or_anonymous):
        if any(_needs_no_more(h, alternative) for h in head_or_anonymous):
            op.emit(
                "api-security-removed",
                "info",
                f"security {_shown(alternative)} no longer listed",
                at,
            )


_SCHEME_FIELDS = ("type", "in", "name", "scheme", "bearerFormat", "openIdConnectUrl")


def compare_security_schemes(ctx: DiffContext) -> None:
    """Schemes by name: a removed one or one now read from elsewhere breaks the clients using it."""
    base = _schemes(ctx, ctx.base)
    head = _schemes(ctx, ctx.head)
    scope = Scope()
    for name in [*head, *(n for n in base if n not in head)]:
        pointer = ("components", "securitySchemes", name)
        at = At(pointer, pointer, pointer)
        if name not in head:
            ctx.emit(
                "api-security-component-removed",
                "breaking",
                f"security scheme {name} removed",
                scope,
                at,
                on_base=True,
            )
        elif name not in base:
            ctx.emit(
                "api-security-component-added", "info", f"security scheme {name} added", scope, at
            )
        else:
            changed = [f for f in _SCHEME_FIELDS if base[name].get(f) != head[name].get(f)]
            if changed:
                shown = ", ".join(
                    f"{f} {base[name].get(f)} -> {head[name].get(f)}" for f in changed
                )
                ctx.emit(
                    "api-security-component-type-changed",
                    "breaking",
                    f"security scheme {name}: {shown}",
                    scope,
                    at,
                )


def _schemes(ctx: DiffContext, side: Any) -> dict[str, dict[str, Any]]:
    components = side.document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return {}
    resolved = {}
    for name, raw in schemes.items():
        node, _ = ctx.resolve(side, raw, ())
        if isinstance(node, dict):
            resolved[str(name)] = node
    return resolved
