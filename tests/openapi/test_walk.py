"""The document walks every layer shares: here, the properties a composed schema declares."""

from __future__ import annotations

from generator.openapi.walk import declared_properties

DOCUMENT = {
    "components": {
        "schemas": {
            "Address": {"properties": {"city": {"type": "string"}}},
            "Create": {
                "allOf": [
                    {"$ref": "#/components/schemas/Address"},
                    {"required": ["email"], "properties": {"email": {"type": "string"}}},
                ]
            },
        }
    }
}


def test_a_composed_schema_declares_its_members_properties_through_refs() -> None:
    create = {"$ref": "#/components/schemas/Create"}
    assert sorted(declared_properties(DOCUMENT, create)) == ["city", "email"]


def test_a_ref_that_points_nowhere_declares_nothing() -> None:
    assert declared_properties(DOCUMENT, {"$ref": "#/components/schemas/Missing"}) == {}
