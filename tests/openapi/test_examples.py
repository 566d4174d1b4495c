"""Examples are checked from the document's own validator: the same problems as a lookup of
each schema by its pointer, and the lookup is kept for documents that scope refs inside."""

from __future__ import annotations

from typing import Any

import pytest

from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api
from generator.openapi.examples import ExampleChecker

COMPONENTS: dict[str, Any] = {
    "schemas": {
        "User": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 2},
                "email": {"type": "string", "format": "email"},
                "role": {"$ref": "#/components/schemas/Role"},
                "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
        },
        "Role": {"enum": ["admin", "user"]},
        "Users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
    }
}
CASES: list[tuple[tuple[str | int, ...], Any]] = [
    (("components", "schemas", "User"), {"name": "ok"}),
    (("components", "schemas", "User"), {"name": "x"}),
    (("components", "schemas", "User"), {"email": "no-at-sign"}),
    (("components", "schemas", "User"), {"name": "ok", "role": "root"}),
    (("components", "schemas", "User"), {"name": "ok", "code": "abc"}),
    (("components", "schemas", "Users"), [{"name": "ok"}, {"name": 3}]),
    (("components", "schemas", "Role"), "admin"),
    (("components", "schemas", "Missing"), 1),
]


def _problems(document: dict[str, Any], by_pointer: bool) -> list[str | None]:
    checker = ExampleChecker(document, by_pointer=by_pointer)
    return [checker.problem(pointer, value) for pointer, value in CASES]


def test_same_problems_either_way() -> None:
    document = {"openapi": "3.1.0", "components": COMPONENTS}
    found = _problems(document, by_pointer=False)
    assert found == _problems(document, by_pointer=True)
    assert found[0] is None and all(found[1:6]) and found[6] is None


@pytest.mark.parametrize("api", API_NAMES)
def test_the_contracts_examples_the_same_either_way(api: str) -> None:
    from generator.openapi.walk import iter_schema_holders

    document = bundle_api(api)
    holders = [(*pointer, "schema") for pointer, holder in iter_schema_holders(document)]
    fast, by_pointer = ExampleChecker(document), ExampleChecker(document, by_pointer=True)
    for pointer in holders:
        for value in ({}, [], "x", 1, None, {"id": "x"}):
            assert fast.problem(pointer, value) == by_pointer.problem(pointer, value)


def test_a_document_scoping_refs_inside_is_looked_up_by_pointer() -> None:
    scoped = {"components": {"schemas": {"A": {"$id": "https://x.example/a", "type": "string"}}}}
    assert ExampleChecker(scoped)._document_validator is None
    assert ExampleChecker({"components": COMPONENTS})._document_validator is not None
