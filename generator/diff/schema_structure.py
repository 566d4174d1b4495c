"""Schema rules on structure: properties, required, readOnly/writeOnly, items, composition.

In a request, readOnly properties do not exist (a client never sends them); in a response,
writeOnly ones do not. So a property turning readOnly is removed from requests, and one losing
readOnly while required is a new required request property.
"""

from __future__ import annotations

from typing import Any

from generator.diff.all_of import Placed, flatten
from generator.diff.context import At, semantic
from generator.diff.findings import Severity, removal
from generator.diff.schemas import SchemaPair, compare_child, effective_types, schema_rule


def _hidden(pair: SchemaPair, schema: Any) -> bool:
    flag = "readOnly" if pair.request else "writeOnly"
    return isinstance(schema, dict) and schema.get(flag) is True


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    found = schema.get("properties")
    return found if isinstance(found, dict) else {}


@schema_rule
def properties_changed(pair: SchemaPair) -> None:
    """Properties by name, those of plain allOf members included (`all_of.py`)."""
    base_flat = flatten(pair.ctx, pair.ctx.base, pair.base, pair.at.base)
    head_flat = flatten(pair.ctx, pair.ctx.head, pair.head, pair.at.head)
    base_props, head_props = base_flat.properties, head_flat.properties
    if not base_props and not head_props:
        return
    base_required, head_required = base_flat.required, head_flat.required
    side = pair.direction
    for name in [*head_props, *(n for n in base_props if n not in head_props)]:
        at = _property_at(pair, name, base_props.get(name), head_props.get(name))
        base_raw = base_props[name].raw if name in base_props else None
        head_raw = head_props[name].raw if name in head_props else None
        base = pair.ctx.resolve(pair.ctx.base, base_raw, ())[0] if base_raw is not None else None
        head = pair.ctx.resolve(pair.ctx.head, head_raw, ())[0] if head_raw is not None else None
        in_base = base_raw is not None and not _hidden(pair, base)
        in_head = head_raw is not None and not _hidden(pair, head)
        field = f"{pair.field}.{name}" if pair.field else name
        label = f"{pair.root} property '{field}'"
        if in_base and not in_head:
            _property_gone(
                pair,
                at,
                label,
                hidden=head_raw is not None,
                required=name in base_required,
                deprecated=isinstance(base, dict) and base.get("deprecated") is True,
            )
        elif in_head and not in_base:
            required = name in head_required
            if pair.request:
                rule = (
                    "new-required-request-property" if required else "new-optional-request-property"
                )
                severity: Severity = "breaking" if required else "info"
            elif required:
                rule, severity = "response-required-property-added", "info"
            else:  # clients ignore fields they do not know: not a change they can notice
                continue
            was = " (no longer read-only)" if base_raw is not None else ""
            message = f"added{was}"
            pair.ctx.emit(rule, severity, f"{label} {message}", pair.scope, at, detail=message)
        elif in_base and in_head:
            _required_changed(pair, at, label, name in base_required, name in head_required)
            compare_child(pair, at, base_raw, head_raw, f"{side}-property", field)


def _property_at(pair: SchemaPair, name: str, base: Placed | None, head: Placed | None) -> At:
    """Where a property is on each side; its path is the head's (the base's once removed)."""
    inline = pair.at.child("properties", name)
    placed = head or base
    path = placed.path if placed else ("properties", name)
    return At(
        (*pair.at.pointer, *path),
        base.pointer if base else inline.base,
        head.pointer if head else inline.head,
    )


def _property_gone(
    pair: SchemaPair, at: At, label: str, *, hidden: bool, required: bool, deprecated: bool
) -> None:
    gone, why = removal(deprecated)
    if pair.request:
        if hidden:
            pair.ctx.emit(
                "request-property-became-read-only",
                "warning",
                f"{label} became read-only",
                pair.scope,
                at,
                detail="became read-only",
            )
        else:
            pair.ctx.emit(
                "request-property-removed",
                gone,
                f"{label} removed{why}",
                pair.scope,
                at,
                on_base=True,
                detail=f"removed{why}",
            )
        return
    severity: Severity = "breaking" if required else "warning"
    if hidden:
        pair.ctx.emit(
            "response-property-became-write-only",
            severity,
            f"{label} became write-only",
            pair.scope,
            at,
            detail="became write-only",
        )
    else:
        kind = "required" if required else "optional"
        pair.ctx.emit(
            f"response-{kind}-property-removed",
            gone,
            f"{label} removed{why}",
            pair.scope,
            at,
            on_base=True,
            detail=f"removed{why}",
        )


