"""Schema rules: each compares one keyword of a base and a head schema in its direction.

Narrowing what a request accepts breaks clients' calls; narrowing what a response may hold does
not. Widening a response can break clients that relied on the old limits (a warning, or breaking
where oasdiff says so). Rules only see resolved schemas, so a $ref renamed to an equal target is
no change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.diff.context import At, DiffContext, Direction, Scope, semantic
from generator.diff.findings import Severity
from generator.openapi.yaml_source import Pointer


@dataclass(frozen=True)
class SchemaPair:
    ctx: DiffContext
    scope: Scope
    at: At
    base: dict[str, Any]
    head: dict[str, Any]
    direction: Direction
    prefix: str  # "request-body", "request-property", "request-parameter", "response-header", ...
    root: str  # what holds the schema: "request body", "response 200 body", "query parameter 'q'"
    field: str = ""  # the field inside it: "roles[].key" ("" for the schema itself)
    stack: frozenset[tuple[Pointer, Pointer]] = frozenset()

    @property
    def subject(self) -> str:
        return f"{self.root} property '{self.field}'" if self.field else self.root

    @property
    def request(self) -> bool:
        return self.direction == "request"

    def emit(self, suffix: str, severity: Severity, message: str, *, on_base: bool = False) -> None:
        self.ctx.emit(
            f"{self.prefix}-{suffix}",
            severity,
            f"{self.subject}: {message}",
            self.scope,
            self.at,
            on_base=on_base,
            detail=message,
        )

    def narrowed(self) -> Severity:
        """A limit tightened: breaks requests, harmless in responses."""
        return "breaking" if self.request else "info"

    def widened(self, in_response: Severity = "warning") -> Severity:
        """A limit relaxed: harmless in requests, may surprise clients reading responses."""
        return "info" if self.request else in_response


SchemaRule = Callable[[SchemaPair], None]
SCHEMA_RULES: list[SchemaRule] = []


def schema_rule(function: SchemaRule) -> SchemaRule:
    SCHEMA_RULES.append(function)
    return function


def compare_schemas(
    ctx: DiffContext,
    scope: Scope,
    at: At,
    base: Any,
    head: Any,
    *,
    direction: Direction,
    prefix: str,
    subject: str,
    field: str = "",
    stack: frozenset[tuple[Pointer, Pointer]] = frozenset(),
) -> None:
    if ctx.unchanged(base, head):
        return
    raw_base, raw_head = base, head
    base, base_at = ctx.resolve(ctx.base, base, at.base)
    head, head_at = ctx.resolve(ctx.head, head, at.head)
    if (base_at, head_at) in stack:  # a recursive schema: this pair is being compared already
        return
    at = at.moved(base_at, head_at)
    if not isinstance(base, dict) or not isinstance(head, dict):
        if semantic(ctx, ctx.base, base) != semantic(ctx, ctx.head, head):
            shown = f"{subject} property '{field}'" if field else subject
            message = f"{shown}: schema changed"
            ctx.emit(
                f"{prefix}-schema-changed", "warning", message, scope, at, detail="schema changed"
            )
        return
    base, head = _as_options(base, head, raw_base), _as_options(head, base, raw_head)
    pair = SchemaPair(
        ctx, scope, at, base, head, direction, prefix, subject, field, stack | {(base_at, head_at)}
    )
    for rule in SCHEMA_RULES:
        rule(pair)


_COMPOSED = ("oneOf", "anyOf", "allOf")


def _as_options(schema: dict[str, Any], other: dict[str, Any], raw: Any) -> dict[str, Any]:
    """A plain schema facing a oneOf/anyOf of shapes is read as that list's only option, so the
    option it became is compared with it and the others are reported as added (or removed)."""
    if any(k in schema for k in _COMPOSED) or "properties" in other or "type" in other:
        return schema
    keyword = next((k for k in ("oneOf", "anyOf") if isinstance(other.get(k), list)), None)
    if keyword is None:
        return schema
    return {keyword: [raw if isinstance(raw, dict) and "$ref" in raw else schema]}


def compare_child(pair: SchemaPair, at: At, base: Any, head: Any, prefix: str, field: str) -> None:
    compare_schemas(
        pair.ctx,
        pair.scope,
        at,
        base,
        head,
        direction=pair.direction,
        prefix=prefix,
        subject=pair.root,
        field=field,
        stack=pair.stack,
    )


# --- types -------------------------------------------------------------------------------------

Types = frozenset[str] | None  # None: any type


def effective_types(
    pair: SchemaPair, schema: dict[str, Any], on_base: bool, depth: int = 0
) -> Types:
    """The JSON types a schema allows: ``type`` (+ ``nullable``), else its oneOf/anyOf's union."""
    declared = schema.get("type")
    if isinstance(declared, str):
        types = {declared}
    elif isinstance(declared, list):
        types = {str(t) for t in declared}
    else:
        options = schema.get("oneOf") or schema.get("anyOf")
        if not isinstance(options, list) or not options or depth > 8:
            return None
        side = pair.ctx.base if on_base else pair.ctx.head
        types = set()
        for option in options:
            resolved, _ = pair.ctx.resolve(side, option, ())
            found = (
                effective_types(pair, resolved, on_base, depth + 1)
                if isinstance(resolved, dict)
                else None
            )
            if found is None:
                return None
            types |= found
    if schema.get("nullable") is True:
        types.add("null")
    return frozenset(types)


def _covers(wide: Types, narrow: Types) -> bool:
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _shown(types: Types) -> str:
    return "any type" if types is None else "/".join(sorted(types)) or "no type"


