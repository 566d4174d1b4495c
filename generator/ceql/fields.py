"""The user fields a Cloud Elements `where` filter may name, and the kind of each."""

from __future__ import annotations

from collections.abc import Mapping

from generator.ceql.ast import Field, Kind


def _fields(*specs: tuple[str, Kind]) -> dict[str, Field]:
    return {name: Field(name, kind) for name, kind in specs}


USER_FIELDS: Mapping[str, Field] = _fields(
    ("id", "integer"),
    ("createdDate", "date"),
    ("firstName", "string"),
    ("lastName", "string"),
    ("fullName", "string"),
    ("email", "string"),
    ("username", "string"),
    ("active", "boolean"),
    ("lastLoginDate", "date"),
    ("street1", "string"),
    ("street2", "string"),
    ("city", "string"),
    ("stateProvince", "string"),
    ("postalCode", "string"),
    ("country", "string"),
    ("phone", "string"),
)