def _required_changed(pair: SchemaPair, at: At, label: str, before: bool, after: bool) -> None:
    if before == after:
        return
    side = pair.direction
    if after:  # a request must now carry it; a response now always does
        severity: Severity = "breaking" if pair.request else "info"
        pair.ctx.emit(
            f"{side}-property-became-required",
            severity,
            f"{label} became required",
            pair.scope,
            at,
            detail="became required",
        )
    else:
        severity = "info" if pair.request else "breaking"
        pair.ctx.emit(
            f"{side}-property-became-optional",
            severity,
            f"{label} became optional",
            pair.scope,
            at,
            detail="became optional",
        )


def _openness(value: Any) -> int:
    """additionalProperties: false (0) < a schema (1) < anything (2, also when absent)."""
    if value is False:
        return 0
    return 1 if isinstance(value, dict) else 2


@schema_rule
def additional_properties_changed(pair: SchemaPair) -> None:
    base, head = pair.base.get("additionalProperties"), pair.head.get("additionalProperties")
    before, after = _openness(base), _openness(head)
    if before == after == 1:
        compare_child(
            pair,
            pair.at.child("additionalProperties"),
            base,
            head,
            f"{pair.direction}-property",
            f"{pair.field}.*" if pair.field else "*",
        )
    elif after < before:
        pair.emit(
            "additional-properties-narrowed", pair.narrowed(), "accepts fewer extra properties"
        )
    elif after > before:
        pair.emit("additional-properties-widened", pair.widened(), "allows more extra properties")


@schema_rule
def items_changed(pair: SchemaPair) -> None:
    base, head = pair.base.get("items"), pair.head.get("items")
    if base is None and head is None:
        return
    if isinstance(base, dict) and isinstance(head, dict):
        compare_child(pair, pair.at.child("items"), base, head, pair.prefix, f"{pair.field}[]")
    elif semantic(pair.ctx, pair.ctx.base, base) != semantic(pair.ctx, pair.ctx.head, head):
        pair.emit("items-changed", "warning", "the schema of its items changed")


_COMPOSITIONS = (("oneOf", "one-of"), ("anyOf", "any-of"), ("allOf", "all-of"))


@schema_rule
def composition_changed(pair: SchemaPair) -> None:
    """Subschemas are matched by meaning; what cannot be matched one to one is reported.

    A removed oneOf/anyOf option narrows what may be sent (an added one widens what may come
    back); an allOf part changes both ways at once, so it is a warning either way.
    """
    # Plain allOf members are compared as the properties they add (properties_changed).
    read_as_properties = (
        flatten(pair.ctx, pair.ctx.base, pair.base, pair.at.base).members,
        flatten(pair.ctx, pair.ctx.head, pair.head, pair.at.head).members,
    )
    for keyword, name in _COMPOSITIONS:
        base_found, head_found = pair.base.get(keyword), pair.head.get(keyword)
        base = base_found if isinstance(base_found, list) else []
        head = head_found if isinstance(head_found, list) else []
        if not base and not head:
            continue
        skip_base, skip_head = read_as_properties if keyword == "allOf" else (set(), set())
        base_left = {
            i: semantic(pair.ctx, pair.ctx.base, s)
            for i, s in enumerate(base)
            if i not in skip_base
        }
        head_left = {
            i: semantic(pair.ctx, pair.ctx.head, s)
            for i, s in enumerate(head)
            if i not in skip_head
        }
        for b, meaning in list(base_left.items()):
            match = next((h for h, other in head_left.items() if other == meaning), None)
            if match is not None:
                del base_left[b], head_left[match]
        for b, h in _pairs_by_type(pair, base, head, list(base_left), list(head_left)):
            del base_left[b], head_left[h]
            at = At(
                (*pair.at.pointer, keyword, h),
                (*pair.at.base, keyword, b),
                (*pair.at.head, keyword, h),
            )
            compare_child(pair, at, base[b], head[h], pair.prefix, pair.field)
        either_way: Severity = "warning"
        for b in base_left:
            at = At((*pair.at.pointer, keyword, b), (*pair.at.base, keyword, b), pair.at.head)
            severity = either_way if keyword == "allOf" else pair.narrowed()
            pair.ctx.emit(
                f"{pair.prefix}-{name}-removed",
                severity,
                f"{pair.subject}: {keyword} #{b + 1} removed",
                pair.scope,
                at,
                on_base=True,
                detail=f"{keyword} #{b + 1} removed",
            )
        for h in head_left:
            severity = either_way if keyword == "allOf" else pair.widened()
            if severity == "warning" and keyword != "allOf" and _new_type(pair, base, head[h]):
                severity = "breaking"  # a response of a type its readers never had to parse
            pair.ctx.emit(
                f"{pair.prefix}-{name}-added",
                severity,
                f"{pair.subject}: {keyword} #{h + 1} added",
                pair.scope,
                pair.at.child(keyword, h),
                detail=f"{keyword} #{h + 1} added",
            )


