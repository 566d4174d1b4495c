"""allOf members that only add properties, read as properties of the schema that holds them.

A body schema that takes its address fields from `allOf: [{$ref: UserAddress}]` accepts and
returns exactly the objects that one listing the same fields inline does, so moving fields between
the two is no change, and a field changed inside such a member is reported as the field it is.
Only a member that is nothing but an object's properties (and which of them are required), whose
names no other part of the schema defines, is read this way: any other member is still compared
as a composition, conservatively (a warning when in doubt, never silence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diff.context import ANNOTATIONS, DiffContext
from generator.diff.sources import Side
from generator.openapi.yaml_source import Pointer

_PLAIN_MEMBER_KEYS = frozenset({"type", "properties", "required"})


@dataclass(frozen=True)
class Placed:
    """A property's schema as written, where it is written in its bundle, and its path below the
    schema that holds it (``("properties", name)``, or through the allOf member it came from)."""

    raw: Any
    pointer: Pointer
    path: Pointer


@dataclass
class Flattened:
    properties: dict[str, Placed] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    members: set[int] = field(default_factory=set)  # allOf indexes read as properties


def flatten(ctx: DiffContext, side: Side, schema: dict[str, Any], at: Pointer) -> Flattened:
    """The properties of ``schema`` (at ``at`` in ``side``'s bundle), its plain allOf members'
    included, and which allOf members were read so."""
    flat = Flattened(required=_names(schema.get("required")))
    for name, raw in _mapping(schema.get("properties")).items():
        flat.properties[name] = Placed(raw, (*at, "properties", name), ("properties", name))
    members = schema.get("allOf")
    if not isinstance(members, list):
        return flat
    object_typed = schema.get("type") == "object"
    for index, member in enumerate(members):
        resolved, member_at = ctx.resolve(side, member, (*at, "allOf", index))
        if not _plain(resolved, object_typed) or set(resolved["properties"]) & set(flat.properties):
            continue
        flat.members.add(index)
        flat.required |= _names(resolved.get("required"))
        for name, raw in resolved["properties"].items():
            path = ("allOf", index, "properties", name)
            flat.properties[name] = Placed(raw, (*member_at, "properties", name), path)
    return flat


def _plain(member: Any, object_typed: bool) -> bool:
    """Nothing but properties: no other constraint that reading them as the holder's would drop
    (a `type: object` only where the holder says so too)."""
    if not isinstance(member, dict):
        return False
    keys = {key for key in member if key not in ANNOTATIONS and not key.startswith("x-")}
    properties = member.get("properties")
    return (
        keys <= _PLAIN_MEMBER_KEYS
        and isinstance(properties, dict)
        and bool(properties)
        and member.get("type") in ({None, "object"} if object_typed else {None})
        and _names(member.get("required")) <= set(properties)
    )


def _names(listed: Any) -> set[str]:
    return {str(name) for name in listed} if isinstance(listed, list) else set()


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
