"""The fields a `where` filter may name, as the CEQL language's `Field`s: read from the contract
(`spec.where_fields`, the properties marked `x-where-field`) once per bundled document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator import ceql
from generator.spec.where_fields import where_fields

_BY_DOCUMENT: dict[int, tuple[dict[str, Any], Mapping[str, ceql.Field]]] = {}


def fields_for(spec: dict[str, Any]) -> Mapping[str, ceql.Field]:
    known = _BY_DOCUMENT.get(id(spec))
    if known is not None and known[0] is spec:  # an id may be reused once freed
        return known[1]
    fields = ceql.fields_of(where_fields(spec))
    _BY_DOCUMENT[id(spec)] = (spec, fields)
    return fields
