"""The faster openapi-spec-validator set-up finds exactly what the plain validator finds."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api
from generator.openapi.oas_validator import SpecValidator

SCHEMAS: list[Any] = [
    {"type": "integer"},
    {"type": "bogus"},
    {"type": 3},
    {"properties": {"a": {"type": "bogus"}}},
    {"properties": {"a": {"discriminator": {"propertyName": 1}}}},
    {"discriminator": {}},
    {"items": {"minItems": -1}},
    {"required": ["a", "a"]},
    {"pattern": "("},
    {"pattern": "^[a-z]+$"},
    {"patternProperties": {"(": {"type": "string"}}},
    {"properties": {"a": {"pattern": "[unclosed"}}},
    {"allOf": []},
    {"enum": []},
    {"$ref": "#/components/schemas/Other"},
    {"type": "object", "properties": {"id": {"type": "integer", "examples": [1]}}},
    {"xml": {"namespace": 5}},
    {"externalDocs": {"description": "no url"}},
    True,
    {"const": {"pattern": "("}},
]


ID_PARAMETER = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _document(schema: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{id}": {
                "get": {
                    "operationId": "getA",
                    "parameters": [ID_PARAMETER],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": schema}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Thing": schema, "Other": {"type": "string"}}},
    }


def _errors(validator: Any) -> list[tuple[str, tuple[Any, ...]]]:
    return [(e.message, tuple(e.absolute_path)) for e in validator.iter_errors()]


@pytest.mark.parametrize("schema", SCHEMAS, ids=[str(s)[:40] for s in SCHEMAS])
def test_same_errors_as_the_plain_validator(schema: Any) -> None:
    document = _document(schema)
    assert _errors(SpecValidator(document)) == _errors(OpenAPIV31SpecValidator(document))


def test_duplicate_operation_ids_still_found() -> None:
    document = _document({"type": "string"})
    document["paths"]["/b"] = {"get": dict(document["paths"]["/a/{id}"]["get"], parameters=[])}
    found = _errors(SpecValidator(document))
    assert found == _errors(OpenAPIV31SpecValidator(document))
    assert any("is not unique" in message for message, _ in found)


@pytest.mark.parametrize("api", API_NAMES)
def test_the_contracts_validate_the_same(api: str) -> None:
    document = bundle_api(api)
    assert _errors(SpecValidator(document)) == _errors(OpenAPIV31SpecValidator(document)) == []


BROKEN_PARTS: list[tuple[str, Any]] = [
    ("paths", ["not", "a", "mapping"]),
    ("paths", {"/a": "a string"}),
    ("paths", {"/a": {"get": {"responses": []}}}),
    ("paths", {"/a": {"get": {"responses": {"200": {"content": 5}}}}}),
    ("components", {"schemas": []}),
    ("components", {"schemas": {"A": {"$ref": "#/components/schemas/Missing"}}}),
]


@pytest.mark.parametrize(("key", "value"), BROKEN_PARTS, ids=[str(v)[:40] for _, v in BROKEN_PARTS])
def test_broken_documents_give_the_plain_validators_errors(key: str, value: Any) -> None:
    document = _document({"type": "string"})
    document[key] = value

    def errors(validator: Any) -> list[str]:
        try:
            return [e.message for e in validator.iter_errors()]
        except Exception as error:  # noqa: BLE001 - the same failure counts as the same answer
            return [type(error).__name__]

    assert errors(SpecValidator(document)) == errors(OpenAPIV31SpecValidator(document))


def test_the_readers_own_step_is_put_back_after_a_run() -> None:
    from jsonschema_path.nodes import SchemaNode

    step, own = SchemaNode._get_subnode, SchemaNode.__dict__.get("_get_subnode")
    _errors(SpecValidator(_document({"type": "bogus"})))
    assert SchemaNode._get_subnode == step and SchemaNode.__dict__.get("_get_subnode") is own
