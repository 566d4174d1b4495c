"""The user fields a `where` filter may name are written once, in the contract: the properties
marked `x-where-field` (spec/where_fields.py). The parser, the server's SQL and the suite's
evaluator all read them from there; these tests hold the reading to the contract's schemas."""

from __future__ import annotations

import re
from typing import Any

import pytest

from generator.ceql import fields_of
from generator.openapi.bundle import bundle_api
from generator.openapi.refs import resolve
from generator.openapi.where_fields import WhereFieldError, where_fields
from generator.server.ceql import USER_COLUMNS, UserWhere

SPEC = bundle_api("cloud-elements")


def _user_properties() -> dict[str, Any]:
    user = SPEC["components"]["schemas"]["User"]
    properties = dict(user.get("properties") or {})
    for part in user.get("allOf") or ():
        properties.update(resolve(SPEC, part).get("properties") or {})
    return properties


def test_the_filter_fields_are_user_properties_of_their_kind() -> None:
    fields = where_fields(SPEC)
    properties = _user_properties()
    assert {"id", "email", "active", "createdDate", "city"} <= set(fields) <= set(properties)
    assert fields["id"] == "integer" and fields["active"] == "boolean"
    assert fields["createdDate"] == "date" and fields["email"] == "string"
    assert not {"password", "secret", "roles"} & set(fields)
    assert where_fields(bundle_api("tyk-dashboard")) == {}  # Tyk lists have no `where`


def test_the_where_parameter_names_only_filter_fields() -> None:
    description = SPEC["components"]["parameters"]["Where"]["description"]
    sentence = description.split("Field names are", 1)[1].split(". ", 1)[0]
    named = set(re.findall(r"`([A-Za-z0-9]+)`", sentence)) - {"User"}
    assert named and named <= set(where_fields(SPEC))


def test_the_reference_server_has_a_column_for_every_filter_field() -> None:
    assert UserWhere(fields_of(where_fields(SPEC))).fields.keys() <= USER_COLUMNS.keys()
    with pytest.raises(ValueError, match="nickname as where fields"):
        UserWhere(fields_of({**where_fields(SPEC), "nickname": "string"}))


def _marked(prop: dict[str, Any]) -> dict[str, Any]:
    return {
        "components": {
            "schemas": {"User": {"properties": {"tags": {**prop, "x-where-field": True}}}}
        }
    }


def test_a_marked_field_of_no_filter_kind_is_refused() -> None:
    with pytest.raises(WhereFieldError, match="'tags': its type is none of"):
        where_fields(_marked({"type": "array"}))


def test_one_name_marked_with_two_kinds_is_refused() -> None:
    spec = _marked({"type": "string"})
    spec["components"]["schemas"]["Other"] = {
        "properties": {"tags": {"type": "integer", "x-where-field": True}}
    }
    with pytest.raises(WhereFieldError, match="two kinds"):
        where_fields(spec)
