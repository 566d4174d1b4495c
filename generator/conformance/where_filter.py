"""The fields a `where` filter may name, as the CEQL language's `Field`s: read from the contract
(`spec.where_fields`, the properties marked `x-where-field`) once per bundled document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator import ceql
from generator.openapi.where_fields import where_fields

from .per_document import per_document


@per_document
def fields_for(spec: dict[str, Any]) -> Mapping[str, ceql.Field]:
    return ceql.fields_of(where_fields(spec))