def _new_type(pair: SchemaPair, base: list[Any], option: Any) -> bool:
    """Whether ``option`` allows a JSON type (null included) that no base option allowed."""
    known: set[str] = set()
    for existing in base:
        resolved, _ = pair.ctx.resolve(pair.ctx.base, existing, ())
        types = effective_types(pair, resolved, True) if isinstance(resolved, dict) else None
        if types is None:
            return False
        known |= types
    resolved, _ = pair.ctx.resolve(pair.ctx.head, option, ())
    added = effective_types(pair, resolved, False) if isinstance(resolved, dict) else None
    if added is None:
        return bool(base)
    return any(t not in known and not (t == "integer" and "number" in known) for t in added)


def _pairs_by_type(
    pair: SchemaPair, base: list[Any], head: list[Any], base_left: list[int], head_left: list[int]
) -> list[tuple[int, int]]:
    """Changed options that still correspond: the only one left on each side, the same named
    schema, the only one of its types on each side, or the one sharing most property names."""
    if len(base_left) == 1 and len(head_left) == 1:
        return [(base_left[0], head_left[0])]
    base_left, head_left = list(base_left), list(head_left)
    pairs: list[tuple[int, int]] = []
    for key in (_ref_name, _type_key(pair), _property_names(pair)):
        base_keys = {b: key(base[b], True) for b in base_left}
        head_keys = {h: key(head[h], False) for h in head_left}
        for b, found in base_keys.items():
            same_base = [i for i, k in base_keys.items() if k == found]
            same_head = [i for i, k in head_keys.items() if k == found]
            if found is not None and len(same_base) == 1 and len(same_head) == 1:
                pairs.append((b, same_head[0]))
                base_left.remove(b)
                head_left.remove(same_head[0])
    return pairs


def _ref_name(option: Any, on_base: bool) -> Any:
    return option.get("$ref") if isinstance(option, dict) else None


def _type_key(pair: SchemaPair) -> Any:
    def key(option: Any, on_base: bool) -> Any:
        side = pair.ctx.base if on_base else pair.ctx.head
        resolved, _ = pair.ctx.resolve(side, option, ())
        return effective_types(pair, resolved, on_base) if isinstance(resolved, dict) else None

    return key


def _property_names(pair: SchemaPair) -> Any:
    def key(option: Any, on_base: bool) -> Any:
        side = pair.ctx.base if on_base else pair.ctx.head
        resolved, _ = pair.ctx.resolve(side, option, ())
        names = _properties(resolved) if isinstance(resolved, dict) else {}
        return frozenset(names) or None

    return key


@schema_rule
def not_changed(pair: SchemaPair) -> None:
    base, head = pair.base.get("not"), pair.head.get("not")
    if semantic(pair.ctx, pair.ctx.base, base) != semantic(pair.ctx, pair.ctx.head, head):
        pair.emit("not-changed", "warning", "its 'not' schema changed")
