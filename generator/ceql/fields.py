"""The fields a `where` filter may name: built from names and kinds that the caller reads from
the contract (`generator.openapi.where_fields`), so the list is written once, in the contract."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from generator.ceql.ast import Field, Kind


def fields_of(kinds: Mapping[str, str]) -> Mapping[str, Field]:
    """The `Field` of each name, of the kind given for it."""
    return {name: Field(name, cast(Kind, kind)) for name, kind in kinds.items()}