@schema_rule
def type_changed(pair: SchemaPair) -> None:
    """Types read from oneOf/anyOf only count next to a declared ``type``: the composition
    rule reports changes among the options themselves."""
    if "type" not in pair.base and "type" not in pair.head:
        return
    base = effective_types(pair, pair.base, True)
    head = effective_types(pair, pair.head, False)
    if base == head:
        return
    base_value = None if base is None else base - {"null"}
    head_value = None if head is None else head - {"null"}
    if base_value != head_value:
        message = f"type {_shown(base_value)} -> {_shown(head_value)}"
        if pair.request:
            widened = _covers(head_value, base_value)
            pair.emit(
                "type-generalized" if widened else "type-changed",
                "info" if widened else "breaking",
                message,
            )
        else:
            narrowed = _covers(base_value, head_value)
            pair.emit(
                "type-specialized" if narrowed else "type-changed",
                "info" if narrowed else "breaking",
                message,
            )
    if base is None or head is None:
        return
    if "null" in head and "null" not in base:
        pair.emit("became-nullable", pair.widened("breaking"), "now allows null")
    elif "null" in base and "null" not in head:
        pair.emit("became-not-nullable", pair.narrowed(), "no longer allows null")


@schema_rule
def format_changed(pair: SchemaPair) -> None:
    base, head = pair.base.get("format"), pair.head.get("format")
    if base == head:
        return
    message = f"format {base or 'none'} -> {head or 'none'}"
    if pair.request:
        severity: Severity = "info" if head is None else "breaking"
    else:
        severity = "info" if base is None else "warning" if head is None else "breaking"
    pair.emit("format-changed", severity, message)


# --- values --------------------------------------------------------------------------------------


def _enum(schema: dict[str, Any]) -> dict[str, Any] | None:
    """Allowed values by canonical JSON (``const`` is an enum of one), or None when unlimited."""
    if "const" in schema:
        values = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        values = schema["enum"]
    else:
        return None
    return {json.dumps(v, sort_keys=True, ensure_ascii=False): v for v in values}


def _listed(keys: set[str]) -> str:
    return ", ".join(sorted(keys))


@schema_rule
def enum_changed(pair: SchemaPair) -> None:
    base, head = _enum(pair.base), _enum(pair.head)
    if base == head:
        return
    if base is None and head is not None:
        pair.emit("enum-added", pair.narrowed(), f"values limited to {_listed(set(head))}")
        return
    if head is None and base is not None:
        pair.emit("enum-removed", pair.widened(), "values no longer limited to a list")
        return
    assert base is not None and head is not None
    removed, added = set(base) - set(head), set(head) - set(base)
    if removed:
        pair.emit("enum-value-removed", pair.narrowed(), f"value(s) {_listed(removed)} removed")
    if added:
        pair.emit("enum-value-added", pair.widened(), f"value(s) {_listed(added)} added")


# keyword, True for an upper bound, the name in rule ids
_BOUNDS = (
    ("maxLength", True, "max-length"),
    ("minLength", False, "min-length"),
    ("maximum", True, "max"),
    ("minimum", False, "min"),
    ("exclusiveMaximum", True, "exclusive-max"),
    ("exclusiveMinimum", False, "exclusive-min"),
    ("maxItems", True, "max-items"),
    ("minItems", False, "min-items"),
    ("maxProperties", True, "max-properties"),
    ("minProperties", False, "min-properties"),
)


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


@schema_rule
def bounds_changed(pair: SchemaPair) -> None:
    for keyword, upper, name in _BOUNDS:
        base, head = _number(pair.base.get(keyword)), _number(pair.head.get(keyword))
        if base == head:
            continue
        if base is None:
            suffix, narrowed = f"{name}-set", True
        elif head is None:
            suffix, narrowed = f"{name}-removed", False
        else:
            suffix = f"{name}-{'decreased' if head < base else 'increased'}"
            narrowed = head < base if upper else head > base
        severity = pair.narrowed() if narrowed else pair.widened()
        shown = lambda v: "none" if v is None else f"{v:g}"  # noqa: E731
        pair.emit(suffix, severity, f"{keyword} {shown(base)} -> {shown(head)}")


@schema_rule
def pattern_changed(pair: SchemaPair) -> None:
    base, head = pair.base.get("pattern"), pair.head.get("pattern")
    if base == head:
        return
    if base is None:
        pair.emit("pattern-added", pair.narrowed(), f"must now match {head}")
    elif head is None:
        pair.emit("pattern-removed", pair.widened(), f"no longer must match {base}")
    else:  # whether one regex accepts less than another cannot be told: a warning either way
        pair.emit("pattern-changed", "warning", f"pattern {base} -> {head}")


@schema_rule
def default_changed(pair: SchemaPair) -> None:
    """A default is what the server assumes when a client leaves a field out: requests only."""
    if not pair.request or pair.base.get("default") == pair.head.get("default"):
        return
    base, head = pair.base.get("default"), pair.head.get("default")
    shown = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    if "default" not in pair.head:
        pair.emit("default-value-removed", "breaking", f"default {shown(base)} removed")
    elif "default" not in pair.base:
        pair.emit("default-value-added", "info", f"default {shown(head)} added")
    else:
        pair.emit("default-value-changed", "breaking", f"default {shown(base)} -> {shown(head)}")


@schema_rule
def deprecation_changed(pair: SchemaPair) -> None:
    base, head = pair.base.get("deprecated") is True, pair.head.get("deprecated") is True
    if head and not base:
        pair.emit("deprecated", "info", "deprecated")
    elif base and not head:
        pair.emit("reactivated", "info", "no longer deprecated")


__all__ = [
    "SCHEMA_RULES",
    "SchemaPair",
    "compare_child",
    "compare_schemas",
    "effective_types",
    "schema_rule",
]
