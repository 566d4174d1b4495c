"""The user fields a `where` filter may name are written three times: the `User` schema, the
`where` parameter's prose and `generator.ceql.USER_FIELDS` (which the parser, the server's SQL and
the suite's evaluator all use). These tests keep the three the same list."""

from __future__ import annotations

import re
from typing import Any

from generator.ceql import USER_FIELDS
from generator.spec.bundle import bundle_api
from generator.spec.refs import resolve

SPEC = bundle_api("cloud-elements")


def _user_properties() -> dict[str, Any]:
    user = SPEC["components"]["schemas"]["User"]
    properties = dict(user.get("properties") or {})
    for part in user.get("allOf") or ():
        properties.update(resolve(SPEC, part).get("properties") or {})
    return properties


def _kind(schema: dict[str, Any]) -> str:
    variants = schema.get("oneOf") or [schema]
    if any(variant.get("format") == "date" for variant in variants):
        return "date"
    return str(schema.get("type"))


def test_every_filter_field_is_a_user_property_of_its_kind() -> None:
    properties = _user_properties()
    assert set(USER_FIELDS) <= set(properties)
    assert {name: _kind(properties[name]) for name in USER_FIELDS} == {
        name: field.kind for name, field in USER_FIELDS.items()
    }


def test_the_where_parameter_lists_exactly_the_filter_fields() -> None:
    description = SPEC["components"]["parameters"]["Where"]["description"]
    sentence = description.split("Field names are the user fields:", 1)[1].split(".", 1)[0]
    assert set(re.findall(r"`([A-Za-z0-9]+)`", sentence)) == set(USER_FIELDS)
